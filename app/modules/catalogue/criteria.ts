import type { TranslationKey } from '../i18n/keys';
import type { OfferingKind } from '../offerings/kinds';

export interface CriteriaInput {
  kind: OfferingKind;
  certificateEnabled: boolean;
  /** Already formatted in the viewer's zone; null when the offering has none yet (a draft). */
  deadline: string | null;
  requiredSessions: number;
  quizCount: number;
  sessions: { startsAt: Date; durationMinutes: number; attendanceThresholdPercent: number }[];
  /** Required activities that are not live sessions, with their due dates. */
  tasks: { title: string; dueAt: Date | null }[];
}

export interface Sentence {
  /** A plural key goes by its base name; i18next picks the form from `count`. */
  key: TranslationKey | 'offeringPage.certificate.event';
  params: Record<string, string | number>;
}

const DEFAULT_THRESHOLD = 75;

/** The task that links the two webinars of a series: the first one due between them, else the first there is. */
export function linkingTask(input: Pick<CriteriaInput, 'sessions' | 'tasks'>): { title: string } | null {
  const [first, second] = [...input.sessions].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  if (first && second) {
    const after = first.startsAt.getTime() + first.durationMinutes * 60_000;
    const between = input.tasks.find((task) => task.dueAt && task.dueAt.getTime() >= after && task.dueAt.getTime() <= second.startsAt.getTime());
    if (between) return between;
  }
  return input.tasks[0] ?? null;
}

/** What it takes to earn the certificate, in plain words (DESIGN.md §2), as a translation key and its values. */
export function certificateCriteria(input: CriteriaInput): Sentence {
  if (!input.certificateEnabled) return { key: 'offeringPage.certificate.none', params: {} };
  // Sessions of one offering share a threshold in practice; if not, the strictest is the honest promise.
  const threshold = input.sessions.length > 0 ? Math.max(...input.sessions.map((s) => s.attendanceThresholdPercent)) : DEFAULT_THRESHOLD;
  switch (input.kind) {
    case 'mooc':
    case 'short_course':
      if (!input.deadline) return { key: 'offeringPage.certificate.courseNoDeadline', params: {} };
      return input.quizCount > 0
        ? { key: 'offeringPage.certificate.courseWithQuizzes', params: { deadline: input.deadline } }
        : { key: 'offeringPage.certificate.course', params: { deadline: input.deadline } };
    case 'webinar':
      return { key: 'offeringPage.certificate.webinar', params: { percent: threshold } };
    case 'webinar_series': {
      const task = linkingTask(input);
      return task
        ? { key: 'offeringPage.certificate.series', params: { percent: threshold, activity: task.title } }
        : { key: 'offeringPage.certificate.seriesNoActivity', params: { percent: threshold } };
    }
    case 'online_event':
      return { key: 'offeringPage.certificate.event', params: { count: Math.max(1, input.requiredSessions) } };
  }
}
