import { DEFAULT_THRESHOLD_PERCENT } from '../live/attendance';
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { message } from '../forms/messages';
import { isHttpsUrl } from '../forms/urls';
import { collator as sharedCollator, displayNames } from '../time/intl';
import { parseZonedLocal } from '../time/zoned';
import { ELIGIBILITIES, OFFERING_KINDS, TARGET_AUDIENCES } from './kinds';

/**
 * Authoring form schemas, shared by the browser (instant feedback) and the
 * server (the decision). Messages are translation keys. Dates arrive as
 * datetime-local wall times and are read in the organiser's zone, refusing
 * times a daylight-saving change skips or repeats.
 */

/** Languages an offering can be taught in (BCP 47), named for the viewer with Intl.DisplayNames. */
export const OFFERING_LANGUAGES = [
  'en', 'nb', 'nn', 'sv', 'fi', 'da', 'is', 'de', 'fr', 'es', 'it', 'pt', 'nl', 'pl', 'cs',
  'sk', 'sl', 'hr', 'hu', 'ro', 'bg', 'el', 'et', 'lv', 'lt', 'uk', 'tr', 'mt', 'ga',
] as const;
export type OfferingLanguage = (typeof OFFERING_LANGUAGES)[number];

export const TITLE_MAX = 200;
export const SUMMARY_MAX = 500;
export const DESCRIPTION_MAX = 20_000;
export const TOPICS_MAX = 10;
export const TOPIC_MAX_LENGTH = 40;
export const EXPECTED_HOURS_MAX = 999;
export const CAPACITY_MAX = 100_000;
export const MAX_DEADLINE_SHIFTS = 10;
export const MAX_REQUIRED_SESSIONS = 50;
export const SESSION_MIN_MINUTES = 5;
export const SESSION_MAX_MINUTES = 1440;
/** Below this a threshold would count a passing visit as attendance. */
export const THRESHOLD_MIN_PERCENT = 10;
export const JOIN_URL_MAX = 2000;
export const CAPACITY_NOTE_MAX = 200;
export const COPY_GAP_MAX_DAYS = 3660;

const required = message('errors.required');
const tooLong = (max: number) => message('errors.tooLong', { max });

const requiredText = (max: number) => z.string({ error: required }).trim().min(1, { error: required }).max(max, { error: tooLong(max) });
const optionalText = (max: number) => z.string().trim().max(max, { error: tooLong(max) }).optional();

/** Language names in the viewer's language, sorted the way that language sorts. */
export function languageOptions(locale: string): { value: OfferingLanguage; label: string }[] {
  const names = displayNames(locale, { type: 'language' });
  const collator = sharedCollator(locale);
  return OFFERING_LANGUAGES.map((code) => ({ value: code, label: names.of(code) ?? code })).sort((a, b) => collator.compare(a.label, b.label));
}

export function isZone(value: string): boolean {
  return IANAZone.isValidZone(value);
}

const zoneField = z
  .string({ error: message('errors.invalidTimeZone') })
  .max(64, { error: message('errors.invalidTimeZone') })
  .refine(isZone, { error: message('errors.invalidTimeZone') });

/** "Digital tools, assessment ,digital tools" → ["Digital tools", "assessment"]: trimmed, one space, first spelling of each kept. */
export function parseTopics(raw: string | undefined): string[] {
  const seen = new Set<string>();
  const topics: string[] = [];
  for (const part of (raw ?? '').split(',')) {
    const topic = part.replace(/\s+/g, ' ').trim();
    const key = topic.toLocaleLowerCase();
    if (!topic || seen.has(key)) continue;
    seen.add(key);
    topics.push(topic);
  }
  return topics;
}

/** What a datetime-local field may hold: empty, or a wall time. Anything longer is not one. */
const localDateTimeField = z.string().trim().max(25, { error: message('authoring.errors.invalidDateTime') }).optional();

const ZONED_ERRORS = {
  invalid: message('authoring.errors.invalidDateTime'),
  nonexistent: message('authoring.errors.nonexistentTime'),
  ambiguous: message('authoring.errors.ambiguousTime'),
} as const;

/** Reads a wall time in the zone; undefined when empty, the reason when it cannot be read. */
export function readZonedField(value: string | undefined, zone: string): { ok: true; instant: Date | null } | { ok: false; error: string } {
  if (!value) return { ok: true, instant: null };
  const parsed = parseZonedLocal(value, zone);
  return parsed.ok ? { ok: true, instant: parsed.instant } : { ok: false, error: ZONED_ERRORS[parsed.reason] };
}

export const OFFERING_DATE_FIELDS = ['enrolmentOpensAt', 'enrolmentClosesAt', 'startsAt', 'endsAt', 'completionDeadline'] as const;
export type OfferingDateField = (typeof OFFERING_DATE_FIELDS)[number];

export const newOfferingSchema = z.object({
  kind: z.enum(OFFERING_KINDS, { error: message('errors.invalidChoice') }),
  title: requiredText(TITLE_MAX),
  language: z.enum(OFFERING_LANGUAGES, { error: message('errors.invalidLocale') }),
  organiserTimeZone: zoneField,
});
export type NewOfferingInput = z.infer<typeof newOfferingSchema>;
export type NewOfferingForm = z.input<typeof newOfferingSchema>;

const expectedHoursField = z
  .string()
  .trim()
  .max(10, { error: message('authoring.errors.expectedHours', { max: EXPECTED_HOURS_MAX }) })
  .regex(/^\d{1,3}([.,]\d{1,2})?$/, { error: message('authoring.errors.expectedHours', { max: EXPECTED_HOURS_MAX }) })
  .optional();

const wholeNumber = (min: number, max: number, key: 'authoring.errors.capacity' | 'authoring.errors.wholeNumberBetween') => {
  const error = message(key, { min, max });
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

export const detailsSchema = z
  .object({
    intent: z.enum(['save', 'publish'], { error: message('errors.invalidChoice') }).default('save'),
    title: requiredText(TITLE_MAX),
    summary: optionalText(SUMMARY_MAX),
    description: optionalText(DESCRIPTION_MAX),
    language: z.enum(OFFERING_LANGUAGES, { error: message('errors.invalidLocale') }),
    topics: z
      .string()
      .max(TOPICS_MAX * (TOPIC_MAX_LENGTH + 2) * 2, { error: tooLong(TOPICS_MAX * (TOPIC_MAX_LENGTH + 2) * 2) })
      .optional()
      .superRefine((raw, ctx) => {
        const topics = parseTopics(raw);
        if (topics.length > TOPICS_MAX) ctx.addIssue({ code: 'custom', message: message('authoring.errors.tooManyTopics', { max: TOPICS_MAX }) });
        if (topics.some((t) => t.length > TOPIC_MAX_LENGTH)) {
          ctx.addIssue({ code: 'custom', message: message('authoring.errors.topicTooLong', { max: TOPIC_MAX_LENGTH }) });
        }
      }),
    targetAudiences: z.array(z.enum(TARGET_AUDIENCES, { error: message('errors.invalidChoice') })).max(TARGET_AUDIENCES.length).default([]),
    eligibility: z.enum(ELIGIBILITIES, { error: message('errors.invalidChoice') }),
    expectedHours: expectedHoursField,
    organiserTimeZone: zoneField,
    enrolmentOpensAt: localDateTimeField,
    enrolmentClosesAt: localDateTimeField,
    startsAt: localDateTimeField,
    endsAt: localDateTimeField,
    completionDeadline: localDateTimeField,
    capacity: wholeNumber(1, CAPACITY_MAX, 'authoring.errors.capacity').optional(),
    waitlistEnabled: z.boolean().default(false),
    certificateEnabled: z.boolean().default(false),
    pacingMode: z.enum(['cohort', 'self_paced'], { error: message('errors.invalidChoice') }).default('cohort'),
    maxDeadlineShifts: wholeNumber(0, MAX_DEADLINE_SHIFTS, 'authoring.errors.wholeNumberBetween').default(2),
    requiredSessions: wholeNumber(1, MAX_REQUIRED_SESSIONS, 'authoring.errors.wholeNumberBetween').default(1),
  })
  .superRefine(
    (value, ctx) => {
      const zone = value.organiserTimeZone;
      if (typeof zone !== 'string' || !isZone(zone)) return;
      for (const field of OFFERING_DATE_FIELDS) {
        const raw = value[field];
        // A field that failed its own check already has its message.
        if (typeof raw !== 'string' || raw.length > 25) continue;
        const read = readZonedField(raw.trim(), zone);
        if (!read.ok) ctx.addIssue({ code: 'custom', path: [field], message: read.error });
      }
    },
    // Also when other fields are wrong, so every message shows at once.
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );
export type DetailsInput = z.infer<typeof detailsSchema>;
export type DetailsForm = z.input<typeof detailsSchema>;

/** Hours as typed ("12,5" or "12.5") in whole minutes. */
export function hoursToMinutes(hours: string | undefined): number {
  if (!hours) return 0;
  return Math.round(Number(hours.replace(',', '.')) * 60);
}

export function minutesToHours(minutes: number): string {
  return minutes === 0 ? '' : String(Math.round((minutes / 60) * 100) / 100);
}

export const trainerChangeSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('addTrainer'),
    email: z
      .string({ error: required })
      .trim()
      .min(1, { error: required })
      .max(254, { error: message('errors.invalidEmail') })
      .pipe(z.email({ error: message('errors.invalidEmail') }))
      .transform((email) => email.toLowerCase()),
  }),
  z.object({ intent: z.literal('removeTrainer'), userId: z.uuid({ error: message('errors.invalidChoice') }) }),
]);

export const statusChangeSchema = z.object({ intent: z.enum(['unpublish', 'archive', 'restore'], { error: message('errors.invalidChoice') }) });

/** A live session as the trainer enters it; `zone` is the offering's organiser zone, in which the start is read. */
export function sessionSchema(zone: string) {
  return z
    .object({
      intent: z.enum(['add', 'update'], { error: message('errors.invalidChoice') }),
      sessionId: z.uuid({ error: message('errors.invalidChoice') }).optional(),
      title: requiredText(TITLE_MAX),
      startsAt: z.string({ error: required }).trim().min(1, { error: required }).max(25, { error: message('authoring.errors.invalidDateTime') }),
      durationMinutes: wholeNumber(SESSION_MIN_MINUTES, SESSION_MAX_MINUTES, 'authoring.errors.wholeNumberBetween'),
      /** Attended when present for at least this share of the length (DESIGN.md §2: default 75 %). */
      attendanceThresholdPercent: wholeNumber(THRESHOLD_MIN_PERCENT, 100, 'authoring.errors.wholeNumberBetween').default(DEFAULT_THRESHOLD_PERCENT),
      joinUrl: z
        .string()
        .trim()
        .max(JOIN_URL_MAX, { error: tooLong(JOIN_URL_MAX) })
        .refine((value) => isHttpsUrl(value, { withoutCredentials: true }), { error: message('authoring.errors.httpsOnly') })
        .optional(),
      capacityNote: optionalText(CAPACITY_NOTE_MAX),
    })
    .superRefine(
      (value, ctx) => {
        if (typeof value.startsAt === 'string' && value.startsAt.trim() && value.startsAt.length <= 25) {
          const read = readZonedField(value.startsAt.trim(), zone);
          if (!read.ok) ctx.addIssue({ code: 'custom', path: ['startsAt'], message: read.error });
        }
        if (value.intent === 'update' && !value.sessionId) ctx.addIssue({ code: 'custom', path: ['sessionId'], message: message('errors.invalidChoice') });
      },
      { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
    );
}
export type SessionInput = z.infer<ReturnType<typeof sessionSchema>>;

export const removeSessionSchema = z.object({ intent: z.literal('remove'), sessionId: z.uuid() });

export const copySchema = z
  .object({
    shiftBy: z.enum(['start', 'gap'], { error: message('errors.invalidChoice') }),
    startDate: z
      .string()
      .trim()
      .max(10, { error: message('authoring.errors.invalidDate') })
      .regex(/^\d{4}-\d{2}-\d{2}$/, { error: message('authoring.errors.invalidDate') })
      .optional(),
    gapAmount: wholeNumber(1, 520, 'authoring.errors.wholeNumberBetween').optional(),
    gapUnit: z.enum(['days', 'weeks'], { error: message('errors.invalidChoice') }).default('weeks'),
  })
  .superRefine((value, ctx) => {
    if (value.shiftBy === 'start' && !value.startDate) ctx.addIssue({ code: 'custom', path: ['startDate'], message: required });
    if (value.shiftBy === 'start' && value.startDate && !DateTime.fromISO(value.startDate, { zone: 'UTC' }).isValid) {
      ctx.addIssue({ code: 'custom', path: ['startDate'], message: message('authoring.errors.invalidDate') });
    }
    if (value.shiftBy === 'gap' && value.gapAmount === undefined) ctx.addIssue({ code: 'custom', path: ['gapAmount'], message: required });
  });
export type CopyInput = z.infer<typeof copySchema>;
