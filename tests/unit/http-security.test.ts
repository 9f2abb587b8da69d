import { describe, expect, it } from 'vitest';
import { isSameOriginRequest, MAX_FORM_BYTES, refuseUnsupportedBody, securityHeaders } from '~/modules/security/http-security';
import { readFormData } from '~/modules/forms/read-form.server';

const APP = 'https://kollega.example.org';

function request(method: string, headers: Record<string, string> = {}, url = `${APP}/login`) {
  return new Request(url, { method, headers });
}

describe('isSameOriginRequest', () => {
  it.each(['GET', 'HEAD', 'OPTIONS'])('lets %s through whatever its origin', (method) => {
    expect(isSameOriginRequest(request(method, { origin: 'https://evil.example' }), APP)).toBe(true);
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('accepts %s from our own origin only', (method) => {
    expect(isSameOriginRequest(request(method, { origin: APP }), APP)).toBe(true);
    expect(isSameOriginRequest(request(method, { origin: 'https://evil.example' }), APP)).toBe(false);
    expect(isSameOriginRequest(request(method, { origin: 'http://kollega.example.org' }), APP)).toBe(false);
    expect(isSameOriginRequest(request(method, { origin: 'https://kollega.example.org.evil.example' }), APP)).toBe(false);
  });

  it('accepts the origin the request itself was addressed to', () => {
    const local = request('POST', { origin: 'http://127.0.0.1:3000' }, 'http://127.0.0.1:3000/login');
    expect(isSameOriginRequest(local, APP)).toBe(true);
  });

  it('falls back to Referer when there is no usable Origin', () => {
    expect(isSameOriginRequest(request('POST', { referer: `${APP}/courses/1` }), APP)).toBe(true);
    expect(isSameOriginRequest(request('POST', { origin: 'null', referer: `${APP}/courses/1` }), APP)).toBe(true);
    expect(isSameOriginRequest(request('POST', { referer: 'https://evil.example/form' }), APP)).toBe(false);
    expect(isSameOriginRequest(request('POST', { referer: 'not a url' }), APP)).toBe(false);
  });

  it('refuses a non-GET request that names no origin at all', () => {
    expect(isSameOriginRequest(request('POST'), APP)).toBe(false);
    expect(isSameOriginRequest(request('POST', { origin: 'null' }), APP)).toBe(false);
  });
});

function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name!, values.join(' ')];
    }),
  );
}

describe('securityHeaders', () => {
  it('allows only scripts with this request’s nonce in production', () => {
    const headers = securityHeaders({ dev: false, nonce: 'abc123', https: true });
    const csp = directives(headers['Content-Security-Policy']!);
    expect(csp.get('script-src')).toBe("'self' 'nonce-abc123'");
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.get('form-action')).toBe("'self'");
    expect(csp.get('base-uri')).toBe("'self'");
    expect(csp.get('connect-src')).toBe("'self'");
    expect(headers['Content-Security-Policy']).not.toContain('unsafe-eval');
    expect(headers).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
    });
  });

  it('sends HSTS only over HTTPS and no nonce when there is none', () => {
    const headers = securityHeaders({ dev: false });
    expect(headers['Strict-Transport-Security']).toBeUndefined();
    expect(directives(headers['Content-Security-Policy']!).get('script-src')).toBe("'self'");
  });

  it('opens what Vite needs in development', () => {
    const csp = directives(securityHeaders({ dev: true, nonce: 'abc' })['Content-Security-Policy']!);
    expect(csp.get('script-src')).toContain("'unsafe-eval'");
    expect(csp.get('connect-src')).toContain('ws:');
    expect(csp.get('frame-ancestors')).toBe("'none'");
  });
});

describe('refuseUnsupportedBody', () => {
  const post = (headers: Record<string, string>, body?: string) => new Request(`${APP}/login`, { method: 'POST', headers, body });

  it('lets forms and bodiless posts through', () => {
    expect(refuseUnsupportedBody(post({ 'content-type': 'application/x-www-form-urlencoded' }, 'a=1'))).toBeNull();
    expect(refuseUnsupportedBody(post({ 'content-type': 'multipart/form-data; boundary=x' }, '--x--'))).toBeNull();
    expect(refuseUnsupportedBody(post({}))).toBeNull();
    expect(refuseUnsupportedBody(new Request(`${APP}/`))).toBeNull();
  });

  it('answers 415 for JSON and other bodies, 413 beyond the size limit', () => {
    expect(refuseUnsupportedBody(post({ 'content-type': 'application/json' }, '{"a":1}'))?.status).toBe(415);
    expect(refuseUnsupportedBody(post({ 'content-type': 'text/plain' }, 'hello'))?.status).toBe(415);
    const huge = post({ 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(MAX_FORM_BYTES + 1) });
    expect(refuseUnsupportedBody(huge)?.status).toBe(413);
  });
});

describe('readFormData', () => {
  it('turns an unreadable multipart body into a 400, not a 500', async () => {
    const broken = new Request(`${APP}/login`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=abc' }, body: 'not multipart at all' });
    const thrown = await readFormData(broken).then(
      () => null,
      (error: unknown) => error as { init?: { status?: number } },
    );
    expect(thrown?.init?.status).toBe(400);
  });

  it('returns the fields of a good form', async () => {
    const good = new Request(`${APP}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=a%40b.c' });
    expect((await readFormData(good)).get('email')).toBe('a@b.c');
  });
});
