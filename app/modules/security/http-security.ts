/**
 * Cross-site request forgery defence for every non-GET request: the browser's
 * Origin (or, failing that, Referer) must be our own. SameSite=Lax cookies are
 * the second line.
 */
export function isSameOriginRequest(request: Request, appUrl: string): boolean {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return true;
  const allowed = new Set([new URL(appUrl).origin, new URL(request.url).origin]);
  const origin = request.headers.get('origin');
  if (origin && origin !== 'null') return allowed.has(origin);
  const referer = request.headers.get('referer');
  if (referer) {
    try {
      return allowed.has(new URL(referer).origin);
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * The client's address for rate limits and session records. Behind a
 * reverse proxy (TRUST_PROXY) it is the last X-Forwarded-For entry: the one
 * our proxy appended. Earlier entries come from the client itself, so the
 * first one would let anybody pick a fresh address per request and walk
 * past the per-address limits.
 */
export function clientAddressFrom(forwardedFor: string | null, socketAddress: string, trustProxy: boolean): string {
  if (!trustProxy || !forwardedFor) return socketAddress;
  const last = forwardedFor.split(',').pop()?.trim();
  return last || socketAddress;
}

/** Headers on every response. The CSP allows scripts only with this request's nonce. */
export function securityHeaders(options: { dev: boolean; nonce?: string; https?: boolean }): Record<string, string> {
  const scriptSrc = options.dev ? "'self' 'unsafe-inline' 'unsafe-eval'" : `'self'${options.nonce ? ` 'nonce-${options.nonce}'` : ''}`;
  const connectSrc = options.dev ? "'self' ws: wss:" : "'self'";
  const csp = [
    "default-src 'self'",
    `script-src ${scriptSrc}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self'",
    `connect-src ${connectSrc}`,
    "frame-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join('; ');
  const headers: Record<string, string> = {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
  if (options.https) headers['Strict-Transport-Security'] = 'max-age=31536000; includeSubDomains';
  return headers;
}

/** Forms are small; the attendance and PDF uploads of later issues set their own, larger limits. */
export const MAX_FORM_BYTES = 2 * 1024 * 1024;

/**
 * Pages that take a bigger upload hold it to their own, exact limit before
 * reading it, with a translated message; here they only get a ceiling well
 * above it. The attendance import: a 5 MB report, sent again as base64 to save.
 */
const UPLOAD_CEILINGS: { path: RegExp; maxBytes: number }[] = [
  { path: /^\/trainer\/offerings\/[^/]+\/sessions\/[^/]+\/?$/, maxBytes: 64 * 1024 * 1024 },
  // The certificate check on /verify: a PDF of up to 10 MB (verify.server.ts holds it to that exactly).
  { path: /^\/verify\/?$/, maxBytes: 11 * 1024 * 1024 },
];

function bodyLimitFor(request: Request): number {
  const path = new URL(request.url).pathname;
  return UPLOAD_CEILINGS.find((ceiling) => ceiling.path.test(path))?.maxBytes ?? MAX_FORM_BYTES;
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * Every page action reads a form: a request with a body of another type
 * (JSON, XML…) or a declared size beyond the limit is answered here with
 * 415 or 413, before any action tries to parse it.
 */
export function refuseUnsupportedBody(request: Request): Response | null {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return null;
  const length = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(length) && length > bodyLimitFor(request)) {
    return new Response('The form is too large.', { status: 413, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === '' && length === 0) return null;
  if (!FORM_TYPES.includes(type)) {
    return new Response('Send the form as application/x-www-form-urlencoded or multipart/form-data.', {
      status: 415,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  return null;
}

