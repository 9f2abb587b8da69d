import { getCollectionProps, getInputProps, type FieldMetadata } from '@conform-to/react';
import type { ComponentProps } from 'react';
import { useTranslation } from 'react-i18next';
import { translateKey } from '~/modules/i18n/translate';
import { describedBy, FieldErrors } from './forms';

/**
 * A datetime-local input read in the organiser's zone; the zone stands in
 * the label, so nobody wonders whose 09:00 it is.
 */
export function DateTimeField({
  meta,
  label,
  zone,
  hint,
  ...rest
}: { meta: FieldMetadata<string | undefined>; label: string; zone: string; hint?: string } & Omit<ComponentProps<'input'>, 'type'>) {
  const { t } = useTranslation();
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const props = getInputProps(meta, { type: 'datetime-local', ariaAttributes: true });
  return (
    <div className="field">
      <label htmlFor={meta.id}>
        {label} <span className="muted">({t('authoring.fields.inZone', { zone })})</span>
      </label>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      <input {...props} key={props.key} {...rest} aria-describedby={describedBy(hintId, !meta.valid && meta.errorId)} />
      <FieldErrors meta={meta} />
    </div>
  );
}


/** A group of checkboxes (or radios) under a legend, with its errors announced with the group. */
export function ChoiceGroup({
  meta,
  legend,
  hint,
  options,
  type = 'checkbox',
  disabled,
}: {
  meta: FieldMetadata<string[] | string | undefined>;
  legend: string;
  hint?: string;
  options: { value: string; label: string; description?: string }[];
  type?: 'checkbox' | 'radio';
  disabled?: boolean;
}) {
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const inputs = getCollectionProps(meta, { type, options: options.map((o) => o.value), ariaAttributes: true });
  return (
    <fieldset id={meta.id} className="field choice-group" aria-describedby={describedBy(hintId, !meta.valid && meta.errorId)} disabled={disabled}>
      <legend>{legend}</legend>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      {inputs.map((input, index) => {
        const option = options[index]!;
        const descriptionId = option.description ? `${input.id}-description` : undefined;
        return (
          <div className="checkbox" key={input.key}>
            <input {...input} key={input.key} aria-describedby={descriptionId} aria-invalid={undefined} />
            <label htmlFor={input.id}>
              {option.label}
              {option.description ? (
                <span id={descriptionId} className="hint" style={{ display: 'block', fontWeight: 'normal' }}>
                  {option.description}
                </span>
              ) : null}
            </label>
          </div>
        );
      })}
      <FieldErrors meta={meta as FieldMetadata<unknown>} />
    </fieldset>
  );
}

const STATUS_TONES = { draft: 'warn', published: 'ok', archived: 'neutral' } as const;

export function StatusBadge({ status }: { status: 'draft' | 'published' | 'archived' }) {
  const { t } = useTranslation();
  return <span className={`badge badge--${STATUS_TONES[status]}`}>{t(`offerings.statuses.${status}`)}</span>;
}

export type ProblemView = { field: string; key: string; params?: Record<string, string | number> };

/** The publish rules an offering still breaks, each in the viewer's language, optionally linking to where it is fixed. */
export function ProblemList({ problems, hrefFor }: { problems: ProblemView[]; hrefFor?: (field: string) => string | null }) {
  const { t } = useTranslation();
  return (
    <ul className="problem-list">
      {problems.map((p, index) => {
        const text = translateKey(t, p.key, p.params);
        const href = hrefFor?.(p.field) ?? null;
        return <li key={`${p.field}-${p.key}-${index}`}>{href ? <a href={href}>{text}</a> : text}</li>;
      })}
    </ul>
  );
}
