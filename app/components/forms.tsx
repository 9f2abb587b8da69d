import { getInputProps, getSelectProps, getTextareaProps, type FieldMetadata } from '@conform-to/react';
import type { ComponentProps, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { translateMessage } from '~/modules/forms/messages';

type Option = { value: string; label: string };

/** The ids of a field's hint and error, for aria-describedby. */
export function describedBy(...ids: (string | undefined | false)[]): string | undefined {
  const joined = ids.filter(Boolean).join(' ');
  return joined || undefined;
}

/** A field's errors, translated, under the id its input points at with aria-describedby. */
export function FieldErrors({ meta }: { meta: FieldMetadata<unknown> }) {
  const { t } = useTranslation();
  if (!meta.errors?.length) return null;
  return (
    <p id={meta.errorId} className="error">
      {meta.errors.map((e) => translateMessage(t, e)).join(' ')}
    </p>
  );
}

/** A labelled input with its hint and errors tied to it for screen readers. */
export function TextField({
  meta,
  label,
  hint,
  type = 'text',
  ...rest
}: {
  meta: FieldMetadata<string | undefined>;
  label: string;
  hint?: string;
  type?: 'text' | 'email' | 'password' | 'url' | 'search';
} & Omit<ComponentProps<'input'>, 'type'>) {
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const inputProps = getInputProps(meta, { type, ariaAttributes: true });
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      <input {...inputProps} key={inputProps.key} {...rest} aria-describedby={describedBy(hintId, !meta.valid && meta.errorId)} />
      <FieldErrors meta={meta} />
    </div>
  );
}

export function TextAreaField({
  meta,
  label,
  hint,
  ...rest
}: { meta: FieldMetadata<string | undefined>; label: string; hint?: string } & ComponentProps<'textarea'>) {
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const props = getTextareaProps(meta, { ariaAttributes: true });
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      <textarea {...props} key={props.key} rows={4} {...rest} aria-describedby={describedBy(hintId, !meta.valid && meta.errorId)} />
      <FieldErrors meta={meta} />
    </div>
  );
}

export function SelectField({
  meta,
  label,
  hint,
  options,
  placeholder,
  ...rest
}: {
  meta: FieldMetadata<string | undefined>;
  label: string;
  hint?: string;
  options: Option[];
  placeholder?: string;
} & ComponentProps<'select'>) {
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const props = getSelectProps(meta, { ariaAttributes: true });
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      <select {...props} key={props.key} {...rest} aria-describedby={describedBy(hintId, !meta.valid && meta.errorId)}>
        {placeholder ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldErrors meta={meta} />
    </div>
  );
}

export function CheckboxField({ meta, label }: { meta: FieldMetadata<boolean | string | undefined>; label: string }) {
  const props = getInputProps(meta, { type: 'checkbox', ariaAttributes: true });
  return (
    <div className="field">
      <div className="checkbox">
        <input {...props} key={props.key} />
        <label htmlFor={meta.id}>{label}</label>
      </div>
      <FieldErrors meta={meta} />
    </div>
  );
}

/** Errors about the whole form (wrong password, too many attempts), announced at once. */
export function FormErrors({ errors, id }: { errors?: string[] | null; id?: string }) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    <div className="form-error" role="alert" id={id}>
      {errors.map((e) => (
        <p key={e} style={{ margin: 0 }}>
          {translateMessage(t, e)}
        </p>
      ))}
    </div>
  );
}

/** A field people never see; bots fill it in. The server refuses forms where it has a value. */
export function Honeypot() {
  const { t } = useTranslation();
  return (
    <div className="honeypot" aria-hidden="true">
      <label htmlFor="website-field">{t('auth.fields.website')}</label>
      <input id="website-field" name="website" type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
    </div>
  );
}

export function FormActions({ children }: { children: ReactNode }) {
  return <div className="actions">{children}</div>;
}

/** A whole or decimal number typed as text (so "12,5" works in every language), with hint and errors. */
export function NumberField({
  meta,
  label,
  hint,
  decimal = false,
  ...rest
}: { meta: FieldMetadata<string | number | undefined>; label: string; hint?: string; decimal?: boolean } & Omit<ComponentProps<'input'>, 'type'>) {
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const props = getInputProps(meta as FieldMetadata<string>, { type: 'text', ariaAttributes: true });
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      <input
        {...props}
        key={props.key}
        inputMode={decimal ? 'decimal' : 'numeric'}
        className="input-short"
        {...rest}
        aria-describedby={describedBy(hintId, !meta.valid && meta.errorId)}
      />
      <FieldErrors meta={meta} />
    </div>
  );
}
