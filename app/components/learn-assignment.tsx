import type { SubmissionResult } from '@conform-to/react';
import { useTranslation } from 'react-i18next';
import { SubmissionForm } from './learn-forms';
import { formatInstant } from '~/modules/catalogue/datetime';

export interface AssignmentViewData {
  promptHtml: string;
  submission: 'text' | 'link';
  history: {
    id: string;
    status: 'submitted' | 'accepted' | 'returned';
    bodyHtml: string;
    link: string;
    feedback: string;
    submittedAt: Date | string;
    reviewedAt: Date | string | null;
  }[];
  canSubmit: boolean;
}

const TONE = { submitted: 'warn', accepted: 'ok', returned: 'bad' } as const;

/** The task, where the participant's work stands, the trainer's feedback, and the form while (re)submitting is allowed. */
export function AssignmentPanel({
  assignment,
  lastResult,
  timeZone,
  locale,
}: {
  assignment: AssignmentViewData;
  lastResult?: SubmissionResult<string[]>;
  timeZone: string;
  locale: string;
}) {
  const { t } = useTranslation();
  const latest = assignment.history[0];
  return (
    <>
      {assignment.promptHtml ? <div className="markdown-preview" dangerouslySetInnerHTML={{ __html: assignment.promptHtml }} /> : null}
      {latest ? (
        <div className={`flash flash--${latest.status === 'accepted' ? 'success' : latest.status === 'returned' ? 'error' : 'info'}`} role="note">
          {latest.status === 'accepted'
            ? t('learn.assignment.accepted')
            : latest.status === 'returned'
              ? t('learn.assignment.returned')
              : t('learn.assignment.awaiting')}
        </div>
      ) : null}
      {assignment.canSubmit ? (
        <SubmissionForm
          mode={assignment.submission}
          submitLabel={latest ? t('learn.assignment.resubmit') : t('learn.assignment.submit')}
          lastResult={lastResult}
        />
      ) : null}
      {assignment.history.length > 0 ? (
        <section aria-labelledby="history-heading">
          <h2 id="history-heading">{t('learn.assignment.history')}</h2>
          <ol className="learn-history" reversed>
            {assignment.history.map((entry) => (
              <li key={entry.id} className="card" style={{ marginBottom: '1rem' }}>
                <p className="actions" style={{ margin: '0 0 0.5rem', gap: '0.5rem' }}>
                  <span className={`badge badge--${TONE[entry.status]}`}>{t(`learn.assignment.submissionStatus.${entry.status}`)}</span>
                  <span className="muted" suppressHydrationWarning>
                    {t('learn.assignment.submittedAt', { date: formatInstant(entry.submittedAt, 'dateTime', timeZone, locale) })}
                  </span>
                  {entry.reviewedAt ? (
                    <span className="muted" suppressHydrationWarning>
                      {t('learn.assignment.reviewedAt', { date: formatInstant(entry.reviewedAt, 'dateTime', timeZone, locale) })}
                    </span>
                  ) : null}
                </p>
                {entry.bodyHtml ? <div className="markdown-preview" dangerouslySetInnerHTML={{ __html: entry.bodyHtml }} /> : null}
                {entry.link ? (
                  <p>
                    <a href={entry.link} rel="noopener noreferrer nofollow">
                      {entry.link}
                    </a>
                  </p>
                ) : null}
                {entry.feedback ? (
                  <div>
                    <h3 style={{ fontSize: '1rem', margin: '0.5rem 0 0.25rem' }}>{t('learn.assignment.feedback')}</h3>
                    <p style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{entry.feedback}</p>
                  </div>
                ) : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </>
  );
}
