import { describe, expect, it } from 'vitest';
import { clientAddressFrom, securityHeaders } from '~/modules/security/http-security';
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

describe('clientAddressFrom', () => {
  it('ignores X-Forwarded-For unless TRUST_PROXY is on', () => {
    expect(clientAddressFrom('203.0.113.9', '10.0.0.2', false)).toBe('10.0.0.2');
  });

  it('takes the entry our proxy appended, not one the client wrote', () => {
    // nginx's $proxy_add_x_forwarded_for: whatever the client sent, then the address it saw.
    expect(clientAddressFrom('1.2.3.4, 198.51.100.7', '10.0.0.2', true)).toBe('198.51.100.7');
    expect(clientAddressFrom('198.51.100.7', '10.0.0.2', true)).toBe('198.51.100.7');
  });

  it('falls back to the socket address when the header is missing or empty', () => {
    expect(clientAddressFrom(null, '10.0.0.2', true)).toBe('10.0.0.2');
    expect(clientAddressFrom(' , ', '10.0.0.2', true)).toBe('10.0.0.2');
  });
});

describe('securityHeaders on every kind of answer', () => {
  it('keeps pages out of frames, sniffing and other origins in production, with or without a nonce', () => {
    for (const headers of [securityHeaders({ dev: false }), securityHeaders({ dev: false, nonce: 'n0nce', https: true })]) {
      const csp = headers['Content-Security-Policy']!;
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).toMatch(/object-src 'none'/);
      expect(csp).toMatch(/base-uri 'self'/);
      expect(csp).toMatch(/form-action 'self'/);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
      expect(headers['X-Frame-Options']).toBe('DENY');
      expect(headers['X-Content-Type-Options']).toBe('nosniff');
    }
  });
});
