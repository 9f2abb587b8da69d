import escapeHtml from 'escape-html';

export { escapeHtml };

export type SiteInfo = { appUrl: string; organisationName: string };
export type RenderedEmail = { subject: string; html: string; text: string };

export interface EmailBody {
  /** Already in the recipient's language. */
  subject: string;
  greeting: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Small print under the button, e.g. how long a link works. */
  footnote?: string;
  signature: string;
}

/**
 * One look for every message: a plain-text part that reads well on its own
 * and an HTML part with inline styles (mail programs ignore style sheets).
 * Every value is escaped; templates pass plain text only. Line breaks inside
 * a paragraph (a trainer's message, feedback) show as line breaks.
 */
export function renderLayout(body: EmailBody, site: SiteInfo, lang: string): RenderedEmail {
  const text = [
    body.greeting,
    '',
    ...body.paragraphs.flatMap((p) => [p, '']),
    ...(body.action ? [`${body.action.label}:`, body.action.url, ''] : []),
    ...(body.footnote ? [body.footnote, ''] : []),
    body.signature,
    '--',
    `${site.organisationName} · ${site.appUrl}`,
  ].join('\n');

  const paragraph = (p: string) => `<p style="margin:0 0 16px;line-height:1.5;white-space:pre-line">${escapeHtml(p)}</p>`;
  const action = body.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(body.action.url)}" style="background:#1d4e89;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600;display:inline-block">${escapeHtml(body.action.label)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#4a5360;word-break:break-all">${escapeHtml(body.action.url)}</p>`
    : '';
  const html = `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(body.subject)}</title></head>
<body style="margin:0;padding:0;background:#f3f5f8;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1f24">
<div style="max-width:560px;margin:0 auto;padding:24px">
<div style="font-size:20px;font-weight:700;color:#1d4e89;margin-bottom:16px">${escapeHtml(site.organisationName)}</div>
<div style="background:#ffffff;border:1px solid #cfd6df;border-radius:6px;padding:24px">
${paragraph(body.greeting)}
${body.paragraphs.map(paragraph).join('\n')}
${action}
${body.footnote ? `<p style="margin:0 0 16px;font-size:14px;color:#4a5360">${escapeHtml(body.footnote)}</p>` : ''}
${paragraph(body.signature)}
</div>
<p style="font-size:12px;color:#4a5360;margin-top:16px">${escapeHtml(site.organisationName)} · <a href="${escapeHtml(site.appUrl)}" style="color:#1d4e89">${escapeHtml(site.appUrl)}</a></p>
</div>
</body>
</html>`;
  return { subject: body.subject, html, text };
}
