import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { getMailboxMessage } from '~/modules/email/mailbox.server';
import { resolvePreferences } from '~/modules/i18n/preferences.server';
import { authorize, notFound } from '~/modules/policy/guard.server';
import { formatDateTime } from '~/modules/time/format';
import { isUuid } from '~/modules/ui/ids';
import { titled } from '~/modules/ui/meta';

export const meta = titled('mailbox.title');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = await authorize(context, request, { action: 'mailbox.view' });
  if (!isUuid(params.id)) notFound();
  const message = await getMailboxMessage(context.db, params.id);
  if (!message) notFound();
  const { timeZone } = await resolvePreferences(context, request, viewer);
  return { message, timeZone };
}

export default function MailboxMessage() {
  const { t, i18n } = useTranslation();
  const { message, timeZone } = useLoaderData<typeof loader>();
  return (
    <div className="stack-page">
      <section className="page">
        <p>
          <Link to="/dev/mailbox">{t('mailbox.backToList')}</Link>
        </p>
        <h1>{message.subject || t('mailbox.noSubject')}</h1>
        <dl className="facts">
          <dt>{t('mailbox.from')}</dt>
          <dd>{message.fromAddress}</dd>
          <dt>{t('mailbox.to')}</dt>
          <dd>{message.toAddress}</dd>
          <dt>{t('mailbox.subject')}</dt>
          <dd>{message.subject}</dd>
          <dt>{t('mailbox.received')}</dt>
          <dd>{formatDateTime(message.receivedAt, timeZone, i18n.language)}</dd>
        </dl>
      </section>

      <section className="page" aria-labelledby="links-heading">
        <h2 id="links-heading" style={{ marginTop: 0 }}>
          {t('mailbox.links')}
        </h2>
        {message.links.length === 0 ? (
          <p>{t('mailbox.noLinks')}</p>
        ) : (
          <ul>
            {message.links.map((link) => (
              <li key={link} style={{ overflowWrap: 'anywhere' }}>
                <a href={link}>{link}</a>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="page" aria-labelledby="text-heading">
        <h2 id="text-heading" style={{ marginTop: 0 }}>
          {t('mailbox.textPart')}
        </h2>
        <pre className="mail-text">{message.text}</pre>
      </section>

      <section className="page" aria-labelledby="html-heading">
        <h2 id="html-heading" style={{ marginTop: 0 }}>
          {t('mailbox.htmlPart')}
        </h2>
        {/* sandbox="" : no scripts, no forms, no navigation, an opaque origin; the message cannot touch the page. */}
        <iframe className="mail-html" title={t('mailbox.htmlPart')} sandbox="" srcDoc={message.html} />
      </section>
    </div>
  );
}
