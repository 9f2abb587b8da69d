import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { QUEUES } from '~/modules/jobs/jobs.server';
import { createTestContext, type TestContext } from '../support/context';

/** pg-boss on whichever driver the project runs: on PGlite it shares the one in-memory connection. */
describe('pg-boss', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('runs on the driver of the project', () => {
    expect(ctx.handle.driver).toBe(inject('databaseKind'));
  });

  it('has created every queue the platform uses', async () => {
    const names = (await ctx.boss!.getQueues()).map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(Object.values(QUEUES)));
  });

  it('hands a sent job to a worker and records it as completed', async () => {
    const boss = ctx.boss!;
    const seen: unknown[] = [];
    let done!: () => void;
    const handled = new Promise<void>((resolve) => (done = resolve));
    const workerId = await boss.work<{ n: number }>(QUEUES.sweepOutbox, { pollingIntervalSeconds: 0.5 }, async ([job]) => {
      seen.push(job!.data);
      done();
      return { doubled: job!.data.n * 2 };
    });

    const id = await ctx.jobs.send(QUEUES.sweepOutbox, { n: 21 });
    expect(id).toEqual(expect.any(String));
    await handled;

    // The handler has returned; pg-boss completes the job right after.
    await expect
      .poll(async () => (await boss.getJobById(QUEUES.sweepOutbox, id!))?.state, { timeout: 5_000, interval: 100 })
      .toBe('completed');
    const job = await boss.getJobById(QUEUES.sweepOutbox, id!);
    expect(job?.output).toEqual({ doubled: 42 });
    expect(seen).toEqual([{ n: 21 }]);
    await boss.offWork(workerId);
  });
});
