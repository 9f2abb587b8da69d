import { Form, Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { EnrolmentPanelView } from '~/modules/enrolment/panel.server';
import { translateKey } from '~/modules/i18n/translate';

/**
 * The viewer's own standing on the offering page, and the one thing they can
 * do next: enrol, join the waitlist, leave (after a confirmation step), or
 * read why not. The forms post natively (reloadDocument), so the panel works
 * the same without JavaScript.
 */
export function EnrolmentPanel({ panel }: { panel: EnrolmentPanelView }) {
  const { t } = useTranslation();
  const action = `/offerings/${encodeURIComponent(panel.slug)}/enrolment`;
  const waiting = panel.standing === 'waitlisted';
  return (
    <div className="enrolment-panel">
      <h3 id="enrolment-standing" style={{ fontSize: '1.05rem', margin: '1rem 0 0.5rem' }}>
        {t('enrolment.panel.yourPlace')}
      </h3>
      {panel.standing === 'anonymous' ? null : (
        <p role="status">
          <Standing panel={panel} />
        </p>
      )}

      {panel.refusal ? (
        <div className="notice" role="note">
          <p style={{ margin: 0 }}>{translateKey(t, panel.refusal.key, panel.refusal.params)}</p>
          <RefusalHelp panel={panel} />
        </div>
      ) : null}

      {panel.offer ? (
        <Form method="post" action={action} reloadDocument className="stack">
          {panel.offer === 'waitlist' ? <p className="muted">{t('enrolment.panel.waitlistExplain')}</p> : null}
          <input type="hidden" name="intent" value="enrol" />
          <div className="actions">
            <button type="submit">{panel.offer === 'waitlist' ? t('enrolment.panel.joinWaitlist') : t('enrolment.panel.enrol')}</button>
          </div>
        </Form>
      ) : null}

      {panel.courseHref ? (
        <p>
          <Link to={panel.courseHref} className="button">
            {t('enrolment.panel.goToCourse')}
          </Link>
        </p>
      ) : null}

      {panel.canLeave && !panel.confirmLeave ? (
        <p>
          <Link to="?confirm=leave#enrolment" preventScrollReset>
            {waiting ? t('enrolment.panel.leaveWaitlist') : t('enrolment.panel.unenrol')}
          </Link>
        </p>
      ) : null}

      {panel.confirmLeave ? (
        <Form method="post" action={action} reloadDocument className="card stack" aria-labelledby="confirm-leave">
          <p id="confirm-leave" style={{ margin: 0 }}>
            <strong>{waiting ? t('enrolment.panel.confirmLeaveWaitlistQuestion') : t('enrolment.panel.confirmUnenrolQuestion')}</strong>
          </p>
          <input type="hidden" name="intent" value="unenrol" />
          <div className="actions">
            <button type="submit" className="button-danger">
              {waiting ? t('enrolment.panel.confirmLeaveWaitlist') : t('enrolment.panel.confirmUnenrol')}
            </button>
            <Link to={`/offerings/${encodeURIComponent(panel.slug)}#enrolment`}>{t('enrolment.panel.keepPlace')}</Link>
          </div>
        </Form>
      ) : null}
    </div>
  );
}

function Standing({ panel }: { panel: EnrolmentPanelView }) {
  const { t } = useTranslation();
  switch (panel.standing) {
    case 'enrolled':
      return <strong>{t('enrolment.panel.enrolled')}</strong>;
    case 'waitlisted':
      return (
        <strong>
          {panel.waitlistPosition ? t('enrolment.panel.waitlisted', { position: panel.waitlistPosition }) : t('enrolment.panel.waitlistedNoPosition')}
        </strong>
      );
    case 'completed':
      return <strong>{t('enrolment.panel.completed')}</strong>;
    case 'withdrawn':
      return <>{t('enrolment.panel.withdrawn')}</>;
    case 'none':
      return <>{t('enrolment.panel.notEnrolled')}</>;
    case 'anonymous':
      return null;
  }
}

/** The way out of a refusal, where the viewer has one. */
function RefusalHelp({ panel }: { panel: EnrolmentPanelView }) {
  const { t } = useTranslation();
  switch (panel.refusal?.reason) {
    case 'sign-in':
      return (
        <p className="actions" style={{ margin: '0.5rem 0 0' }}>
          <Link to={panel.signInHref} className="button">
            {t('enrolment.panel.signIn')}
          </Link>
          <Link to="/register">{t('enrolment.panel.register')}</Link>
        </p>
      );
    case 'email-unverified':
      return (
        <Form method="post" action="/verify-email" reloadDocument style={{ marginTop: '0.5rem' }}>
          <button type="submit" className="button-secondary">
            {t('enrolment.panel.resendVerification')}
          </button>
        </Form>
      );
    case 'not-validated':
      return (
        <p style={{ margin: '0.5rem 0 0' }}>
          <Link to="/profile/validation">{t('enrolment.panel.askValidation')}</Link>
        </p>
      );
    default:
      return null;
  }
}
