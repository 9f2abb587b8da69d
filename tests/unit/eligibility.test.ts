import { describe, expect, it } from 'vitest';
import {
  checkEnrolment,
  checkUnenrol,
  promotionsAllowed,
  type EnrolmentCheckInput,
  type EnrolmentOffering,
  type EnrolmentPerson,
  type ExistingEnrolment,
} from '~/modules/enrolment/eligibility';
import { refusalMessage } from '~/modules/enrolment/messages';
import { inviteSchema, splitEmails } from '~/modules/enrolment/schemas';
import { createI18n } from '~/modules/i18n/i18n';
import { translateKey } from '~/modules/i18n/translate';
import { can, type Actor } from '~/modules/policy/policy';

const NOW = new Date('2026-03-10T12:00:00Z');
const DAY = 86_400_000;

const offering = (changes: Partial<EnrolmentOffering> = {}): EnrolmentOffering => ({
  status: 'published',
  eligibility: 'open',
  enrolmentOpensAt: new Date(NOW.getTime() - 10 * DAY),
  enrolmentClosesAt: new Date(NOW.getTime() + 10 * DAY),
  endsAt: new Date(NOW.getTime() + 40 * DAY),
  capacity: 20,
  seatsTaken: 3,
  waitlistEnabled: false,
  ...changes,
});
const person = (changes: Partial<EnrolmentPerson> = {}): EnrolmentPerson => ({ emailVerified: true, staffStatus: 'none', invited: false, ...changes });
const row = (status: ExistingEnrolment['status'], changes: Partial<ExistingEnrolment> = {}): ExistingEnrolment => ({
  status,
  removed: false,
  waitlistPosition: status === 'waitlisted' ? 4 : null,
  ...changes,
});

function check(changes: Partial<EnrolmentCheckInput> = {}) {
  return checkEnrolment({ offering: offering(), person: person(), enrolment: null, now: NOW, ...changes });
}
function reason(changes: Partial<EnrolmentCheckInput> = {}) {
  const result = check(changes);
  return result.ok ? `ok:${result.expect}` : result.refusal.reason;
}

describe('checkEnrolment', () => {
  it('lets an eligible person take a free seat', () => {
    expect(check()).toEqual({ ok: true, expect: 'seat' });
    expect(reason({ offering: offering({ capacity: null, seatsTaken: 10_000 }) })).toBe('ok:seat');
  });

  it.each([
    ['a draft', { offering: offering({ status: 'draft' }) }, 'not-published'],
    ['an archived offering', { offering: offering({ status: 'archived' }) }, 'not-published'],
    ['no enrolment dates', { offering: offering({ enrolmentOpensAt: null }) }, 'no-window'],
    ['before the window opens', { offering: offering({ enrolmentOpensAt: new Date(NOW.getTime() + 1) }) }, 'not-open-yet'],
    ['when the window closes (closing instant excluded)', { offering: offering({ enrolmentClosesAt: NOW }) }, 'closed'],
    ['after the offering ended', { offering: offering({ endsAt: NOW, enrolmentClosesAt: new Date(NOW.getTime() + DAY) }) }, 'ended'],
    ['anonymous visitors', { person: null }, 'sign-in'],
    ['an unconfirmed address', { person: person({ emailVerified: false }) }, 'email-unverified'],
    ['non-validated staff (validated only)', { offering: offering({ eligibility: 'validated' }) }, 'not-validated'],
    ['pending validation (validated only)', { offering: offering({ eligibility: 'validated' }), person: person({ staffStatus: 'pending' }) }, 'not-validated'],
    ['people without an invitation (invite only)', { offering: offering({ eligibility: 'invite' }) }, 'invitation-needed'],
    ['someone a trainer removed', { enrolment: row('withdrawn', { removed: true }) }, 'removed'],
    ['the enrolled', { enrolment: row('enrolled') }, 'already-enrolled'],
    ['the waitlisted', { enrolment: row('waitlisted') }, 'already-waitlisted'],
    ['the completed', { enrolment: row('completed') }, 'already-completed'],
    ['a full offering without a waitlist', { offering: offering({ seatsTaken: 20 }) }, 'full'],
  ] as const)('refuses %s', (_label, changes, expected) => {
    expect(reason(changes)).toBe(expected);
  });

  it('opens at the opening instant, inclusive', () => {
    expect(reason({ offering: offering({ enrolmentOpensAt: NOW }) })).toBe('ok:seat');
  });

  it('offers the waitlist when full and the waitlist is on', () => {
    expect(check({ offering: offering({ seatsTaken: 20, waitlistEnabled: true }) })).toEqual({ ok: true, expect: 'waitlist' });
  });

  it('lets validated staff into a validated-only offering, and invited people into an invite-only one', () => {
    expect(reason({ offering: offering({ eligibility: 'validated' }), person: person({ staffStatus: 'validated' }) })).toBe('ok:seat');
    expect(reason({ offering: offering({ eligibility: 'invite' }), person: person({ invited: true }) })).toBe('ok:seat');
  });

  it('lets people who left come back, but not people a trainer removed (unless invited again)', () => {
    expect(reason({ enrolment: row('withdrawn') })).toBe('ok:seat');
    expect(reason({ enrolment: row('withdrawn', { removed: true }), viaInvitation: true })).toBe('ok:seat');
  });

  it('lets an invitation link stand in for the invitation, and for nothing else', () => {
    const inviteOnly = offering({ eligibility: 'invite' });
    expect(reason({ offering: inviteOnly, viaInvitation: true })).toBe('ok:seat');
    expect(reason({ offering: inviteOnly, viaInvitation: true, person: person({ emailVerified: false }) })).toBe('email-unverified');
    expect(reason({ offering: offering({ eligibility: 'invite', seatsTaken: 20 }), viaInvitation: true })).toBe('full');
    expect(reason({ offering: offering({ eligibility: 'invite', enrolmentClosesAt: NOW }), viaInvitation: true })).toBe('closed');
    expect(reason({ offering: offering({ eligibility: 'validated' }), viaInvitation: true })).toBe('not-validated');
  });

  it('tells people with a place about it before anything about dates', () => {
    const closed = offering({ enrolmentClosesAt: new Date(NOW.getTime() - DAY) });
    expect(reason({ offering: closed, enrolment: row('enrolled') })).toBe('already-enrolled');
    expect(check({ offering: closed, enrolment: row('waitlisted', { waitlistPosition: 7 }) })).toEqual({
      ok: false,
      refusal: { reason: 'already-waitlisted', position: 7 },
    });
  });

  it('says what is true for everyone before asking anyone to sign in', () => {
    expect(reason({ person: null, offering: offering({ status: 'draft' }) })).toBe('not-published');
    expect(reason({ person: null, offering: offering({ enrolmentClosesAt: NOW }) })).toBe('closed');
  });

  it('asks for a confirmed address before validation, and validation before an invitation', () => {
    const strict = offering({ eligibility: 'validated' });
    expect(reason({ offering: strict, person: person({ emailVerified: false }) })).toBe('email-unverified');
    expect(reason({ offering: offering({ eligibility: 'invite', seatsTaken: 20 }) })).toBe('invitation-needed');
  });
});

describe('refusalMessage', () => {
  const en = createI18n('en').t;
  const say = (changes: Partial<EnrolmentCheckInput>, view = { timeZone: 'Europe/Oslo', locale: 'en' }) => {
    const result = check(changes);
    if (result.ok) throw new Error('expected a refusal');
    const said = refusalMessage(result.refusal, view);
    return translateKey(en, said.key, said.params);
  };

  it('says when enrolment opens, in the viewer’s zone', () => {
    const opens = new Date('2026-04-01T07:30:00Z');
    expect(say({ offering: offering({ enrolmentOpensAt: opens }) })).toBe('Enrolment opens on 1 Apr 2026, 09:30 CEST.');
    expect(say({ offering: offering({ enrolmentOpensAt: opens }) }, { timeZone: 'Europe/Helsinki', locale: 'en' })).toContain('10:30');
  });

  it('says when enrolment closed, and that validation is pending', () => {
    expect(say({ offering: offering({ enrolmentClosesAt: new Date('2026-03-01T10:00:00Z') }) })).toBe('Enrolment closed on 1 Mar 2026, 11:00 CET.');
    expect(say({ offering: offering({ eligibility: 'validated' }), person: person({ staffStatus: 'pending' }) })).toMatch(/waiting for a decision/);
  });

  it('has plain words for every refusal, in every language', () => {
    const refusals = [
      { person: null },
      { offering: offering({ status: 'draft' }) },
      { offering: offering({ status: 'archived' }) },
      { offering: offering({ enrolmentOpensAt: null }) },
      { offering: offering({ endsAt: NOW }) },
      { person: person({ emailVerified: false }) },
      { offering: offering({ eligibility: 'validated' }) },
      { offering: offering({ eligibility: 'validated' }), person: person({ staffStatus: 'rejected' }) },
      { offering: offering({ eligibility: 'invite' }) },
      { enrolment: row('withdrawn', { removed: true }) },
      { enrolment: row('enrolled') },
      { enrolment: row('waitlisted') },
      { enrolment: row('waitlisted', { waitlistPosition: null }) },
      { enrolment: row('completed') },
      { offering: offering({ seatsTaken: 20 }) },
    ] satisfies Partial<EnrolmentCheckInput>[];
    const english = refusals.map((changes) => say(changes));
    expect(new Set(english).size).toBe(refusals.length);
    for (const text of english) {
      expect(text).not.toMatch(/^enrolment\./);
      expect(text).not.toContain('{{');
    }
  });
});

describe('checkUnenrol', () => {
  it('lets the enrolled give back a seat and the waitlisted their place in line', () => {
    expect(checkUnenrol(row('enrolled'))).toEqual({ ok: true, frees: 'seat' });
    expect(checkUnenrol(row('waitlisted'))).toEqual({ ok: true, frees: 'waitlist-place' });
  });

  it('keeps completed enrolments and refuses those without a place', () => {
    expect(checkUnenrol(row('completed'))).toEqual({ ok: false, refusal: { reason: 'completed' } });
    expect(checkUnenrol(row('withdrawn'))).toEqual({ ok: false, refusal: { reason: 'not-enrolled' } });
    expect(checkUnenrol(null)).toEqual({ ok: false, refusal: { reason: 'not-enrolled' } });
  });
});

describe('promotion rules', () => {
  it('stops once the offering is over or archived', () => {
    expect(promotionsAllowed({ status: 'published', endsAt: new Date(NOW.getTime() + 1) }, NOW)).toBe(true);
    expect(promotionsAllowed({ status: 'published', endsAt: NOW }, NOW)).toBe(false);
    expect(promotionsAllowed({ status: 'archived', endsAt: null }, NOW)).toBe(false);
  });
});

describe('invitation addresses', () => {
  it('splits lines (and commas, semicolons, spaces), dropping empty ones', () => {
    expect(splitEmails('a@x.org\n\n  b@y.org ; c@z.org,<d@w.org>\r\n')).toEqual(['a@x.org', 'b@y.org', 'c@z.org', 'd@w.org']);
  });

  it('lower-cases and removes duplicates', () => {
    const parsed = inviteSchema.safeParse({ intent: 'invite', emails: 'Ola@Skole.NO\nola@skole.no\nkari@skole.no' });
    expect(parsed.success && parsed.data.emails).toEqual(['ola@skole.no', 'kari@skole.no']);
  });

  it('names the addresses that are wrong', () => {
    const parsed = inviteSchema.safeParse({ intent: 'invite', emails: 'ok@skole.no\nnot-an-address\nalso@wrong' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('enrolment.errors.invalidEmails|{"count":2,"list":"not-an-address, also@wrong"}');
  });

  it('takes 200 addresses and refuses 201', () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `teacher${i}@skole.no`).join('\n');
    expect(inviteSchema.safeParse({ intent: 'invite', emails: list(200) }).success).toBe(true);
    const over = inviteSchema.safeParse({ intent: 'invite', emails: list(201) });
    expect(over.error?.issues[0]?.message).toBe('enrolment.errors.tooManyEmails|{"max":200}');
    expect(inviteSchema.safeParse({ intent: 'invite', emails: ' \n ' }).success).toBe(false);
  });
});

describe('policy', () => {
  const published = { status: 'published' as const, trainerIds: ['u-trainer'] };
  const draft = { status: 'draft' as const, trainerIds: ['u-trainer'] };
  const participant: Actor = { id: 'u-participant', roles: [], country: 'NO', emailVerified: true };
  const trainer: Actor = { id: 'u-trainer', roles: [{ role: 'trainer', country: '' }], country: 'NO', emailVerified: true };
  const otherTrainer: Actor = { id: 'u-other', roles: [{ role: 'trainer', country: '' }], country: 'NO', emailVerified: true };
  const admin: Actor = { id: 'u-admin', roles: [{ role: 'admin', country: '' }], country: 'NO', emailVerified: true };
  const env = { development: false };

  it('lets anyone signed in try to enrol in an offering they may see', () => {
    expect(can(participant, { action: 'offering.enrol', offering: published }, env)).toBe(true);
    expect(can(null, { action: 'offering.enrol', offering: published }, env)).toBe(false);
    expect(can(participant, { action: 'offering.enrol', offering: draft }, env)).toBe(false);
  });

  it('shows the participant list only to the offering’s own trainers and admins', () => {
    const manage = (actor: Actor | null) => can(actor, { action: 'offering.participants.manage', offering: published }, env);
    expect([null, participant, otherTrainer, trainer, admin].map(manage)).toEqual([false, false, false, true, true]);
  });
});
