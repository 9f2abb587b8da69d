import { useTranslation } from 'react-i18next';
import type { ReadOnlyContent } from '~/modules/offerings/activity-content';
import { formatDateTime } from '~/modules/time/format';

export interface SessionChoice {
  id: string;
  title: string;
  startsAt: Date;
  durationMinutes: number;
  cancelled: boolean;
}

/** When a live session starts (in the viewer's zone) and for how long. */
export function SessionWhen({ session, timeZone, locale }: { session: SessionChoice; timeZone: string; locale: string }) {
  const { t } = useTranslation();
  return (
    <span suppressHydrationWarning>
      {t('structure.editor.live.when', { time: formatDateTime(session.startsAt, timeZone, locale), minutes: session.durationMinutes })}
    </span>
  );
}

/**
 * An activity's content as its trainers wrote it, for people who may look
 * but not change it: a quiz shows its questions and choices, never which
 * choices are correct (the server leaves them out). Markdown arrives
 * rendered and sanitised by the server.
 */
export function ActivityContentView({
  content,
  html,
  session,
  timeZone,
  locale,
}: {
  content: ReadOnlyContent;
  /** The rendered Markdown of the kind's text (body, intro or prompt). */
  html: string;
  session: SessionChoice | null;
  timeZone: string;
  locale: string;
}) {
  const { t } = useTranslation();
  const rendered = html ? <div className="markdown-preview" dangerouslySetInnerHTML={{ __html: html }} /> : null;
  switch (content.kind) {
    case 'page':
      return (
        <>
          {rendered ?? <p className="muted">{t('structure.editor.view.noContent')}</p>}
          {content.videoUrl ? (
            <p>
              {t('structure.editor.view.video')}:{' '}
              <a href={content.videoUrl} rel="noopener noreferrer nofollow">
                {content.videoUrl}
              </a>
            </p>
          ) : null}
        </>
      );
    case 'quiz':
      return (
        <>
          {rendered}
          <p>
            {t('structure.editor.quiz.summary', {
              percent: content.passMarkPercent,
              attempts: content.attemptsAllowed === 0 ? t('structure.editor.quiz.unlimited') : content.attemptsAllowed,
            })}
          </p>
          {content.questions.length === 0 ? <p className="muted">{t('structure.editor.view.noContent')}</p> : null}
          <ol>
            {content.questions.map((question) => (
              <li key={question.id} style={{ marginBottom: '0.75rem' }}>
                <p style={{ margin: '0 0 0.25rem', whiteSpace: 'pre-wrap' }}>
                  {question.prompt}{' '}
                  <span className="muted">({question.multiple ? t('structure.editor.quiz.multiple') : t('structure.editor.quiz.single')})</span>
                </p>
                <ul>
                  {question.choices.map((choice) => (
                    <li key={choice.id}>{choice.label}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </>
      );
    case 'assignment':
      return (
        <>
          {rendered ?? <p className="muted">{t('structure.editor.view.noContent')}</p>}
          <p>
            {t('structure.editor.assignment.submission')}: {t(`structure.editor.assignment.${content.submission}`)}
          </p>
        </>
      );
    case 'discussion':
      return rendered ?? <p className="muted">{t('structure.editor.view.noContent')}</p>;
    case 'live_session':
      return session ? (
        <p>
          <strong>{session.cancelled ? t('structure.sessionCancelled', { title: session.title }) : session.title}</strong>
          <br />
          <SessionWhen session={session} timeZone={timeZone} locale={locale} />
        </p>
      ) : (
        <p className="muted">{t('structure.editor.view.noSession')}</p>
      );
  }
}
