import escapeHtml from 'escape-html';
import { describe, expect, it } from 'vitest';
import { renderEmail, type EmailLocale, type EmailTemplateName, type EmailTemplates } from '#emails/index';
import { messageIdFor } from '~/modules/email/outbox.server';

const LOCALES: EmailLocale[] = ['en', 'nb', 'sv', 'fi'];
const SITE = { appUrl: 'https://kollega.example.org', organisationName: 'Kollega & Co' };
/** Markup that must come out inert, and letters from several scripts that must come out whole. */
const NAME = '<script>alert("x")</script> Łucja Ayşe Ελένη Олена';
const URL = 'https://kollega.example.org/action?token=abc123&step=2';

const cases: { label: string; template: EmailTemplateName; data: EmailTemplates[EmailTemplateName] }[] = [
  { label: 'verify-email', template: 'verify-email', data: { name: NAME, url: URL } },
  { label: 'reset-password', template: 'reset-password', data: { name: NAME, url: URL } },
  { label: 'validation-decision (approved)', template: 'validation-decision', data: { name: NAME, approved: true, reason: '', url: URL } },
  {
    label: 'validation-decision (rejected)',
    template: 'validation-decision',
    data: { name: NAME, approved: false, reason: 'School <unknown> & unverifiable', url: URL },
  },
];

function render(template: EmailTemplateName, locale: EmailLocale, data: EmailTemplates[EmailTemplateName]) {
  return renderEmail(template, locale, data as never, SITE);
}

describe.each(cases)('renderEmail $label', ({ template, data }) => {
  const english = render(template, 'en', data);

  it.each(LOCALES)('renders %s with a subject, an escaped HTML part and a plain-text part with the link', (locale) => {
    const email = render(template, locale, data);
    expect(email.subject.trim().length).toBeGreaterThan(0);

    expect(email.html).toContain(escapeHtml(NAME));
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Łucja Ayşe Ελένη Олена');
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain(`<html lang="${locale}">`);
    expect(email.html).toContain(`<title>${escapeHtml(email.subject)}</title>`);
    expect(email.html).toContain(`href="${escapeHtml(URL)}"`);
    expect(email.html).toContain('Kollega &amp; Co');

    expect(email.text).toContain(URL);
    expect(email.text).toContain(NAME);
    expect(email.text).not.toContain('&lt;');
    expect(email.text).toContain(SITE.appUrl);

    if (locale !== 'en') {
      expect(email.subject).not.toBe(english.subject);
      expect(email.text).not.toBe(english.text);
    }
  });

  it('gives every locale its own subject and text', () => {
    const rendered = LOCALES.map((locale) => render(template, locale, data));
    expect(new Set(rendered.map((e) => e.subject)).size).toBe(LOCALES.length);
    expect(new Set(rendered.map((e) => e.text)).size).toBe(LOCALES.length);
  });
});

describe('renderEmail validation-decision', () => {
  it('explains a rejection with the escaped reason and says nothing of a reason on approval', () => {
    const rejected = render('validation-decision', 'en', cases[3]!.data);
    expect(rejected.html).toContain('School &lt;unknown&gt; &amp; unverifiable');
    expect(rejected.text).toContain('School <unknown> & unverifiable');
    const approved = render('validation-decision', 'en', cases[2]!.data);
    expect(approved.subject).not.toBe(rejected.subject);
    expect(approved.text).not.toContain('Their reason');
  });

  it('leaves the reason line out of a rejection without a reason', () => {
    const email = render('validation-decision', 'nb', { name: 'Ole', approved: false, reason: '', url: URL });
    expect(email.text).not.toContain('Begrunnelse');
    expect(render('validation-decision', 'nb', { name: 'Ole', approved: false, reason: 'Ukjent skole', url: URL }).text).toContain('Begrunnelse: Ukjent skole');
  });
});

describe('messageIdFor', () => {
  it('is the same for the same key and differs between keys', () => {
    const id = messageIdFor('verify-email:user-1:token-1', 'https://kollega.example.org');
    expect(id).toBe(messageIdFor('verify-email:user-1:token-1', 'https://kollega.example.org'));
    expect(id).toMatch(/^<[0-9a-f]{32}@kollega\.example\.org>$/);
    expect(messageIdFor('verify-email:user-1:token-2', 'https://kollega.example.org')).not.toBe(id);
  });

  it('takes its domain from the app URL, without port or path', () => {
    expect(messageIdFor('k', 'http://localhost:3000/')).toMatch(/^<[0-9a-f]{32}@localhost>$/);
    expect(messageIdFor('k', 'http://localhost:3000')).toBe(messageIdFor('k', 'https://localhost/x'));
  });
});
