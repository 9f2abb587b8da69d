import { Form } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { QuizView } from '~/modules/learning/player.server';
import { FormErrors } from './forms';

/** The quiz as the player's loader sends it (its attempt's time is not shown). */
export type QuizViewData = Omit<QuizView, 'kind' | 'lastAttempt'> & { lastAttempt: Omit<NonNullable<QuizView['lastAttempt']>, 'at'> | null };

/**
 * A quiz: the standing (pass mark, attempts, best score), the last attempt's
 * feedback per question (right or wrong; the correct answers only once they
 * are revealed), and the questions as a form while another attempt is allowed.
 */
export function QuizPanel({ quiz, errors }: { quiz: QuizViewData; errors: string[] | null }) {
  const { t } = useTranslation();
  const feedback = new Map((quiz.lastAttempt?.feedback ?? []).map((f) => [f.questionId, f]));
  const canAttempt = quiz.canAttempt;
  return (
    <>
      {quiz.introHtml ? <div className="markdown-preview" dangerouslySetInnerHTML={{ __html: quiz.introHtml }} /> : null}
      <ul className="learn-facts">
        <li>{t('learn.quiz.passMark', { percent: quiz.passMarkPercent })}</li>
        <li>
          {quiz.attemptsLeft === null
            ? t('learn.quiz.attemptsUnlimited')
            : quiz.attemptsLeft === 0
              ? t('learn.quiz.attemptsUsedUp', { allowed: quiz.attemptsAllowed })
              : t('learn.quiz.attemptsLeft', { left: quiz.attemptsLeft, allowed: quiz.attemptsAllowed })}
        </li>
        {quiz.bestScore !== null ? <li>{t('learn.quiz.bestScore', { score: quiz.bestScore })}</li> : null}
      </ul>
      {quiz.passed ? (
        <div className="flash flash--success" role="note">
          {t('learn.quiz.passed')}
        </div>
      ) : null}
      {quiz.lastAttempt ? (
        <p role="status">
          <strong>{t('learn.quiz.lastAttempt', { score: quiz.lastAttempt.scorePercent })}</strong>{' '}
          <span className={`badge badge--${quiz.lastAttempt.passed ? 'ok' : 'bad'}`}>
            {quiz.lastAttempt.passed ? t('learn.quiz.lastPassed') : t('learn.quiz.lastFailed')}
          </span>
        </p>
      ) : null}
      {quiz.lastAttempt && !quiz.revealed ? <p className="muted">{t('learn.quiz.notRevealed')}</p> : null}
      {quiz.noQuestions ? (
        <div className="flash flash--info" role="note">
          {t('learn.quiz.noQuestions')}
        </div>
      ) : null}
      <Form method="post" className="stack" id="quiz-form">
        <FormErrors errors={errors} />
        <input type="hidden" name="intent" value="quiz" />
        <ol className="learn-questions">
          {quiz.questions.map((question, index) => {
            const result = feedback.get(question.id);
            const chosen = new Set(result?.chosen ?? []);
            const correctIds = new Set(result?.correctChoiceIds ?? (quiz.revealed ? question.choices.filter((c) => c.correct).map((c) => c.id) : []));
            const hintId = `q-${question.id}-hint`;
            return (
              <li key={question.id} style={{ marginBottom: '1rem' }}>
                <fieldset aria-describedby={hintId}>
                  <legend>
                    <span className="muted">{t('learn.quiz.question', { n: index + 1 })}</span>{' '}
                    <span style={{ whiteSpace: 'pre-wrap' }}>{question.prompt}</span>
                  </legend>
                  <p id={hintId} className="hint" style={{ margin: '0 0 0.25rem' }}>
                    {question.multiple ? t('learn.quiz.chooseMany') : t('learn.quiz.chooseOne')}
                    {result ? (
                      <>
                        {' '}
                        <span className={`badge badge--${result.correct ? 'ok' : 'bad'}`}>{result.correct ? t('learn.quiz.right') : t('learn.quiz.wrong')}</span>
                      </>
                    ) : null}
                  </p>
                  {question.choices.map((choice) => {
                    const inputId = `q-${question.id}-${choice.id}`;
                    return (
                      <div key={choice.id} className="checkbox">
                        <input
                          id={inputId}
                          type={question.multiple ? 'checkbox' : 'radio'}
                          name={`q-${question.id}`}
                          value={choice.id}
                          defaultChecked={chosen.has(choice.id)}
                          disabled={!canAttempt}
                        />
                        <label htmlFor={inputId}>
                          {choice.label}
                          {quiz.revealed && correctIds.has(choice.id) ? (
                            <>
                              {' '}
                              <span className="badge badge--ok">{t('learn.quiz.correctChoice')}</span>
                            </>
                          ) : null}
                          {!canAttempt && chosen.has(choice.id) ? (
                            <>
                              {' '}
                              <span className="badge badge--neutral">{t('learn.quiz.yourChoice')}</span>
                            </>
                          ) : null}
                        </label>
                      </div>
                    );
                  })}
                </fieldset>
              </li>
            );
          })}
        </ol>
        {canAttempt ? (
          <div className="actions">
            <button type="submit">{t('learn.quiz.submit')}</button>
          </div>
        ) : null}
      </Form>
    </>
  );
}
