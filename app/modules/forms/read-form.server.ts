import { data } from '@remix-run/node';

/**
 * The posted form, or a 400 when the body cannot be read as one (a truncated
 * multipart body, a wrong boundary). Actions use this instead of
 * request.formData(), whose parse errors would otherwise become 500s.
 */
export async function readFormData(request: Request): Promise<FormData> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw data({ message: 'The form could not be read. Please send it again.' }, { status: 400 });
  }
  if (hasNulText(form)) throw data({ message: NUL_MESSAGE }, { status: 400 });
  return form;
}

export const NUL_MESSAGE = 'The form contains a character that cannot be saved (a NUL byte). Please remove it and send the form again.';

/**
 * PostgreSQL text cannot hold U+0000, so a text field with one would fail
 * in the database (a 500) rather than in validation. No one types it; a
 * form carrying one is refused as unreadable. Files may hold any bytes.
 */
export function hasNulText(form: FormData): boolean {
  for (const [, value] of form) if (typeof value === 'string' && value.includes('\u0000')) return true;
  return false;
}
