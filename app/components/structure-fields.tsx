import { getInputProps, type FieldMetadata } from '@conform-to/react';
import type { ReactNode } from 'react';
import { describedBy, FieldErrors } from './forms';

/** The errors of one field (or fieldset), with the id its control points at. */

/** A datetime-local field; the label names the zone the time is read in. */
export function DateTimeField({ meta, label, hint }: { meta: FieldMetadata<string | Date | null | undefined>; label: string; hint?: string }) {
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const props = getInputProps(meta as FieldMetadata<string>, { type: 'datetime-local', ariaAttributes: true });
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
        style={{ font: 'inherit', padding: '0.45rem 0.6rem', border: '1px solid #7a8594', borderRadius: 'var(--radius)', maxWidth: '16rem' }}
        aria-describedby={describedBy(hintId, !meta.valid && meta.errorId)}
      />
      <FieldErrors meta={meta} />
    </div>
  );
}

/** A checkbox whose value conform reads as a boolean. */
export function TickField({ meta, label, ariaLabel }: { meta: FieldMetadata<boolean | string | undefined>; label: string; ariaLabel?: string }) {
  const props = getInputProps(meta as FieldMetadata<string>, { type: 'checkbox', ariaAttributes: true });
  return (
    <div className="checkbox">
      <input {...props} key={props.key} aria-label={ariaLabel} aria-describedby={!meta.valid ? meta.errorId : undefined} />
      <label htmlFor={meta.id}>{label}</label>
    </div>
  );
}

/** Carries a stored id through the form unchanged. */
export function HiddenField({ meta }: { meta: FieldMetadata<string | undefined> }) {
  const props = getInputProps(meta, { type: 'hidden' });
  return <input {...props} key={props.key} />;
}

/**
 * The first submit button of a form decides what Enter in a text field does;
 * this invisible one makes that "save", not the first "remove" in the form.
 */
export function DefaultSubmit({ label, name = 'intent', value = 'save' }: { label: string; name?: string; value?: string }) {
  return (
    <button
      type="submit"
      name={name}
      value={value}
      tabIndex={-1}
      aria-hidden="true"
      style={{ position: 'absolute', left: '-10000px', width: '1px', height: '1px', overflow: 'hidden' }}
    >
      {label}
    </button>
  );
}

/** The heading of a page that is a tab of the offering layout (h2) or a page of its own (h1). */
export function TabHeading({ nested, id, children }: { nested: boolean; id?: string; children: ReactNode }) {
  return nested ? (
    <h2 id={id} style={{ marginTop: 0 }}>
      {children}
    </h2>
  ) : (
    <h1 id={id}>{children}</h1>
  );
}
