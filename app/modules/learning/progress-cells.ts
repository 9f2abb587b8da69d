import type { TranslationKey } from '../i18n/keys';

/**
 * The cells of the trainer's progress grid. Pure: the grid page and the CSV
 * export (progress-grid.server.ts) read the same words.
 */

export type CellStatus = 'not-started' | 'started' | 'submitted' | 'returned' | 'done';

/** How each cell reads, in words (never colour alone). */
export const CELL_LABELS = {
  'not-started': 'progress.cell.notStarted',
  started: 'progress.cell.started',
  submitted: 'progress.cell.submitted',
  returned: 'progress.cell.returned',
  done: 'progress.cell.done',
} as const satisfies Record<CellStatus, TranslationKey>;
