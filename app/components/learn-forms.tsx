import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { Form } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ASSIGNMENT_TEXT_MAX, linkSubmissionSchema, LINK_MAX, POST_MAX, postSchema, textSubmissionSchema } from '~/modules/learning/schemas';
import { FormErrors, TextAreaField, TextField } from './forms';

/**
 * The participant's and the trainer's text forms in the course player. Their
 * schemas and limits live in app/modules/learning/schemas.ts, shared with
 * the route's action and the domain.
 */

/** What an action of the player answers a form with: which form, and conform's result. */
export type FormReply = { form: string; result: SubmissionResult<string[]> };

/** A new post, a reply or an edit: one Markdown field. */
export function PostForm({
  id,
  intent,
  label,
  hint,
  submitLabel,
  hidden = {},
  defaultValue,
  lastResult,
  rows = 4,
}: {
  id: string;
  intent: string;
  label: string;
  hint: string;
  submitLabel: string;
  hidden?: Record<string, string>;
  defaultValue?: string;
  lastResult?: SubmissionResult<string[]>;
  rows?: number;
}) {
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue: defaultValue === undefined ? undefined : { body: defaultValue },
    constraint: getZodConstraint(postSchema),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: postSchema }),
  });
  return (
    <Form method="post" className="stack" {...getFormProps(form)}>
      <FormErrors errors={form.errors} id={form.errorId} />
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <TextAreaField meta={fields.body} label={label} hint={hint} rows={rows} maxLength={POST_MAX} />
      <div className="actions">
        <button type="submit">{submitLabel}</button>
      </div>
    </Form>
  );
}

/** Hands in an assignment: Markdown text or an https link, as the activity asks. */
export function SubmissionForm({
  mode,
  submitLabel,
  lastResult,
}: {
  mode: 'text' | 'link';
  submitLabel: string;
  lastResult?: SubmissionResult<string[]>;
}) {
  const { t } = useTranslation();
  const schema = mode === 'text' ? textSubmissionSchema : linkSubmissionSchema;
  const [form, fields] = useForm<{ text?: string; link?: string }>({
    id: 'assignment-submit',
    lastResult,
    constraint: getZodConstraint(schema),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  return (
    <Form method="post" className="stack" {...getFormProps(form)}>
      <FormErrors errors={form.errors} id={form.errorId} />
      <input type="hidden" name="intent" value="submit" />
      {mode === 'text' ? (
        <TextAreaField meta={fields.text} label={t('learn.assignment.textLabel')} hint={t('learn.assignment.textHint')} rows={10} maxLength={ASSIGNMENT_TEXT_MAX} />
      ) : (
        <TextField meta={fields.link} type="url" label={t('learn.assignment.linkLabel')} hint={t('learn.assignment.linkHint')} maxLength={LINK_MAX} />
      )}
      <div className="actions">
        <button type="submit">{submitLabel}</button>
      </div>
    </Form>
  );
}
