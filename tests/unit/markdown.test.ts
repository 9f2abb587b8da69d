import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '~/modules/markdown/markdown';

describe('renderMarkdown', () => {
  it.each([
    ['a script element', 'Hello <script>alert(1)</script> world', /<script|alert\(1\)/i],
    ['a script element in capitals', 'Hello <SCRIPT SRC="https://evil.example/x.js"></SCRIPT>', /<script/i],
    ['an event handler on an image', '<img src="https://example.org/a.png" onerror="alert(1)">', /onerror|alert/i],
    ['an event handler on a link', '<a href="https://example.org" onclick="alert(1)">x</a>', /onclick|alert/i],
    ['a javascript: link in Markdown', '[click](javascript:alert(1))', /javascript:/i],
    ['a javascript: link in HTML', '<a href="javascript:alert(1)">click</a>', /javascript:/i],
    ['a javascript: link with mixed case and entities', '<a href="JaVaScRiPt&colon;alert(1)">click</a>', /javascript|alert/i],
    ['a data: image in Markdown', '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+)', /data:/i],
    ['a data: image in HTML', '<img src="data:image/png;base64,iVBORw0KGgo=">', /data:/i],
    ['an iframe', '<iframe src="https://evil.example"></iframe>', /<iframe/i],
    ['a style element', '<style>body { display: none }</style>', /<style|display/i],
    ['an inline style', '<p style="position:fixed;top:0">x</p>', /style=/i],
    ['a form', '<form action="https://evil.example"><input name="password"></form>', /<form|<input/i],
    ['an svg with a script', '<svg><script>alert(1)</script></svg>', /<svg|<script|alert/i],
  ])('removes %s', (_name, markdown, forbidden) => {
    expect(renderMarkdown(markdown)).not.toMatch(forbidden);
  });

  it('keeps ordinary Markdown', () => {
    const html = renderMarkdown(
      [
        '# Welcome',
        '',
        'Read **this** and *that*, then `run()`.',
        '',
        '- one',
        '- two',
        '',
        '1. first',
        '2. second',
        '',
        '> A quote',
        '',
        '| a | b |',
        '| - | - |',
        '| 1 | 2 |',
        '',
        '[Kollega](https://kollega.example.org "Home") and ![Chart](https://example.org/chart.png)',
      ].join('\n'),
    );
    // The page's own title is the h1, so the description's headings start at h2.
    expect(html).toContain('<h2>Welcome</h2>');
    expect(html).toContain('<strong>this</strong>');
    expect(html).toContain('<em>that</em>');
    expect(html).toContain('<code>run()</code>');
    expect(html).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    expect(html).toMatch(/<ol>\s*<li>first<\/li>/);
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<table>');
    expect(html).toContain('<td>1</td>');
    expect(html).toContain('<a href="https://kollega.example.org" title="Home" rel="noopener noreferrer nofollow">Kollega</a>');
    expect(html).toContain('<img src="https://example.org/chart.png" alt="Chart" />');
  });

  it('keeps mailto links and escapes text that looks like markup', () => {
    expect(renderMarkdown('[Write](mailto:kurs@example.org)')).toContain('href="mailto:kurs@example.org"');
    expect(renderMarkdown('Use `<b>` for bold: 1 < 2')).toContain('<code>&lt;b&gt;</code>');
  });

  it('renders nothing dangerous from an empty or whitespace description', () => {
    expect(renderMarkdown('').trim()).toBe('');
    expect(renderMarkdown('   \n ').trim()).toBe('');
  });

  it('keeps images only from absolute https addresses, always with a text alternative', () => {
    expect(renderMarkdown('<img src=x onerror="alert(1)">')).not.toContain('<img');
    expect(renderMarkdown('<img src="//evil.example/p.gif">')).not.toContain('<img');
    expect(renderMarkdown('<img src="/logout">')).not.toContain('<img');
    expect(renderMarkdown('<img src="data:image/png;base64,AAAA">')).not.toContain('<img');
    expect(renderMarkdown('![A chart](https://img.example/a.png)')).toContain('<img src="https://img.example/a.png" alt="A chart" />');
    expect(renderMarkdown('![](https://img.example/b.png)')).toContain('alt=""');
  });

  it('turns links to refused schemes into plain text instead of dead links', () => {
    const html = renderMarkdown('[click](javascript:alert(1)) and [home](/catalogue)');
    expect(html).toContain('<span>click</span>');
    expect(html).toContain('<a href="/catalogue" rel="noopener noreferrer nofollow">home</a>');
  });
});
