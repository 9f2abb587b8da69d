import type { FieldMetadata, FormMetadata } from '@conform-to/react';
import { useTranslation } from 'react-i18next';
import { SelectField, TextAreaField, TextField } from '~/components/forms';
import { translateMessage } from '~/modules/forms/messages';
import { ATTEMPTS_MAX, BLANK_QUESTION, CHOICES_MAX, CHOICES_MIN, QUESTIONS_MAX, type ActivityFormShape } from '~/modules/offerings/structure-schemas';
import { FieldErrors, NumberField } from './forms';
import { HiddenField, TickField } from './structure-fields';

type Question = ActivityFormShape['questions'][number];
type Fields = { [K in keyof ActivityFormShape]: FieldMetadata<ActivityFormShape[K], ActivityFormShape, string[]> };

/** Every question's own problem, numbered, for the summary above the form. */
export function quizProblems(fields: Fields): { n: number; id: string; errors: string[] }[] {
  return fields.questions
    .getFieldList()
    .map((question, index) => ({ n: index + 1, id: question.id, errors: question.errors ?? [] }))
    .filter((entry) => entry.errors.length > 0);
}

/**
 * Questions with their choices. Adding and removing are submit buttons
 * (conform intents): with JavaScript they change the form in place, without
 * it the server answers with the changed form. Ids travel in hidden fields,
 * so questions and choices keep theirs across edits; new ones get theirs
 * when saved.
 */
export function QuizEditor({ form, fields }: { form: FormMetadata<ActivityFormShape, string[]>; fields: Fields }) {
  const { t } = useTranslation();
  const questions = fields.questions.getFieldList();
  return (
    <div className="stack" style={{ display: 'grid', gap: '1rem' }}>
      <div className="actions" style={{ alignItems: 'start' }}>
        <NumberField meta={fields.passMarkPercent} label={t('structure.editor.quiz.passMark')} hint={t('structure.editor.quiz.passMarkHint')} />
        <SelectField
          meta={fields.attemptsAllowed as FieldMetadata<string | undefined>}
          label={t('structure.editor.quiz.attempts')}
          options={Array.from({ length: ATTEMPTS_MAX + 1 }, (_, n) => ({
            value: String(n),
            label: n === 0 ? t('structure.editor.quiz.unlimited') : String(n),
          }))}
          style={{ maxWidth: '12rem' }}
        />
      </div>
      <fieldset
        id={fields.questions.id}
        aria-describedby={fields.questions.errors?.length ? fields.questions.errorId : undefined}
        style={{ border: 'none', padding: 0, margin: 0, display: 'grid', gap: '1rem' }}
      >
        <legend style={{ fontWeight: 700, fontSize: '1.15rem', marginBottom: '0.5rem' }}>{t('structure.editor.quiz.questions')}</legend>
        <FieldErrors meta={fields.questions} />
        {questions.map((question, index) => (
          <QuestionEditor key={question.key} form={form} question={question} n={index + 1} listName={fields.questions.name} index={index} canRemove={questions.length > 1} />
        ))}
        {questions.length < QUESTIONS_MAX ? (
          <div>
            <button className="button-secondary" {...form.insert.getButtonProps({ name: fields.questions.name, defaultValue: BLANK_QUESTION as unknown as Question })}>
              {t('structure.editor.quiz.addQuestion')}
            </button>
          </div>
        ) : null}
      </fieldset>
    </div>
  );
}

function QuestionEditor({
  form,
  question,
  n,
  listName,
  index,
  canRemove,
}: {
  form: FormMetadata<ActivityFormShape, string[]>;
  question: FieldMetadata<Question, ActivityFormShape, string[]>;
  n: number;
  listName: string;
  index: number;
  canRemove: boolean;
}) {
  const { t } = useTranslation();
  const q = question.getFieldset();
  const choices = q.choices.getFieldList();
  const problem = question.errors?.length ? question.errorId : undefined;
  return (
    <fieldset
      id={question.id}
      className="card"
      aria-describedby={problem}
      style={{ display: 'grid', gap: '0.75rem', borderColor: problem ? 'var(--bad)' : undefined, borderWidth: problem ? '2px' : undefined }}
    >
      <legend style={{ fontWeight: 700, padding: '0 0.25rem' }}>{t('structure.editor.quiz.question', { n })}</legend>
      {question.errors?.length ? (
        <p id={question.errorId} className="error" style={{ color: 'var(--bad)', fontWeight: 600, margin: 0 }}>
          {question.errors.map((e) => translateMessage(t, e)).join(' ')}
        </p>
      ) : null}
      <HiddenField meta={q.id} />
      <TextAreaField meta={q.prompt} label={t('structure.editor.quiz.prompt')} rows={2} />
      <SelectField
        meta={q.type as FieldMetadata<string | undefined>}
        label={t('structure.editor.quiz.type')}
        options={[
          { value: 'single', label: t('structure.editor.quiz.single') },
          { value: 'multiple', label: t('structure.editor.quiz.multiple') },
        ]}
        style={{ maxWidth: '20rem' }}
      />
      <fieldset
        id={q.choices.id}
        aria-describedby={q.choices.errors?.length ? q.choices.errorId : undefined}
        style={{ border: 'none', padding: 0, margin: 0, display: 'grid', gap: '0.5rem' }}
      >
        <legend style={{ fontWeight: 600, marginBottom: '0.25rem' }}>{t('structure.editor.quiz.choices', { n })}</legend>
        <FieldErrors meta={q.choices} />
        {choices.map((choice, j) => {
          const c = choice.getFieldset();
          return (
            <div key={choice.key} style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) auto auto', gap: '0.75rem', alignItems: 'end' }}>
              <HiddenField meta={c.id} />
              <TextField meta={c.label} label={t('structure.editor.quiz.choice', { n: j + 1 })} />
              <div style={{ paddingBottom: '0.5rem' }}>
                <TickField meta={c.correct} label={t('structure.editor.quiz.correct')} ariaLabel={t('structure.editor.quiz.correctLabel', { n: j + 1 })} />
              </div>
              {choices.length > CHOICES_MIN ? (
                <button
                  className="button-secondary"
                  aria-label={t('structure.editor.quiz.removeChoiceLabel', { choice: j + 1, n })}
                  {...form.remove.getButtonProps({ name: q.choices.name, index: j })}
                >
                  {t('structure.editor.quiz.removeChoice')}
                </button>
              ) : (
                <span />
              )}
            </div>
          );
        })}
        {choices.length < CHOICES_MAX ? (
          <div>
            <button
              className="button-secondary"
              aria-label={t('structure.editor.quiz.addChoiceLabel', { n })}
              {...form.insert.getButtonProps({ name: q.choices.name, defaultValue: {} as Question['choices'][number] })}
            >
              {t('structure.editor.quiz.addChoice')}
            </button>
          </div>
        ) : null}
      </fieldset>
      {canRemove ? (
        <div>
          <button className="button-danger" {...form.remove.getButtonProps({ name: listName, index })}>
            {t('structure.editor.quiz.removeQuestion', { n })}
          </button>
        </div>
      ) : null}
    </fieldset>
  );
}
