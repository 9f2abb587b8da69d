import { z } from 'zod';

/** Every paginated list in the app shows this many rows per page. */
export const PAGE_SIZE = 25;
const MAX_PAGE = 100_000;

/** `?page=` in a list's URL: a whole number from 1; missing means the first page. */
export const pageParam = z.coerce.number().int().min(1).max(MAX_PAGE).default(1);

export function pageCount(total: number, pageSize = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

export function offsetFor(page: number, pageSize = PAGE_SIZE): number {
  return (page - 1) * pageSize;
}

/** A page of a list with what the pager needs. */
export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pages: number;
}

/** Escapes LIKE's wildcards, so a search for "50%" finds "50%" and not everything. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
