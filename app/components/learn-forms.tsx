import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { Form } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { message } from '~/modules/forms/messages';
import { FormErrors, TextAreaField, TextField } from './forms';

/**
 * The participant's and the trainer's text forms in the course player, with
 * their zod schemas: the browser checks with them at once, the route's
 * action decides with the same ones. The limits match the domain's
 * (app/modules/learning/*.server.ts), which checks them again.
 */
export const POST_MAX = 5000;
export const ASSIGNMENT_TEXT_MAX = 20_000;
export const LINK_MAX = 2000;
export const FEEDBACK_MAX = 5000;

const required = message('errors.required');

/** Markdown keeps its leading spaces (a code block), so it is checked, not trimmed. */
const markdown = (max: number) =>
  z
    .string({ error: required })
    .max(max, { error: message('errors.tooLong', { max }) })
    .refine((value) => value.trim().length > 0, { error: required });

export function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.length > 0;
  } catch {
    return false;
  }
}

export const postSchema = z.object({ body: markdown(POST_MAX) });
export const textSubmissionSchema = z.object({ text: markdown(ASSIGNMENT_TEXT_MAX) });
export const linkSubmissionSchema = z.object({
  link: z
    .string({ error: required })
    .trim()
    .max(LINK_MAX, { error: message('errors.tooLong', { max: LINK_MAX }) })
    .refine(isHttpsUrl, { error: message('learn.errors.httpsOnly') }),
});

export const reviewSchema = z
  .object({
    intent: z.enum(['accept', 'return'], { error: message('errors.invalidChoice') }),
    feedback: z
      .string()
      .max(FEEDBACK_MAX, { error: message('errors.tooLong', { max: FEEDBACK_MAX }) })
      .optional()
      .transform((value) => value?.trim() ?? ''),
  })
  .superRefine((value, ctx) => {
    if (value.intent === 'return' && value.feedback.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['feedback'], message: message('review.errors.feedbackRequired') });
    }
  });

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
