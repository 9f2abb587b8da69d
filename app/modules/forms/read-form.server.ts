import { data } from '@remix-run/node';

/**
 * The posted form, or a 400 when the body cannot be read as one (a truncated
 * multipart body, a wrong boundary). Actions use this instead of
 * request.formData(), whose parse errors would otherwise become 500s.
 */
export async function readFormData(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw data({ message: 'The form could not be read. Please send it again.' }, { status: 400 });
  }
}
