import { describe, expect, it } from 'vitest';
import { safeRedirect } from '~/modules/ui/safe-redirect';

describe('safeRedirect', () => {
  it.each(['/', '/courses', '/courses/42?tab=sessions#next', '/profile/a%2F%2Fb', '/search?q=//not-a-host'])('keeps the path %j', (to) => {
    expect(safeRedirect(to)).toBe(to);
  });

  it.each([
    '//evil.example',
    '//evil.example/path',
    'https://evil.example',
    'http://localhost:3000/courses',
    'javascript:alert(1)',
    '/\\evil.example',
    '/\\/evil.example',
    'evil.example',
    'courses',
    '',
    '/\tevil',
    '/\n/evil.example',
    '/courses\r\nSet-Cookie: x=1',
    '/\u0000',
  ])('refuses %j', (to) => {
    expect(safeRedirect(to)).toBe('/');
  });

  it('uses the fallback for missing and non-string values', () => {
    expect(safeRedirect(null, '/home')).toBe('/home');
    expect(safeRedirect(undefined, '/home')).toBe('/home');
    expect(safeRedirect(new File(['x'], 'x.txt'), '/home')).toBe('/home');
    expect(safeRedirect('//evil.example', '/dashboard')).toBe('/dashboard');
  });
});
