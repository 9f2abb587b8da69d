import { describe, expect, it } from 'vitest';
import { catalogueChanged, changingCatalogue, ResultCache } from '~/modules/catalogue/result-cache.server';

/** A loader that counts its calls and answers "<key>#<call>", so a reused answer shows. */
function counting() {
  let calls = 0;
  const load = (key: string) => () => Promise.resolve(`${key}#${++calls}`);
  return { load, calls: () => calls };
}

describe('ResultCache', () => {
  const T0 = 1_800_000_000_000;

  it('answers the same key from memory within its lifetime', async () => {
    const cache = new ResultCache<string>({ ttlMs: 5_000, maxEntries: 10 });
    const { load, calls } = counting();
    expect(await cache.get('a', T0, load('a'))).toBe('a#1');
    expect(await cache.get('a', T0 + 4_999, load('a'))).toBe('a#1');
    expect(await cache.get('b', T0 + 1, load('b'))).toBe('b#2');
    expect(calls()).toBe(2);
  });

  it('asks again once the lifetime is over, and for a moment before the answer was asked for', async () => {
    const cache = new ResultCache<string>({ ttlMs: 5_000, maxEntries: 10 });
    const { load } = counting();
    await cache.get('a', T0, load('a'));
    expect(await cache.get('a', T0 + 5_000, load('a'))).toBe('a#2');
    // The fresh answer (asked at T0 + 5 s) says nothing about an earlier moment.
    expect(await cache.get('a', T0, load('a'))).toBe('a#3');
  });

  it('keeps at most maxEntries, dropping the least recently used', async () => {
    const cache = new ResultCache<string>({ ttlMs: 5_000, maxEntries: 2 });
    const { load } = counting();
    await cache.get('a', T0, load('a'));
    await cache.get('b', T0, load('b'));
    await cache.get('a', T0 + 1, load('a')); // a is now the most recently used
    await cache.get('c', T0 + 2, load('c')); // so b goes
    expect(cache.size).toBe(2);
    expect(await cache.get('a', T0 + 3, load('a'))).toBe('a#1');
    expect(await cache.get('b', T0 + 4, load('b'))).toBe('b#4');
  });

  it('lets requests that arrive while the answer is on its way share one load', async () => {
    const cache = new ResultCache<string>({ ttlMs: 5_000, maxEntries: 10 });
    let release!: (value: string) => void;
    let calls = 0;
    const slow = () => {
      calls++;
      return new Promise<string>((resolve) => (release = resolve));
    };
    const first = cache.get('a', T0, slow);
    const second = cache.get('a', T0 + 10, slow);
    release('answer');
    expect(await Promise.all([first, second])).toEqual(['answer', 'answer']);
    expect(calls).toBe(1);
  });

  it('does not keep a failed load', async () => {
    const cache = new ResultCache<string>({ ttlMs: 5_000, maxEntries: 10 });
    await expect(cache.get('a', T0, () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(await cache.get('a', T0 + 1, () => Promise.resolve('recovered'))).toBe('recovered');
  });

  it('forgets everything when the catalogue changes, also an answer still on its way', async () => {
    const cache = new ResultCache<string>({ ttlMs: 5_000, maxEntries: 10 });
    const { load } = counting();
    await cache.get('a', T0, load('a'));
    let release!: (value: string) => void;
    const inFlight = cache.get('b', T0, () => new Promise<string>((resolve) => (release = resolve)));

    catalogueChanged();
    // Asked for before the change, so it may hold the old rows: not served after it.
    release('b-before-the-change');
    expect(await inFlight).toBe('b-before-the-change');
    expect(await cache.get('a', T0 + 1, load('a'))).toBe('a#2');
    expect(await cache.get('b', T0 + 1, load('b'))).toBe('b#3');
    // And what is asked after the change is remembered again.
    expect(await cache.get('a', T0 + 2, load('a'))).toBe('a#2');
  });

  it('changingCatalogue forgets once the change has settled, committed or not', async () => {
    const cache = new ResultCache<string>({ ttlMs: 5_000, maxEntries: 10 });
    const { load } = counting();
    await cache.get('a', T0, load('a'));
    expect(await changingCatalogue(Promise.resolve('done'))).toBe('done');
    expect(await cache.get('a', T0 + 1, load('a'))).toBe('a#2');
    await expect(changingCatalogue(Promise.reject(new Error('rolled back')))).rejects.toThrow('rolled back');
    expect(await cache.get('a', T0 + 2, load('a'))).toBe('a#3');
  });
});
