import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

const marked = new Marked({ gfm: true, breaks: false, async: false });

/**
 * Trainer-written Markdown to HTML that is safe to show: marked renders,
 * sanitize-html keeps only harmless tags and attributes (no script, no
 * event handlers, no javascript: links). Runs on the server and, for the
 * editor's live preview, in the browser.
 */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown) as string;
  return sanitizeHtml(html, {
    allowedTags: [
      'span', 'p', 'br', 'hr', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'del', 'code', 'pre', 'blockquote',
      'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img',
    ],
    allowedAttributes: { a: ['href', 'title', 'rel'], img: ['src', 'alt', 'title'], th: ['scope', 'align'], td: ['align'], ol: ['start'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['https'] },
    // Relative and scheme-less addresses are never checked against the schemes above: refuse them.
    allowProtocolRelative: false,
    // Headings start at h2: the page's own title is the h1.
    transformTags: {
      h1: 'h2',
      // A link to a refused scheme (javascript:, data:…) would look like a link and do nothing: show its text.
      a: (tagName, attribs) =>
        !attribs.href || (/^\s*[a-z][a-z0-9+.-]*:/i.test(attribs.href) && !/^\s*(https?|mailto):/i.test(attribs.href))
          ? { tagName: 'span', attribs: {} }
          : { tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow' } },
      // Every image gets a text alternative (empty marks it decorative), as WCAG 1.1.1 asks.
      img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, alt: attribs.alt ?? '' } }),
    },
    // Images only from absolute https addresses; links whose address was refused become plain text.
    exclusiveFilter: (frame) => frame.tag === 'img' && !/^https:\/\//i.test(frame.attribs.src ?? ''),
    nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript'],
  });
}
