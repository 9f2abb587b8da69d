/**
 * The one place that decides who may do what. Every loader and action asks
 * it, through `can` here or the guards in guard.server.ts. Pure: no I/O.
 */

export type Role = 'trainer' | 'nso' | 'admin';
export type RoleGrant = { role: Role; country: string };

export interface Actor {
  id: string;
  roles: RoleGrant[];
  country: string;
  emailVerified: boolean;
}

/** What the policy needs to know about an offering to decide. */
export interface OfferingAccess {
  status: 'draft' | 'published' | 'archived';
  trainerIds: string[];
}

export type Permission =
  /** The built-in mailbox: anyone in development, admins in production. */
  | { action: 'mailbox.view' }
  | { action: 'admin.users.manage' }
  | { action: 'admin.emails.manage' }
  /** Ask to be validated as school staff: any signed-in participant with a verified address. */
  | { action: 'validation.request' }
  /** See and decide validation requests; with a country, for that country. */
  | { action: 'validation.review'; country?: string }
  /** Read or change a person's own account data. */
  | { action: 'account.manage'; userId: string }
  /** Start a new offering: trainers and admins. */
  | { action: 'offering.create' }
  /** See the authoring pages of an offering (read-only for trainers who do not run it). */
  | { action: 'offering.inspect'; offering: OfferingAccess }
  /** Change an offering: its own trainers and admins. */
  | { action: 'offering.edit'; offering: OfferingAccess }
  /** Read the public page: published and archived offerings for anyone, drafts only for those who may inspect them. */
  | { action: 'offering.view'; offering: OfferingAccess }
  /** Enrol oneself in (or leave) an offering one may see: anyone signed in; the enrolment rules then say whether it is possible now. */
  | { action: 'offering.enrol'; offering: OfferingAccess }
  /** See and manage an offering's participants, waitlist and invitations (list, CSV, remove, invite): its own trainers and admins. */
  | { action: 'offering.participants.manage'; offering: OfferingAccess }
  /** Work through a course: only on one's own enrolment, while it is active (enrolled) or completed. */
  | { action: 'learning.participate'; enrolment: EnrolmentAccess | null }
  /** Review submitted assignments of an offering: its own trainers and admins. */
  | { action: 'learning.review'; offering: OfferingAccess }
  /** Hide or show discussion posts of an offering: its own trainers and admins. */
  | { action: 'discussion.moderate'; offering: OfferingAccess }
  /** Change a discussion post: its author, for a short while after posting, unless a moderator hid it. */
  | { action: 'discussion.edit'; post: PostAccess; now: Date }
  /** See one's own learning dashboard: anyone signed in. */
  | { action: 'learning.dashboard' }
  /** Push one's own personal deadlines: only on one's own active enrolment. */
  | { action: 'learning.shiftDeadlines'; enrolment: EnrolmentAccess | null }
  /** See every participant's progress in an offering (grid, CSV): its own trainers and admins. */
  | { action: 'learning.progress'; offering: OfferingAccess }
  /**
   * Use a live session's join link (and see its recording): participants with an active enrolment in
   * the offering, and those who may edit it. When the link is open is a rule of the session, not a permission.
   */
  | { action: 'session.join'; offering: OfferingAccess; enrolment: EnrolmentAccess | null }
  /** Import attendance reports, mark attendance, publish a recording: the offering's own trainers and admins. */
  | { action: 'session.attendance.manage'; offering: OfferingAccess }
  /** Issue, revoke and export (ZIP, CSV register) an offering's certificates: its own trainers and admins. */
  | { action: 'certificate.manage'; offering: OfferingAccess }
  /** Email all participants of an offering or one of its sessions: its own trainers and admins. */
  | { action: 'offering.message'; offering: OfferingAccess }
  /** Download a certificate (PDF, Open Badges credential): its holder, the offering's own trainers and admins. */
  | { action: 'certificate.download'; certificate: CertificateAccess; offering: OfferingAccess };

/** What the policy needs to know about a certificate to decide. */
export interface CertificateAccess {
  /** Null once the holder's account is gone. */
  holderId: string | null;
}

/** What the policy needs to know about an enrolment to decide. */
export interface EnrolmentAccess {
  userId: string;
  status: 'enrolled' | 'waitlisted' | 'completed' | 'withdrawn';
}

export interface PostAccess {
  authorId: string;
  createdAt: Date;
  hidden: boolean;
}

/** How long after posting an author may still change their post. */
export const POST_EDIT_WINDOW_MS = 30 * 60 * 1000;

export interface PolicyEnvironment {
  /** Development servers open the mailbox to everyone. */
  development: boolean;
}

export function hasRole(actor: Actor | null, role: Role): boolean {
  return !!actor?.roles.some((grant) => grant.role === role);
}

export function isAdmin(actor: Actor | null): boolean {
  return hasRole(actor, 'admin');
}

/** Countries whose validation queue the actor sees: 'all' for admins. */
export function reviewableCountries(actor: Actor | null): 'all' | string[] {
  if (!actor) return [];
  if (isAdmin(actor)) return 'all';
  return actor.roles.filter((grant) => grant.role === 'nso' && grant.country).map((grant) => grant.country);
}

export function can(actor: Actor | null, permission: Permission, env: PolicyEnvironment): boolean {
  switch (permission.action) {
    case 'mailbox.view':
      return env.development || isAdmin(actor);
    case 'admin.users.manage':
    case 'admin.emails.manage':
      return isAdmin(actor);
    case 'validation.request':
      return !!actor && actor.emailVerified;
    case 'validation.review': {
      const countries = reviewableCountries(actor);
      if (countries === 'all') return true;
      return permission.country ? countries.includes(permission.country) : countries.length > 0;
    }
    case 'account.manage':
      return !!actor && actor.id === permission.userId;
    case 'offering.create':
      return hasRole(actor, 'trainer') || isAdmin(actor);
    case 'offering.inspect':
      return hasRole(actor, 'trainer') || isAdmin(actor);
    case 'offering.edit':
      return isAdmin(actor) || (!!actor && permission.offering.trainerIds.includes(actor.id));
    case 'offering.view':
      return permission.offering.status !== 'draft' || can(actor, { action: 'offering.inspect', offering: permission.offering }, env);
    case 'offering.enrol':
      return !!actor && can(actor, { action: 'offering.view', offering: permission.offering }, env);
    case 'offering.participants.manage':
      return isAdmin(actor) || (!!actor && permission.offering.trainerIds.includes(actor.id));
    case 'learning.participate':
      return (
        !!actor &&
        !!permission.enrolment &&
        permission.enrolment.userId === actor.id &&
        (permission.enrolment.status === 'enrolled' || permission.enrolment.status === 'completed')
      );
    case 'learning.review':
    case 'discussion.moderate':
      return isAdmin(actor) || (!!actor && permission.offering.trainerIds.includes(actor.id));
    case 'learning.dashboard':
      return !!actor;
    case 'learning.shiftDeadlines':
      return !!actor && permission.enrolment?.userId === actor.id && permission.enrolment.status === 'enrolled';
    case 'learning.progress':
      return isAdmin(actor) || (!!actor && permission.offering.trainerIds.includes(actor.id));
    case 'session.join': {
      const { enrolment } = permission;
      const enrolled = !!actor && !!enrolment && enrolment.userId === actor.id && (enrolment.status === 'enrolled' || enrolment.status === 'completed');
      return enrolled || can(actor, { action: 'offering.edit', offering: permission.offering }, env);
    }
    case 'session.attendance.manage':
    case 'offering.message':
      return isAdmin(actor) || (!!actor && permission.offering.trainerIds.includes(actor.id));
    case 'certificate.download':
      return (
        isAdmin(actor) ||
        (!!actor && (permission.certificate.holderId === actor.id || permission.offering.trainerIds.includes(actor.id)))
      );
    case 'certificate.manage':
      return isAdmin(actor) || (!!actor && permission.offering.trainerIds.includes(actor.id));
    case 'discussion.edit': {
      const { post, now } = permission;
      return !!actor && actor.id === post.authorId && !post.hidden && now.getTime() - post.createdAt.getTime() <= POST_EDIT_WINDOW_MS;
    }
  }
}
