import { getTextareaProps, type FieldMetadata } from '@conform-to/react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldErrors } from './forms';

type Render = (markdown: string) => string;

// Loaded on first keystroke: marked and sanitize-html stay out of the page's first download.
let renderer: Promise<Render> | null = null;
function loadRenderer(): Promise<Render> {
  renderer ??= import('~/modules/markdown/markdown').then((m) => m.renderMarkdown);
  return renderer;
}

/**
 * A Markdown textarea beside a rendered preview. With JavaScript the preview
 * follows the text as it is typed (rendered and sanitised in the browser by
 * the same function the server uses); without it, the Preview button posts
 * the form and the server answers with the rendered text, saving nothing.
 */
export function MarkdownEditor({
  meta,
  label,
  hint,
  previewHtml,
  rows = 14,
  maxLength,
}: {
  meta: FieldMetadata<string | undefined>;
  label: string;
  hint?: string;
  /** The server's rendering of the stored or last posted text. */
  previewHtml: string;
  rows?: number;
  maxLength: number;
}) {
  const { t } = useTranslation();
  const [html, setHtml] = useState(previewHtml);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // A Preview post (or a save) brings a new server rendering.
  useEffect(() => setHtml(previewHtml), [previewHtml]);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const onInput = (event: FormEvent<HTMLTextAreaElement>) => {
    const text = event.currentTarget.value;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (text.length > maxLength) return;
      void loadRenderer().then((render) => setHtml(render(text)));
    }, 150);
  };

  const hintId = `${meta.id}-hint`;
  const previewId = `${meta.id}-preview`;
  const props = getTextareaProps(meta, { ariaAttributes: true });
  return (
    <div className="markdown-editor" style={{ display: 'grid', gap: '1rem', gridTemplateColumns: 'repeat(auto-fit, minmax(20rem, 1fr))' }}>
      <div className="field">
        <label htmlFor={meta.id}>{label}</label>
        <p id={hintId} className="hint">
          {hint ?? t('structure.editor.markdownHint')}
        </p>
        <textarea
          {...props}
          key={props.key}
          rows={rows}
          onInput={onInput}
          style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: '0.95rem' }}
          aria-describedby={[hintId, !meta.valid && meta.errorId].filter(Boolean).join(' ')}
        />
        <FieldErrors meta={meta} />
        <div className="actions">
          <button type="submit" name="intent" value="preview" formNoValidate className="button-secondary">
            {t('structure.editor.preview')}
          </button>
          <span className="hint muted">{t('structure.editor.previewLive')}</span>
        </div>
      </div>
      <section aria-labelledby={`${previewId}-heading`} style={{ minWidth: 0 }}>
        <h3 id={`${previewId}-heading`} style={{ margin: '0 0 0.25rem', fontSize: '1rem' }}>
          {t('structure.editor.previewHeading')}
        </h3>
        <div
          id={previewId}
          className="markdown-preview"
          style={{ border: '1px solid var(--line)', borderRadius: 'var(--radius)', padding: '0.25rem 1rem', minHeight: '8rem', background: 'var(--wash)', overflowWrap: 'anywhere' }}
        >
          {html ? <div dangerouslySetInnerHTML={{ __html: html }} /> : <p className="muted">{t('structure.editor.previewEmpty')}</p>}
        </div>
      </section>
    </div>
  );
}
