export const OFFERING_KINDS = ['mooc', 'short_course', 'webinar', 'webinar_series', 'online_event'] as const;
export type OfferingKind = (typeof OFFERING_KINDS)[number];

export const ELIGIBILITIES = ['open', 'validated', 'invite'] as const;
export type Eligibility = (typeof ELIGIBILITIES)[number];

export const TARGET_AUDIENCES = ['pre_primary', 'primary', 'lower_secondary', 'upper_secondary', 'vocational', 'all'] as const;
export type TargetAudience = (typeof TARGET_AUDIENCES)[number];

export const OFFERING_STATUSES = ['draft', 'published', 'archived'] as const;
export type OfferingStatus = (typeof OFFERING_STATUSES)[number];

export const ACTIVITY_KINDS = ['page', 'quiz', 'assignment', 'discussion', 'live_session'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** Courses are built from modules; live kinds from sessions. */
export function hasModules(kind: OfferingKind): boolean {
  return kind === 'mooc' || kind === 'short_course';
}

export function isLiveKind(kind: OfferingKind): boolean {
  return kind === 'webinar' || kind === 'webinar_series' || kind === 'online_event';
}

/** Defaults a new offering of each kind starts from. */
export const KIND_DEFAULTS: Record<OfferingKind, { expectedMinutes: number; sessionMinutes: number }> = {
  mooc: { expectedMinutes: 15 * 60, sessionMinutes: 60 },
  short_course: { expectedMinutes: 6 * 60, sessionMinutes: 60 },
  webinar: { expectedMinutes: 60, sessionMinutes: 60 },
  webinar_series: { expectedMinutes: 3 * 60, sessionMinutes: 60 },
  online_event: { expectedMinutes: 4 * 60, sessionMinutes: 60 },
};
