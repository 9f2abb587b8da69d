import { useTranslation } from 'react-i18next';

/**
 * Required activities done out of all of them, as a bar with its numbers in
 * words beside it: the bar is a role=progressbar named after the offering,
 * so a screen reader hears "Progress in Teaching with data, 3 of 5 required
 * activities done"; sighted people read the same text, not only the colour.
 */
export function ProgressBar({ done, total, title }: { done: number; total: number; title: string }) {
  const { t } = useTranslation();
  if (total === 0) return <p className="muted" style={{ margin: 0 }}>{t('dashboard.noRequired')}</p>;
  const percent = Math.round((Math.min(done, total) / total) * 100);
  const text = t('dashboard.progressText', { done, total });
  return (
    <div style={{ display: 'grid', gap: '0.25rem' }}>
      <div
        role="progressbar"
        aria-label={t('dashboard.progressLabel', { title })}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={Math.min(done, total)}
        aria-valuetext={text}
        style={{ height: '0.75rem', borderRadius: '999px', background: 'var(--wash)', border: '1px solid var(--line)', overflow: 'hidden' }}
      >
        <div style={{ width: `${percent}%`, height: '100%', background: percent === 100 ? 'var(--ok)' : 'var(--brand)' }} />
      </div>
      <p style={{ margin: 0, fontSize: '0.95rem' }}>
        {text} ({percent} %)
      </p>
    </div>
  );
}
