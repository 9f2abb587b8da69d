const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for an id the database could hold; anything else is answered with 404 before any query runs. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
