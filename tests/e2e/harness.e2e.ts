import postgres from 'postgres';
import { afterAll, describe, expect, test } from 'vitest';
import { closeMailbox, extractLinks, waitForLink, waitForMail } from './support/mailbox';
import { baseUrl, databaseUrl } from './support/provided';

/** Checks of the end-to-end harness itself, so a broken helper is not mistaken for a broken page. */

const sql = postgres(databaseUrl(), { max: 1, onnotice: () => {} });
afterAll(async () => {
  await sql.end({ timeout: 5 });
  await closeMailbox();
});

async function deliver(to: string, subject: string, text: string, html: string) {
  await sql`
    insert into mailbox_messages (message_id, from_address, to_address, subject, text, html, raw)
    values (${`<${crypto.randomUUID()}@e2e.test>`}, 'Kollega <no-reply@kollega.local>', ${to}, ${subject}, ${text}, ${html}, '')`;
}

describe('mailbox helper', () => {
  test('waits for a message that arrives later and returns its links as paths on the test server', async () => {
    const address = `harness.${Date.now()}@example.org`;
    const since = new Date(Date.now() - 1000);
    const link = `${baseUrl()}/verify-email?token=abc&amp;next=%2Fprofile`;
    setTimeout(() => {
      void deliver(`tester <${address}>`, 'Confirm your address', `Open ${baseUrl()}/verify-email?token=abc&next=%2Fprofile to confirm.`, `<p><a href="${link}">Confirm</a> <a href="https://example.org/help">Help</a></p>`);
    }, 1000);

    const message = await waitForMail(address.toUpperCase(), { subject: /confirm/i, since, timeoutMs: 10_000 });
    expect(message.subject).toBe('Confirm your address');
    expect(message.links).toEqual([`${baseUrl()}/verify-email?token=abc&next=%2Fprofile`, 'https://example.org/help']);
    expect(await waitForLink(address, '/verify-email', { since })).toBe('/verify-email?token=abc&next=%2Fprofile');
  });

  test('returns the newest matching message and fails clearly when none comes', async () => {
    const address = `harness.newest.${Date.now()}@example.org`;
    await deliver(address, 'First', 'one', '<p>one</p>');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await deliver(address, 'Second', 'two', '<p>two</p>');
    expect((await waitForMail(address)).subject).toBe('Second');
    expect((await waitForMail(address, { subject: 'First' })).subject).toBe('First');
    await expect(waitForMail(address, { subject: 'Third', timeoutMs: 600 })).rejects.toThrow(/No mail to .* with subject Third.*"Second", "First"/);
  });

  test('extractLinks finds href links and bare URLs once each', () => {
    expect(
      extractLinks({
        text: 'Reset: https://kollega.example/reset?t=1. Also http://x.example/a',
        html: '<a href="https://kollega.example/reset?t=1">Reset</a><a href="mailto:a@b.c">mail</a>',
      }),
    ).toEqual(['https://kollega.example/reset?t=1', 'http://x.example/a']);
  });
});
