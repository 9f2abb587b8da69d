import { message } from '../forms/messages';
import type { LimitCheck } from './rate-limit.server';

/** The form-level message and headers for a 429: when to try again, in words and in Retry-After. */
export function tooManyAttempts(check: Extract<LimitCheck, { limited: true }>) {
  const seconds = check.retryAfterSeconds;
  const text = seconds >= 90 ? message('errors.rateLimited', { minutes: Math.ceil(seconds / 60) }) : message('errors.rateLimitedSeconds', { seconds });
  return { message: text, init: { status: 429, headers: { 'Retry-After': String(seconds) } } };
}
