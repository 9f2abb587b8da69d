import { describe, expect, it } from 'vitest';
import { passOnHeaders } from '~/modules/ui/headers';

describe('passOnHeaders', () => {
  it('keeps Retry-After of a 429 action and Referrer-Policy of a loader, and nothing else', () => {
    const out = new Headers(
      passOnHeaders({
        actionHeaders: new Headers({ 'Retry-After': '900', 'X-Other': 'no' }),
        loaderHeaders: new Headers({ 'Referrer-Policy': 'no-referrer' }),
        errorHeaders: undefined,
        parentHeaders: new Headers(),
      }),
    );
    expect(out.get('retry-after')).toBe('900');
    expect(out.get('referrer-policy')).toBe('no-referrer');
    expect(out.get('x-other')).toBeNull();
  });
});
