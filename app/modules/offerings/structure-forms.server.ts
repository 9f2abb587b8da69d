import type { Submission } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import type { $ZodType, input, output } from 'zod/v4/core';

/** More list items than any structure form shows; a higher index in a field name is not from our pages. */
export const FORM_INDEX_MAX = 100;
const FORM_FIELDS_MAX = 5000;

/**
 * conform's parse, guarded against posts no page of ours makes: a field
 * name such as `questions[999999999].prompt` would build a huge sparse list,
 * and a malformed `__intent__` makes conform throw. Both answer null, which
 * the route turns into a 400.
 */
export function parseStructureForm<S extends $ZodType>(formData: FormData, schema: S): Submission<input<S>, string[], output<S>> | null {
  let fields = 0;
  for (const key of formData.keys()) {
    if (++fields > FORM_FIELDS_MAX) return null;
    for (const match of key.matchAll(/\[(\d+)\]/g)) {
      if (match[1]!.length > 3 || Number(match[1]) > FORM_INDEX_MAX) return null;
    }
  }
  const intent = formData.get('__intent__');
  if (intent !== null && !isListIntent(intent)) return null;
  try {
    return parseWithZod(formData, { schema });
  } catch {
    return null;
  }
}

/** The only conform intents our forms post: "add" and "remove" buttons of a list, at a sane index. */
function isListIntent(value: FormDataEntryValue): boolean {
  if (typeof value !== 'string' || value.length > 2000) return false;
  let intent: unknown;
  try {
    intent = JSON.parse(value);
  } catch {
    return false;
  }
  if (!intent || typeof intent !== 'object') return false;
  const { type, payload } = intent as { type?: unknown; payload?: { name?: unknown; index?: unknown } };
  if ((type !== 'insert' && type !== 'remove') || !payload || typeof payload.name !== 'string') return false;
  if (payload.index !== undefined && !(Number.isInteger(payload.index) && (payload.index as number) >= 0 && (payload.index as number) <= FORM_INDEX_MAX)) return false;
  return [...payload.name.matchAll(/\[(\d+)\]/g)].every((m) => m[1]!.length <= 3 && Number(m[1]) <= FORM_INDEX_MAX);
}
