import { z } from 'zod';
import type { ActivityContent } from './activity-content';
import { message } from '../forms/messages';
import { isHttpsUrl } from '../forms/urls';
import { parseZonedLocal } from '../time/zoned';
import { isUuid } from '../ui/ids';
import { ACTIVITY_KINDS, type ActivityKind } from './kinds';

/**
 * Form schemas of the Structure tab and the activity editor, shared by the
 * browser (instant feedback) and the server (the decision). Messages are
 * translation keys. Times are entered in the organiser's zone, so the
 * schemas that read them are built for that zone.
 */
export const MODULE_TITLE_MAX = 200;
export const MODULE_SUMMARY_MAX = 2000;
export const RELEASE_OFFSET_MAX_DAYS = 365;
export const WEEKLY_MAX = 12;
export const ACTIVITY_TITLE_MAX = 200;
export const ESTIMATED_MINUTES_MAX = 6000;
export const PAGE_BODY_MAX = 50_000;
export const URL_MAX = 2000;
export const PROMPT_MAX = 10_000;
export const QUIZ_INTRO_MAX = 5000;
export const QUESTION_PROMPT_MAX = 1000;
export const CHOICE_LABEL_MAX = 500;
export const QUESTIONS_MAX = 50;
export const CHOICES_MIN = 2;
export const CHOICES_MAX = 8;
export const ATTEMPTS_MAX = 10;

const required = message('errors.required');
const invalidChoice = message('errors.invalidChoice');

const text = (max: number) =>
  z
    .string({ error: required })
    .trim()
    .min(1, { error: required })
    .max(max, { error: message('errors.tooLong', { max }) });

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: message('errors.tooLong', { max }) })
    .optional()
    .transform((value) => value ?? '');

/** Markdown keeps its leading spaces (they can start a code block), so it is not trimmed. */
const markdown = (max: number, isRequired: boolean) => {
  const base = z.string({ error: required }).max(max, { error: message('errors.tooLong', { max }) });
  return isRequired
    ? base.refine((value) => value.trim().length > 0, { error: required })
    : base.optional().transform((value) => value ?? '');
};

const wholeNumber = (min: number, max: number) =>
  z
    .number({ error: message('structure.errors.wholeNumber', { min, max }) })
    .int({ error: message('structure.errors.wholeNumber', { min, max }) })
    .min(min, { error: message('structure.errors.wholeNumber', { min, max }) })
    .max(max, { error: message('structure.errors.wholeNumber', { min, max }) });

/** A datetime-local value read in the organiser's zone; times the clocks skip or repeat are refused, not guessed. */
export function zonedDateTime(zone: string) {
  return z
    .string()
    .max(40, { error: message('structure.errors.timeInvalid') })
    .optional()
    .transform((value, ctx) => {
      if (!value) return null;
      const parsed = parseZonedLocal(value, zone);
      if (parsed.ok) return parsed.instant;
      const key =
        parsed.reason === 'nonexistent'
          ? 'structure.errors.timeSkipped'
          : parsed.reason === 'ambiguous'
            ? 'structure.errors.timeAmbiguous'
            : 'structure.errors.timeInvalid';
      ctx.addIssue({ code: 'custom', message: message(key, { zone }) });
      return z.NEVER;
    });
}

const httpsUrl = z
  .string()
  .trim()
  .max(URL_MAX, { error: message('errors.tooLong', { max: URL_MAX }) })
  .optional()
  .transform((value) => value ?? '')
  .refine((value) => !value || isHttpsUrl(value), { error: message('structure.errors.httpsOnly') });

/** Question and choice ids: kept from the stored quiz, empty for new ones (the server gives those a fresh id). */
const itemId = z
  .string()
  .optional()
  .refine((value) => value === undefined || isUuid(value), { error: message('structure.errors.badId') });

// --- Modules ---------------------------------------------------------------

export type PacingMode = 'cohort' | 'self_paced';

/** A field the other pacing mode uses: whatever comes is dropped. */
const ignored = z
  .unknown()
  .optional()
  .transform(() => null);

/** Cohort offerings enter a release time, self-paced ones a day offset; each form only carries its own. */
export function moduleSchema(opts: { zone: string; pacing: PacingMode }) {
  return z.object({
    title: text(MODULE_TITLE_MAX),
    summary: optionalText(MODULE_SUMMARY_MAX),
    releaseAt: opts.pacing === 'cohort' ? zonedDateTime(opts.zone) : ignored,
    releaseOffsetDays:
      opts.pacing === 'self_paced'
        ? wholeNumber(0, RELEASE_OFFSET_MAX_DAYS)
            .optional()
            .transform((value) => value ?? null)
        : ignored,
  });
}
export type ModuleInput = z.infer<ReturnType<typeof moduleSchema>>;

export const weeklySchema = z.object({
  count: wholeNumber(1, WEEKLY_MAX),
});

// --- Activities ------------------------------------------------------------

export const addActivitySchema = z.object({
  kind: z.enum(ACTIVITY_KINDS, { error: invalidChoice }),
  title: text(ACTIVITY_TITLE_MAX),
});

const choiceSchema = z.object({
  id: itemId,
  label: text(CHOICE_LABEL_MAX),
  correct: z.boolean().default(false),
});

export const QUESTION_TYPES = ['single', 'multiple'] as const;

const questionSchema = z
  .object({
    id: itemId,
    prompt: text(QUESTION_PROMPT_MAX),
    type: z.enum(QUESTION_TYPES, { error: invalidChoice }),
    choices: z
      .array(choiceSchema, { error: message('structure.errors.choiceCount', { min: CHOICES_MIN, max: CHOICES_MAX }) })
      .min(CHOICES_MIN, { error: message('structure.errors.choiceCount', { min: CHOICES_MIN, max: CHOICES_MAX }) })
      .max(CHOICES_MAX, { error: message('structure.errors.choiceCount', { min: CHOICES_MIN, max: CHOICES_MAX }) }),
  })
  // Checked on the question itself, so the message appears even while other fields still have errors.
  .superRefine((question, ctx) => {
    const correct = question.choices.filter((choice) => choice.correct).length;
    if (correct === 0) ctx.addIssue({ code: 'custom', message: message('structure.errors.noCorrectChoice') });
    else if (question.type === 'single' && correct > 1) ctx.addIssue({ code: 'custom', message: message('structure.errors.singleNeedsOne') });
  });

/** The editable part of an activity, per kind, as the editor form posts it. */
export function activitySchema(kind: ActivityKind, opts: { zone: string; sessionIds: readonly string[] }) {
  const common = {
    title: text(ACTIVITY_TITLE_MAX),
    required: z.boolean().default(false),
    estimatedMinutes: wholeNumber(0, ESTIMATED_MINUTES_MAX)
      .optional()
      .transform((value) => value ?? 0),
    dueAt: zonedDateTime(opts.zone),
  };
  switch (kind) {
    case 'page':
      return z.object({ ...common, body: markdown(PAGE_BODY_MAX, false), videoUrl: httpsUrl });
    case 'quiz':
      return z
        .object({
          ...common,
          intro: markdown(QUIZ_INTRO_MAX, false),
          passMarkPercent: wholeNumber(0, 100),
          attemptsAllowed: wholeNumber(0, ATTEMPTS_MAX),
          questions: z
            .array(questionSchema, { error: message('structure.errors.questionCount', { max: QUESTIONS_MAX }) })
            .min(1, { error: message('structure.errors.questionCount', { max: QUESTIONS_MAX }) })
            .max(QUESTIONS_MAX, { error: message('structure.errors.questionCount', { max: QUESTIONS_MAX }) }),
        })
        .superRefine((quiz, ctx) => {
          // Ids come back from the form; two items claiming one id would merge their results.
          const ids = quiz.questions.flatMap((q) => [q.id, ...q.choices.map((c) => c.id)]).filter((id): id is string => !!id);
          if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['questions'], message: message('structure.errors.badId') });
        });
    case 'assignment':
      return z.object({
        ...common,
        prompt: markdown(PROMPT_MAX, true),
        submission: z.enum(['text', 'link'], { error: invalidChoice }),
      });
    case 'discussion':
      return z.object({ ...common, prompt: markdown(PROMPT_MAX, true) });
    case 'live_session':
      return z.object({
        ...common,
        liveSessionId: z
          .string({ error: message('structure.errors.chooseSession') })
          .refine((id) => opts.sessionIds.includes(id), { error: message('structure.errors.chooseSession') }),
      });
  }
}

export type AnyActivityForm = z.infer<ReturnType<typeof activitySchema>>;

export type DraftQuizQuestion = {
  id?: string;
  prompt: string;
  multiple: boolean;
  choices: { id?: string; label: string; correct: boolean }[];
};

/** What the editor form changes; quiz items may still lack ids. */
export interface ActivityUpdate {
  title: string;
  required: boolean;
  estimatedMinutes: number;
  dueAt: Date | null;
  liveSessionId: string | null;
  content:
    | Exclude<ActivityContent, { kind: 'quiz' }>
    | { kind: 'quiz'; intro: string; passMarkPercent: number; attemptsAllowed: number; questions: DraftQuizQuestion[] };
}

/** Turns a parsed editor form into the columns and content to store. */
export function toActivityUpdate(kind: ActivityKind, value: AnyActivityForm): ActivityUpdate {
  const common = { title: value.title, required: value.required, estimatedMinutes: value.estimatedMinutes, dueAt: value.dueAt };
  const v = value as Record<string, unknown>;
  switch (kind) {
    case 'page':
      return { ...common, liveSessionId: null, content: { kind, body: v.body as string, videoUrl: v.videoUrl as string } };
    case 'quiz': {
      const questions = v.questions as z.infer<typeof questionSchema>[];
      return {
        ...common,
        liveSessionId: null,
        content: {
          kind,
          intro: v.intro as string,
          passMarkPercent: v.passMarkPercent as number,
          attemptsAllowed: v.attemptsAllowed as number,
          questions: questions.map((q) => ({
            id: q.id,
            prompt: q.prompt,
            multiple: q.type === 'multiple',
            choices: q.choices.map((c) => ({ id: c.id, label: c.label, correct: c.correct })),
          })),
        },
      };
    }
    case 'assignment':
      return { ...common, liveSessionId: null, content: { kind, prompt: v.prompt as string, submission: v.submission as 'text' | 'link' } };
    case 'discussion':
      return { ...common, liveSessionId: null, content: { kind, prompt: v.prompt as string } };
    case 'live_session':
      return { ...common, liveSessionId: v.liveSessionId as string, content: { kind } };
  }
}

/** What a new activity of each kind starts with. */
export function emptyContent(kind: ActivityKind): ActivityContent {
  switch (kind) {
    case 'page':
      return { kind, body: '', videoUrl: '' };
    case 'quiz':
      return { kind, intro: '', passMarkPercent: 80, attemptsAllowed: 0, questions: [] };
    case 'assignment':
      return { kind, prompt: '', submission: 'text' };
    case 'discussion':
      return { kind, prompt: '' };
    case 'live_session':
      return { kind };
  }
}

/** Every field the activity editor can post, as the form holds it (the kind decides which appear). */
export type ActivityFormShape = {
  title: string;
  required: boolean;
  estimatedMinutes: number;
  dueAt: string;
  body: string;
  videoUrl: string;
  intro: string;
  passMarkPercent: number;
  attemptsAllowed: number;
  questions: { id: string; prompt: string; type: (typeof QUESTION_TYPES)[number]; choices: { id: string; label: string; correct: boolean }[] }[];
  prompt: string;
  submission: 'text' | 'link';
  liveSessionId: string;
};

/** A blank question: what "Add question" inserts, and what a quiz without questions starts with. */
export const BLANK_QUESTION = { type: 'single' as const, choices: [{}, {}] };

/** The editor's starting values for a stored activity; due date as the organiser's wall time. */
export function activityDefaults(
  activity: { title: string; required: boolean; estimatedMinutes: number; dueAt: Date | null; liveSessionId: string | null; content: ActivityContent },
  dueAtLocal: string,
): Partial<ActivityFormShape> {
  const common = { title: activity.title, required: activity.required, estimatedMinutes: activity.estimatedMinutes, dueAt: dueAtLocal };
  const content = activity.content;
  switch (content.kind) {
    case 'page':
      return { ...common, body: content.body, videoUrl: content.videoUrl };
    case 'quiz':
      return {
        ...common,
        intro: content.intro,
        passMarkPercent: content.passMarkPercent,
        attemptsAllowed: content.attemptsAllowed,
        questions:
          content.questions.length > 0
            ? content.questions.map((q) => ({
                id: q.id,
                prompt: q.prompt,
                type: q.multiple ? ('multiple' as const) : ('single' as const),
                choices: q.choices.map((c) => ({ id: c.id, label: c.label, correct: c.correct })),
              }))
            : ([{ ...BLANK_QUESTION, choices: [{}, {}] }] as ActivityFormShape['questions']),
      };
    case 'assignment':
      return { ...common, prompt: content.prompt, submission: content.submission };
    case 'discussion':
      return { ...common, prompt: content.prompt };
    case 'live_session':
      return { ...common, liveSessionId: activity.liveSessionId ?? '' };
  }
}

/** The Markdown text of an activity kind that has one, for the preview. */
export function markdownFieldOf(kind: ActivityKind): 'body' | 'intro' | 'prompt' | null {
  switch (kind) {
    case 'page':
      return 'body';
    case 'quiz':
      return 'intro';
    case 'assignment':
    case 'discussion':
      return 'prompt';
    case 'live_session':
      return null;
  }
}
