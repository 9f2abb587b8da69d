import type { Permission } from '~/modules/policy/policy';
import { issueExportTicket } from '~/modules/privacy/export-ticket.server';
import { VALIDATION_TEXT_MAX } from '~/modules/validation/schemas';
import { ROLES, type MatrixRole, type MatrixWorld } from './fixtures';

/**
 * The authorisation matrix's expectation table (issue 7, "Security"): for
 * every route module under app/routes (and the root) that exports a loader
 * or an action, who may call it and what everyone else gets. The test fails
 * on a route missing here and on an entry whose route is gone.
 *
 * Each check names the policy permission that guards it where there is one;
 * the test then also asks `can` for every role and requires it to agree with
 * `allow`, so this table cannot drift from app/modules/policy/policy.ts.
 */

/** What "no access" looks like. */
export type Refusal =
  /** A redirect to /login (with redirectTo). */
  | 'sign-in'
  | 401
  | 403
  | 404
  /** Shown the page again with the reason: e.g. an invitation accepted by an account it was not sent to. */
  | 409
  /** A redirect elsewhere that says why (e.g. back to the session page). */
  | { redirectTo: string };

export interface Outcome {
  status: number;
  location: string | null;
}

export interface Check {
  /** The guard in words: the permission's meaning, or why the route is open. */
  guard: string;
  /** The permission the route asks the policy for, as asked for this role; absent for public and signed-in-only checks. */
  permission?: (w: MatrixWorld, role: MatrixRole) => Permission;
  /** Exactly the roles that get through. */
  allow: readonly MatrixRole[];
  /** What refused anonymous visitors get; 'sign-in' unless said. */
  refusedAnonymous?: Refusal;
  /** What refused signed-in people get; 404 unless said (the guards hide what was probed). */
  refusedSignedIn?: Refusal | ((w: MatrixWorld) => Refusal);
  /** Actions: a harmless but valid-looking form with an intent the route knows. */
  form?: (w: MatrixWorld) => Record<string, string>;
  /** For routes whose success is more than "not refused" (e.g. the join link sends one on to the provider). */
  granted?: (outcome: Outcome, w: MatrixWorld) => boolean;
  /** Call with a new session of the role, for routes that end the session they are called with. */
  freshSession?: boolean;
}

export interface MatrixCase {
  /** Says what the case probes when a route has more than one. */
  label: string;
  params?: (w: MatrixWorld) => Record<string, string>;
  search?: (w: MatrixWorld) => string;
  loader?: Check;
  action?: Check;
}

const EVERYONE = ROLES;
const SIGNED_IN = ROLES.filter((role) => role !== 'anonymous');
const ANY_TRAINER = ['otherTrainer', 'trainer', 'admin'] as const satisfies readonly MatrixRole[];
const X_TRAINERS = ['trainer', 'admin'] as const satisfies readonly MatrixRole[];
const Y_TRAINERS = ['otherTrainer', 'admin'] as const satisfies readonly MatrixRole[];

const x = (w: MatrixWorld) => ({ id: w.x.id });
const y = (w: MatrixWorld) => ({ id: w.y.id });

const publicCheck = (guard: string, form?: Check['form']): Check => ({ guard: `public: ${guard}`, allow: EVERYONE, form });

/** Guards of one offering that only its own trainers and admins pass. */
const ownTrainers = (
  action: 'offering.edit' | 'offering.participants.manage' | 'learning.review' | 'learning.progress' | 'session.attendance.manage' | 'certificate.manage' | 'offering.message',
  which: 'x' | 'y' = 'x',
  form?: Check['form'],
): Check => ({
  guard: `${action}: the offering's own trainers and admins`,
  permission: (w) => ({ action, offering: w[which].access }),
  allow: which === 'x' ? X_TRAINERS : Y_TRAINERS,
  form,
});

const inspect = (which: 'x' | 'y' | 'draft' = 'x'): Check => ({
  guard: 'offering.inspect: any trainer (read-only unless they run it) and admins',
  permission: (w) => ({ action: 'offering.inspect', offering: w[which].access }),
  allow: ANY_TRAINER,
});

const viewOffering = (which: 'x' | 'draft', refusedAnonymous: Refusal): Check => ({
  guard: 'offering.view: published offerings for anyone, drafts for those who may inspect them',
  permission: (w) => ({ action: 'offering.view', offering: w[which].access }),
  allow: which === 'draft' ? ANY_TRAINER : EVERYONE,
  refusedAnonymous,
});

const participate = (which: 'x' | 'y', form?: Check['form']): Check => ({
  guard: "learning.participate: one's own active enrolment in the offering",
  permission: (w, role) => ({ action: 'learning.participate', enrolment: w.enrolmentOf(role, which) }),
  allow: which === 'x' ? ['participant'] : ['otherParticipant'],
  form,
});

const downloadCertificate = (which: 'x' | 'y'): Check => ({
  guard: "certificate.download: the holder, the offering's own trainers and admins",
  permission: (w) => ({
    action: 'certificate.download',
    certificate: { holderId: which === 'x' ? w.userIds.participant : w.userIds.otherParticipant },
    offering: w[which].access,
  }),
  allow: which === 'x' ? ['participant', 'trainer', 'admin'] : ['otherParticipant', 'otherTrainer', 'admin'],
});

const joinSession = (which: 'x' | 'y'): Check => ({
  guard: "session.join: participants with an active enrolment and those who may edit the offering are sent on to the provider",
  permission: (w, role) => ({ action: 'session.join', offering: w[which].access, enrolment: w.enrolmentOf(role, which) }),
  allow: which === 'x' ? ['participant', 'trainer', 'admin'] : ['otherParticipant', 'otherTrainer', 'admin'],
  granted: (outcome) => outcome.status === 303 && !!outcome.location?.startsWith('https://meet.example.org/'),
  refusedSignedIn: (w) => ({ redirectTo: `/sessions/${w[which].sessionId}` }),
});

const signedIn = (guard: string, form?: Check['form']): Check => ({ guard: `signed in: ${guard}`, allow: SIGNED_IN, form });

const ownAccount = (form?: Check['form']): Check => ({
  guard: "account.manage: one's own account",
  permission: (w, role) => ({ action: 'account.manage', userId: role === 'anonymous' ? 'nobody' : w.userIds[role] }),
  allow: SIGNED_IN,
  form,
});

export const EXPECTATIONS: Record<string, MatrixCase[]> = {
  root: [{ label: 'layout', loader: publicCheck('viewer, preferences and navigation for every page') }],
  'routes/[.]well-known.jwks[.]json': [{ label: 'keys', loader: publicCheck('public keys that verify credentials') }],
  'routes/_index': [{ label: 'home', loader: publicCheck('the front page') }],
  'routes/admin.emails': [
    {
      label: 'outbox',
      loader: { guard: 'admin.emails.manage: admins', permission: () => ({ action: 'admin.emails.manage' }), allow: ['admin'] },
      // Retrying a sent message is refused with 409 after the guard; nothing is queued again.
      action: { guard: 'admin.emails.manage: admins', permission: () => ({ action: 'admin.emails.manage' }), allow: ['admin'], form: (w) => ({ intent: 'retry', id: w.outboxEmailId }) },
    },
  ],
  'routes/admin.users': [
    {
      label: 'users',
      loader: { guard: 'admin.users.manage: admins', permission: () => ({ action: 'admin.users.manage' }), allow: ['admin'] },
      action: {
        guard: 'admin.users.manage: admins',
        permission: () => ({ action: 'admin.users.manage' }),
        allow: ['admin'],
        form: (w) => ({ intent: 'grant', userId: w.userIds.participant, role: '' }),
      },
    },
  ],
  'routes/badges.issuer': [{ label: 'issuer profile', loader: publicCheck('the Open Badges issuer profile') }],
  'routes/calendar.$token[.]ics': [
    { label: "participant's feed", params: (w) => ({ token: w.feedToken }), loader: publicCheck('the secret token in the URL is the key (a capability link)') },
  ],
  'routes/catalogue': [{ label: 'catalogue', loader: publicCheck('published offerings') }],
  'routes/certificates.$id.credential': [
    { label: "participant's certificate", params: (w) => ({ id: w.x.certificateId }), loader: downloadCertificate('x') },
    { label: "another offering's participant's certificate", params: (w) => ({ id: w.y.certificateId }), loader: downloadCertificate('y') },
  ],
  'routes/certificates.$id[.]pdf': [
    { label: "participant's certificate", params: (w) => ({ id: w.x.certificateId }), loader: downloadCertificate('x') },
    { label: "another offering's participant's certificate", params: (w) => ({ id: w.y.certificateId }), loader: downloadCertificate('y') },
  ],
  'routes/dashboard.deadlines': [
    {
      label: 'own enrolment in X',
      loader: publicCheck('redirects to the dashboard, where the form is'),
      action: {
        guard: "learning.shiftDeadlines: one's own active enrolment",
        permission: (w, role) => ({ action: 'learning.shiftDeadlines', enrolment: w.enrolmentOf(role, 'x') }),
        allow: ['participant'],
        // An invalid number of days: refused by the rules after the guard, nothing moves.
        form: (w) => ({ offeringId: w.x.id, days: 'none' }),
      },
    },
    {
      label: "participant names offering Y, where they are not enrolled",
      action: {
        guard: "learning.shiftDeadlines: one's own active enrolment",
        permission: (w, role) => ({ action: 'learning.shiftDeadlines', enrolment: w.enrolmentOf(role, 'y') }),
        allow: ['otherParticipant'],
        form: (w) => ({ offeringId: w.y.id, days: 'none' }),
      },
    },
  ],
  'routes/dashboard': [
    { label: 'dashboard', loader: { guard: 'learning.dashboard: anyone signed in', permission: () => ({ action: 'learning.dashboard' }), allow: SIGNED_IN } },
  ],
  'routes/dev.mailbox.$id': [
    {
      label: 'one message',
      params: (w) => ({ id: w.mailboxMessageId }),
      loader: { guard: 'mailbox.view: admins outside development', permission: () => ({ action: 'mailbox.view' }), allow: ['admin'] },
    },
  ],
  'routes/dev.mailbox._index': [
    { label: 'mailbox', loader: { guard: 'mailbox.view: admins outside development', permission: () => ({ action: 'mailbox.view' }), allow: ['admin'] } },
  ],
  'routes/forgot-password': [{ label: 'form', action: publicCheck('asking for a reset link', () => ({ email: '' })) }],
  'routes/healthz': [{ label: 'health', loader: publicCheck('health check for the load balancer') }],
  'routes/invitations.$token': [
    {
      label: "invitation to X for otherParticipant's address",
      params: (w) => ({ token: w.invitationToken }),
      loader: {
        guard: 'the link is a capability: anonymous visitors are asked to sign in, only the addressee may accept',
        allow: ['anonymous', 'otherParticipant'],
        refusedSignedIn: 403,
      },
      // No intent: answered 400 after the guard, so nobody is enrolled by the matrix.
      action: signedIn('accepting needs an account; the invitation decides whose', () => ({})),
    },
    {
      label: 'accepting an invitation meant for an address none of them has',
      params: (w) => ({ token: w.strangerInvitationToken }),
      action: {
        guard: "only the invitation's addressee may accept it; anyone else is shown the wrong-account page",
        allow: [],
        refusedSignedIn: 409,
        form: () => ({ intent: 'accept' }),
      },
    },
  ],
  'routes/learn.$slug._index': [
    { label: 'X', params: (w) => ({ slug: w.x.slug }), loader: participate('x') },
    { label: 'Y, which participant is not in', params: (w) => ({ slug: w.y.slug }), loader: participate('y') },
  ],
  'routes/learn.$slug.activities.$activityId': [
    {
      label: "X's page",
      params: (w) => ({ slug: w.x.slug, activityId: w.x.pageActivityId }),
      loader: participate('x'),
      action: participate('x', () => ({ intent: 'unknown' })),
    },
    {
      label: "Y's page",
      params: (w) => ({ slug: w.y.slug, activityId: w.y.pageActivityId }),
      loader: participate('y'),
      action: participate('y', () => ({ intent: 'unknown' })),
    },
    {
      label: "participant edits their own post in X's discussion",
      params: (w) => ({ slug: w.x.slug, activityId: w.x.discussionActivityId }),
      loader: participate('x'),
      action: {
        guard: 'discussion.edit: the author, for a short while, unless hidden',
        permission: (w) => ({ action: 'discussion.edit', post: { authorId: w.userIds.participant, createdAt: w.x.ownPost.createdAt, hidden: false }, now: new Date() }),
        allow: ['participant'],
        // An empty body: refused with 400 after the guards, the post stays as it was.
        form: (w) => ({ intent: 'edit', postId: w.x.ownPost.id, body: '' }),
      },
    },
    {
      label: "participant edits a classmate's post by its id",
      params: (w) => ({ slug: w.x.slug, activityId: w.x.discussionActivityId }),
      action: {
        guard: 'discussion.edit: the author, for a short while, unless hidden',
        permission: (w) => ({ action: 'discussion.edit', post: { authorId: w.x.classmatePost.authorId, createdAt: w.x.classmatePost.createdAt, hidden: false }, now: new Date() }),
        allow: [],
        form: (w) => ({ intent: 'edit', postId: w.x.classmatePost.id, body: 'Changed by someone else' }),
      },
    },
    {
      label: "Y's page through X's address",
      params: (w) => ({ slug: w.x.slug, activityId: w.y.pageActivityId }),
      loader: { guard: 'the activity must belong to the offering of the address', allow: [] },
      action: { guard: 'the activity must belong to the offering of the address', allow: [], form: () => ({ intent: 'done' }) },
    },
  ],
  'routes/login': [
    {
      label: 'sign in',
      loader: publicCheck('the sign-in page (signed-in people are sent on)'),
      action: publicCheck('signing in', () => ({ email: '', password: '' })),
    },
  ],
  'routes/logout': [
    {
      label: 'sign out',
      loader: publicCheck('redirects home: signing out is POST only'),
      action: { ...publicCheck('signing out ends only the session it is called with'), freshSession: true, form: () => ({}) },
    },
  ],
  'routes/offerings.$slug.calendar[.]ics': [
    { label: 'published X', params: (w) => ({ slug: w.x.slug }), loader: viewOffering('x', 404) },
    { label: 'draft', params: (w) => ({ slug: w.draft.slug }), loader: viewOffering('draft', 404) },
  ],
  'routes/offerings.$slug.enrolment': [
    {
      label: 'draft',
      params: (w) => ({ slug: w.draft.slug }),
      loader: publicCheck('redirects to the offering page'),
      action: {
        guard: 'offering.enrol: anyone signed in who may see the offering',
        permission: (w) => ({ action: 'offering.enrol', offering: w.draft.access }),
        allow: ANY_TRAINER,
        // Leaving an offering nobody is in: the rules refuse it after the guard.
        form: () => ({ intent: 'unenrol' }),
      },
    },
  ],
  'routes/offerings.$slug': [
    { label: 'published X', params: (w) => ({ slug: w.x.slug }), loader: viewOffering('x', 404) },
    { label: 'draft', params: (w) => ({ slug: w.draft.slug }), loader: viewOffering('draft', 404) },
  ],
  'routes/profile._index': [
    { label: 'own profile', loader: ownAccount(), action: ownAccount(() => ({ intent: 'profile', fullName: '' })) },
    {
      label: "revoking participant's session by its id",
      action: {
        guard: "account.manage: only one's own other sessions can be revoked",
        allow: [],
        form: (w) => ({ intent: 'revoke-session', sessionId: w.actors.participant!.sessionId }),
      },
    },
  ],
  'routes/profile.data': [{ label: 'own data', loader: ownAccount(), action: ownAccount(() => ({ password: '' })) }],
  'routes/profile.data[.]json': [
    {
      label: 'without a ticket',
      // account.manage passes for everyone signed in; the missing ticket sends them back to confirm the password.
      loader: { guard: 'the file needs a ticket from the password form', allow: [], refusedSignedIn: { redirectTo: '/profile/data' } },
    },
    {
      label: "with the ticket the password form gave participant's session",
      // Made at call time: a ticket is good for a minute.
      search: (w) => `?ticket=${encodeURIComponent(issueExportTicket(w.sessionSecret, { userId: w.userIds.participant, sessionId: w.actors.participant!.sessionId }, new Date()))}`,
      loader: {
        guard: "account.manage: one's own data, with a ticket issued to this very session after the password was confirmed",
        allow: ['participant'],
        refusedSignedIn: { redirectTo: '/profile/data' },
      },
    },
  ],
  'routes/profile.delete': [
    // An empty confirmation: refused with 400 after the guard, nothing is deleted.
    { label: 'own account', loader: ownAccount(), action: ownAccount(() => ({ password: '' })) },
    { label: 'the goodbye page after deleting', search: () => '?done=1', loader: publicCheck('says the account is gone; signed-in people get their own page') },
  ],
  'routes/profile.validation': [
    {
      label: 'own validation',
      loader: ownAccount(),
      action: {
        guard: 'validation.request: signed in with a verified address',
        permission: () => ({ action: 'validation.request' }),
        allow: SIGNED_IN,
        // Every field is optional; a note over the limit is refused with 400 after the guard, so no request is filed.
        form: () => ({ note: 'x'.repeat(VALIDATION_TEXT_MAX + 1) }),
      },
    },
  ],
  'routes/register': [
    { label: 'register', loader: publicCheck('the registration page (signed-in people are sent home)'), action: publicCheck('creating an account', () => ({ email: '' })) },
  ],
  'routes/reset-password': [
    { label: 'reset', loader: publicCheck('the token in the link is the key'), action: publicCheck('the token in the form is the key', () => ({ token: 'unknown', password: '' })) },
  ],
  'routes/sessions.$id.join': [
    { label: "X's open session", params: (w) => ({ id: w.x.sessionId }), loader: joinSession('x') },
    { label: "Y's open session", params: (w) => ({ id: w.y.sessionId }), loader: joinSession('y') },
  ],
  'routes/sessions.$id': [
    { label: "X's session", params: (w) => ({ id: w.x.sessionId }), loader: viewOffering('x', 'sign-in') },
    { label: "the draft's session", params: (w) => ({ id: w.draft.sessionId }), loader: viewOffering('draft', 'sign-in') },
  ],
  'routes/sessions.$id[.]ics': [
    { label: "X's session", params: (w) => ({ id: w.x.sessionId }), loader: viewOffering('x', 404) },
    { label: "the draft's session", params: (w) => ({ id: w.draft.sessionId }), loader: viewOffering('draft', 404) },
  ],
  'routes/set-language': [
    { label: 'language', loader: publicCheck('redirects home'), action: publicCheck("anyone may change their own language", () => ({ locale: 'xx', redirectTo: '/' })) },
  ],
  'routes/trainer._index': [
    { label: 'trainer home', loader: { guard: 'offering.create: trainers and admins', permission: () => ({ action: 'offering.create' }), allow: ANY_TRAINER } },
  ],
  'routes/trainer.offerings.$id._index': [
    { label: 'X', params: x, loader: inspect('x'), action: ownTrainers('offering.edit', 'x', () => ({ intent: 'addTrainer', email: '' })) },
    { label: 'Y', params: y, loader: inspect('y'), action: ownTrainers('offering.edit', 'y', () => ({ intent: 'addTrainer', email: '' })) },
    {
      label: "removing Y's trainer through X's page",
      params: x,
      action: { guard: 'the trainer must be one of the offering of the address', allow: [], form: (w) => ({ intent: 'removeTrainer', userId: w.userIds.otherTrainer }) },
    },
  ],
  'routes/trainer.offerings.$id.activities.$activityId': [
    { label: "X's page", params: (w) => ({ id: w.x.id, activityId: w.x.pageActivityId }), loader: inspect('x'), action: ownTrainers('offering.edit', 'x', () => ({ intent: 'save' })) },
    {
      label: "Y's page through X's address",
      params: (w) => ({ id: w.x.id, activityId: w.y.pageActivityId }),
      loader: { guard: 'the activity must belong to the offering of the address', allow: [] },
      action: { guard: 'the activity must belong to the offering of the address', allow: [], form: () => ({ intent: 'save' }) },
    },
  ],
  'routes/trainer.offerings.$id.certificates': [
    { label: 'X', params: x, loader: ownTrainers('certificate.manage'), action: ownTrainers('certificate.manage', 'x', () => ({ intent: 'issue' })) },
    { label: "confirming the revocation of Y's certificate on X's page", params: x, search: (w) => `?revoke=${w.y.certificateId}`, loader: { guard: 'the certificate must belong to the offering of the address', allow: [] } },
    {
      label: "issuing to Y's participant through X's page",
      params: x,
      action: { guard: 'the enrolment must belong to the offering of the address', allow: [], form: (w) => ({ intent: 'issue', enrolmentId: w.y.enrolmentId, reason: 'Matrix probe' }) },
    },
    {
      label: "revoking Y's certificate through X's page",
      params: x,
      action: { guard: 'the certificate must belong to the offering of the address', allow: [], form: (w) => ({ intent: 'revoke', certificateId: w.y.certificateId, reason: 'Matrix probe' }) },
    },
  ],
  'routes/trainer.offerings.$id.certificates[.]csv': [{ label: 'X', params: x, loader: ownTrainers('certificate.manage') }],
  'routes/trainer.offerings.$id.certificates[.]zip': [{ label: 'X', params: x, loader: ownTrainers('certificate.manage') }],
  'routes/trainer.offerings.$id.copy': [
    { label: 'X', params: x, loader: inspect('x'), action: ownTrainers('offering.edit', 'x', () => ({ shiftBy: '' })) },
  ],
  'routes/trainer.offerings.$id.messages': [
    { label: 'X', params: x, loader: ownTrainers('offering.message'), action: ownTrainers('offering.message', 'x', () => ({ subject: '' })) },
  ],
  'routes/trainer.offerings.$id.participants': [
    {
      label: 'X',
      params: x,
      loader: ownTrainers('offering.participants.manage'),
      action: ownTrainers('offering.participants.manage', 'x', () => ({ intent: 'invite', emails: '' })),
    },
    { label: "confirming the removal of Y's participant on X's page", params: x, search: (w) => `?remove=${w.y.enrolmentId}`, loader: { guard: 'the enrolment must belong to the offering of the address', allow: [] } },
    {
      label: "removing Y's participant through X's page",
      params: x,
      action: { guard: 'the enrolment must belong to the offering of the address', allow: [], form: (w) => ({ intent: 'remove', enrolmentId: w.y.enrolmentId }) },
    },
  ],
  'routes/trainer.offerings.$id.participants[.]csv': [{ label: 'X', params: x, loader: ownTrainers('offering.participants.manage') }],
  'routes/trainer.offerings.$id.progress': [{ label: 'X', params: x, loader: ownTrainers('learning.progress') }],
  'routes/trainer.offerings.$id.progress[.]csv': [{ label: 'X', params: x, loader: ownTrainers('learning.progress') }],
  'routes/trainer.offerings.$id.reviews': [
    {
      label: "X's submission",
      params: x,
      loader: ownTrainers('learning.review'),
      action: ownTrainers('learning.review', 'x', (w) => ({ submissionId: w.x.submissionId, intent: 'neither' })),
    },
    {
      label: "X's discussion post hidden through Y's page",
      params: y,
      action: { guard: 'the post must belong to the offering of the address', allow: [], form: (w) => ({ intent: 'hide', postId: w.x.classmatePost.id }) },
    },
    {
      label: "X's submission reviewed through Y's page",
      params: y,
      action: { guard: 'the submission must belong to the offering of the address', allow: [], form: (w) => ({ submissionId: w.x.submissionId, intent: 'return', feedback: 'Please redo.' }) },
    },
  ],
  'routes/trainer.offerings.$id.sessions': [
    { label: 'X', params: x, loader: inspect('x'), action: ownTrainers('offering.edit', 'x', () => ({ intent: 'add', title: '' })) },
    {
      label: "removing Y's session through X's page",
      params: x,
      action: { guard: 'the session must belong to the offering of the address', allow: [], form: (w) => ({ intent: 'remove', sessionId: w.y.sessionId }) },
    },
  ],
  'routes/trainer.offerings.$id.sessions_.$sessionId': [
    {
      label: "X's session",
      params: (w) => ({ id: w.x.id, sessionId: w.x.sessionId }),
      loader: ownTrainers('session.attendance.manage'),
      action: ownTrainers('session.attendance.manage', 'x', () => ({ intent: 'recording', recordingUrl: '' })),
    },
    {
      label: "Y's session through X's address",
      params: (w) => ({ id: w.x.id, sessionId: w.y.sessionId }),
      loader: { guard: 'the session must belong to the offering of the address', allow: [] },
      action: { guard: 'the session must belong to the offering of the address', allow: [], form: () => ({ intent: 'recording', recordingUrl: '' }) },
    },
  ],
  'routes/trainer.offerings.$id.structure': [
    { label: 'X', params: x, loader: inspect('x'), action: ownTrainers('offering.edit', 'x', () => ({ intent: 'addModule', title: '' })) },
    {
      label: "removing Y's module through X's page",
      params: x,
      action: { guard: 'the module must belong to the offering of the address', allow: [], form: (w) => ({ intent: 'removeModule', moduleId: w.y.moduleId }) },
    },
  ],
  'routes/trainer.offerings.$id': [
    { label: 'X', params: x, loader: inspect('x') },
    { label: 'draft', params: (w) => ({ id: w.draft.id }), loader: inspect('draft') },
  ],
  'routes/trainer.offerings.new': [
    {
      label: 'new offering',
      loader: { guard: 'offering.create: trainers and admins', permission: () => ({ action: 'offering.create' }), allow: ANY_TRAINER },
      action: { guard: 'offering.create: trainers and admins', permission: () => ({ action: 'offering.create' }), allow: ANY_TRAINER, form: () => ({ title: '' }) },
    },
  ],
  'routes/validations': [
    {
      label: 'queue',
      loader: { guard: 'validation.review: NSOs (their countries) and admins', permission: () => ({ action: 'validation.review' }), allow: ['otherNso', 'nso', 'admin'] },
      action: {
        guard: "validation.review for the request's country",
        permission: (w) => ({ action: 'validation.review', country: w.country }),
        allow: ['nso', 'admin'],
        // No decision: refused with 400 after both guards, the request stays pending.
        form: (w) => ({ requestId: w.validationRequestId }),
      },
    },
    {
      label: "queue filtered to the request's country",
      search: (w) => `?country=${w.country}`,
      loader: { guard: 'validation.review for that country', permission: (w) => ({ action: 'validation.review', country: w.country }), allow: ['nso', 'admin'] },
    },
  ],
  'routes/verify-email': [
    { label: 'verify', loader: publicCheck('the token in the link is the key'), action: signedIn('a new link for oneself', () => ({})) },
  ],
  'routes/verify.$code': [{ label: "X's certificate", params: (w) => ({ code: w.x.certificateCode }), loader: publicCheck('anyone may verify a certificate by its code') }],
  'routes/verify._index': [
    { label: 'verify', loader: publicCheck('the verification form'), action: publicCheck('anyone may check a PDF', () => ({})) },
  ],
  'routes/verify.credential': [
    { label: 'credential', loader: publicCheck('the credential form'), action: publicCheck('anyone may check a credential', () => ({ token: '' })) },
  ],
};
