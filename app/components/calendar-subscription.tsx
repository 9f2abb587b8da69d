import { Form, Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';

export interface CalendarSubscriptionProps {
  /** The feed's addresses, or null before the person has made one. */
  urls: { https: string; webcal: string } | null;
  /** The "reset" button was pressed once: ask before the old address stops working. */
  confirmReset: boolean;
}

/** The profile's "Calendar subscription": the secret feed address, made on request, and a reset that asks first. */
export function CalendarSubscription({ urls, confirmReset }: CalendarSubscriptionProps) {
  const { t } = useTranslation();
  return (
    <section className="page" aria-labelledby="calendar-heading" id="calendar">
      <h2 id="calendar-heading" style={{ marginTop: 0 }}>
        {t('calendar.subscription.heading')}
      </h2>
      <p>{t('calendar.subscription.intro')}</p>
      {urls ? (
        <>
          <div className="field">
            <label htmlFor="calendar-feed-url">{t('calendar.subscription.httpsLabel')}</label>
            <input id="calendar-feed-url" type="url" readOnly value={urls.https} aria-describedby="calendar-feed-secret" style={{ width: '100%' }} />
          </div>
          <p>
            <a href={urls.webcal}>{t('calendar.subscription.webcalLabel')}</a>
          </p>
          <p className="muted">{t('calendar.subscription.howTo')}</p>
          <p className="muted" id="calendar-feed-secret">
            {t('calendar.subscription.secret')}
          </p>
          {confirmReset ? (
            <div className="flash flash--info" role="alert">
              <p style={{ marginTop: 0 }}>{t('calendar.subscription.resetConfirm')}</p>
              <Form method="post" action="/profile" className="actions">
                <input type="hidden" name="intent" value="calendar-reset" />
                <button type="submit" className="button-danger">
                  {t('calendar.subscription.resetYes')}
                </button>
                <Link to="/profile#calendar">{t('common.cancel')}</Link>
              </Form>
            </div>
          ) : (
            <p>
              <Link to="/profile?confirm=calendar-reset#calendar">{t('calendar.subscription.reset')}</Link>
            </p>
          )}
        </>
      ) : (
        <>
          <p className="muted">{t('calendar.subscription.none')}</p>
          <Form method="post" action="/profile">
            <input type="hidden" name="intent" value="calendar-create" />
            <button type="submit">{t('calendar.subscription.create')}</button>
          </Form>
        </>
      )}
    </section>
  );
}
