import { describe, expect, it } from 'vitest';
import { mayBeFile } from '../../server/http';

const topLevel = new Set(['assets', 'favicon.svg']);

describe('mayBeFile', () => {
  it.each(['/', '/catalogue', '/catalogue?q=x.y', '/offerings/a-b', '/healthz', '/login?redirectTo=%2Fprofile'])('lets the page %s skip the file lookup', (url) => {
    expect(mayBeFile(url, topLevel)).toBe(false);
  });

  it.each(['/favicon.svg', '/assets/entry.client-abc.js', '/assets', '/robots.txt', '/%61ssets/x.js', '/./favicon.svg', '//favicon.svg', 'http://host/favicon.svg'])(
    'sends %s to serve-static',
    (url) => {
      expect(mayBeFile(url, topLevel)).toBe(true);
    },
  );
});
