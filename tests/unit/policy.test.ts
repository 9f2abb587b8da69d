import { describe, expect, it } from 'vitest';
import { can, reviewableCountries, type Actor, type Permission } from '~/modules/policy/policy';

const actors = {
  anonymous: null,
  participant: { id: 'u-participant', roles: [], country: 'SE', emailVerified: true },
  unverified: { id: 'u-unverified', roles: [], country: 'SE', emailVerified: false },
  trainer: { id: 'u-trainer', roles: [{ role: 'trainer', country: '' }], country: 'BE', emailVerified: true },
  nsoNorway: { id: 'u-nso-no', roles: [{ role: 'nso', country: 'NO' }], country: 'NO', emailVerified: true },
  nsoSweden: { id: 'u-nso-se', roles: [{ role: 'nso', country: 'SE' }], country: 'SE', emailVerified: true },
  admin: { id: 'u-admin', roles: [{ role: 'admin', country: '' }], country: 'NO', emailVerified: true },
} satisfies Record<string, Actor | null>;
type ActorName = keyof typeof actors;

const permissions = {
  'mailbox.view': { action: 'mailbox.view' },
  'admin.users.manage': { action: 'admin.users.manage' },
  'admin.emails.manage': { action: 'admin.emails.manage' },
  'validation.request': { action: 'validation.request' },
  'validation.review (any country)': { action: 'validation.review' },
  'validation.review NO': { action: 'validation.review', country: 'NO' },
  'account.manage (own)': { action: 'account.manage', userId: 'SELF' },
  'account.manage (someone else)': { action: 'account.manage', userId: 'u-someone-else' },
} satisfies Record<string, Permission | { action: 'account.manage'; userId: 'SELF' }>;
type PermissionName = keyof typeof permissions;

/** Who may do what, written out in full: [anonymous, participant, unverified, trainer, nsoNorway, nsoSweden, admin]. */
const order: ActorName[] = ['anonymous', 'participant', 'unverified', 'trainer', 'nsoNorway', 'nsoSweden', 'admin'];
const production: Record<PermissionName, boolean[]> = {
  'mailbox.view': [false, false, false, false, false, false, true],
  'admin.users.manage': [false, false, false, false, false, false, true],
  'admin.emails.manage': [false, false, false, false, false, false, true],
  'validation.request': [false, true, false, true, true, true, true],
  'validation.review (any country)': [false, false, false, false, true, true, true],
  'validation.review NO': [false, false, false, false, true, false, true],
  'account.manage (own)': [false, true, true, true, true, true, true],
  'account.manage (someone else)': [false, false, false, false, false, false, false],
};
// Development differs in one place: the built-in mailbox is open to everyone.
const development: Record<PermissionName, boolean[]> = { ...production, 'mailbox.view': order.map(() => true) };

function resolve(name: PermissionName, actor: Actor | null): Permission {
  const permission = permissions[name];
  if (permission.action === 'account.manage' && permission.userId === 'SELF') return { action: 'account.manage', userId: actor?.id ?? 'nobody' };
  return permission as Permission;
}

describe.each([
  ['production', false, production],
  ['development', true, development],
] as const)('can() in %s', (_env, isDevelopment, table) => {
  const cases = (Object.keys(table) as PermissionName[]).flatMap((name) =>
    order.map((actorName, i) => ({ name, actorName, expected: table[name][i]! })),
  );
  it.each(cases)('$name for $actorName is $expected', ({ name, actorName, expected }) => {
    const actor = actors[actorName];
    expect(can(actor, resolve(name, actor), { development: isDevelopment })).toBe(expected);
  });
});

describe('reviewableCountries', () => {
  it.each([
    ['anonymous', []],
    ['participant', []],
    ['trainer', []],
    ['nsoNorway', ['NO']],
    ['nsoSweden', ['SE']],
    ['admin', 'all'],
  ] as const)('for %s is %j', (actorName, expected) => {
    expect(reviewableCountries(actors[actorName])).toEqual(expected);
  });

  it('lists every country of an officer with several, and ignores grants without one', () => {
    const officer: Actor = {
      id: 'u-multi',
      roles: [
        { role: 'nso', country: 'NO' },
        { role: 'trainer', country: '' },
        { role: 'nso', country: 'FI' },
        { role: 'nso', country: '' },
      ],
      country: 'NO',
      emailVerified: true,
    };
    expect(reviewableCountries(officer)).toEqual(['NO', 'FI']);
    expect(can(officer, { action: 'validation.review', country: 'FI' }, { development: false })).toBe(true);
    expect(can(officer, { action: 'validation.review', country: 'SE' }, { development: false })).toBe(false);
  });
});
