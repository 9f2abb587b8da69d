/**
 * A short-lived, bounded memory of catalogue query results, per process.
 *
 * Many visitors ask for the same few catalogue pages (the first page, a
 * popular filter); within a few seconds the answer is the same, and asking
 * PostgreSQL again costs more than everything the page adds to a bare page
 * (docs/benchmarks.md). What is kept is what the database answered, the
 * same for everyone; the cards are made from it per request, in the
 * viewer's zone and language, with "open now" judged at the request's time.
 *
 * Staleness, at most the entry's lifetime:
 * - In this process, every change to what a card shows (publish, edit,
 *   unpublish, archive, trainers, sessions, enrolments) calls
 *   `catalogueChanged()` after it commits, and nothing remembered before is
 *   served again: the author sees the change at once.
 * - Other processes (a second server, the seed, SQL by hand) are not told:
 *   their changes show when the entry expires. Seats left may lag by that
 *   long; enrolment re-checks seats under the row lock, so a lagging card
 *   can never let anyone take a seat that is not there.
 */

let generation = 0;

/**
 * Something a catalogue card shows has changed and is committed: forget
 * every remembered result in this process. Call it after the transaction,
 * never inside it (a request between the call and the commit would
 * remember the old rows again).
 */
export function catalogueChanged(): void {
  generation++;
}

interface Entry<T> {
  /** The request time the result was asked for (ms); it answers requests from then until `until`. */
  from: number;
  until: number;
  value: Promise<T>;
}

/**
 * Results by key, each for `ttlMs` after it was asked for, at most
 * `maxEntries` of them (the least recently used goes first: keys come from
 * URLs, so anyone could otherwise fill memory). Time is the request's own
 * "now", so a result is only reused for a request within its lifetime, not
 * for one asking about another moment. Requests that arrive while the
 * database is still answering share that one query; a failed query is not
 * kept.
 */
export class ResultCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private seenGeneration = generation;

  constructor(private readonly options: { ttlMs: number; maxEntries: number }) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string, now: number, load: () => Promise<T>): Promise<T> {
    if (this.seenGeneration !== generation) {
      // Everything here predates a change: free it now rather than entry by entry.
      this.entries.clear();
      this.seenGeneration = generation;
    }
    const found = this.entries.get(key);
    if (found) {
      this.entries.delete(key);
      if (found.from <= now && now < found.until) {
        this.entries.set(key, found); // now the most recently used
        return found.value;
      }
    }
    const value = load();
    const entry: Entry<T> = { from: now, until: now + this.options.ttlMs, value };
    this.entries.set(key, entry);
    if (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }
}

/**
 * Waits for a change's transaction and then calls `catalogueChanged()`,
 * whether it committed or not (forgetting too much costs one query).
 */
export async function changingCatalogue<T>(change: Promise<T>): Promise<T> {
  try {
    return await change;
  } finally {
    catalogueChanged();
  }
}
