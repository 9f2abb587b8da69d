import { describe, expect, it } from 'vitest';
import { renderEmail, type EmailLocale } from '#emails/index';
import { messageParagraphs } from '#emails/templates/offering-message';
import { offeringMessageSchema } from '~/modules/reminders/message-schema';
import {
  plannedReminders,
  REMINDER_GRACE_MS,
  reminderIdempotencyKey,
  reminderJobKey,
  reminderStillUseful,
  reminderVerdict,
  type ReminderJobData,
} from '~/modules/reminders/schedule';

const MINUTE = 60_000;
const start = new Date('2026-10-25T09:00:00Z');
const at = (minutesBeforeStart: number) => new Date(start.getTime() - minutesBeforeStart * MINUTE);
const session = { id: '6b7e1f0a-3c2d-4e5f-8a9b-0c1d2e3f4a5b', startsAt: start, cancelledAt: null };
const due = (planned: ReturnType<typeof plannedReminders>) => planned.map((p) => [p.data.kind, p.dueAt.toISOString()]);

describe('planned reminders', () => {
  it('plans both reminders at 24 h and 1 h before, in UTC whatever the clocks do (the DST change night of 2026)', () => {
    expect(due(plannedReminders(session, at(3 * 24 * 60)))).toEqual([
      ['24h', '2026-10-24T09:00:00.000Z'],
      ['1h', '2026-10-25T08:00:00.000Z'],
    ]);
  });

  it('sends a reminder at once when it is late by at most the grace, and drops it after that', () => {
    expect(REMINDER_GRACE_MS).toBe(15 * MINUTE);
    // 50 minutes before: the 1 h reminder is 10 minutes late.
    expect(due(plannedReminders(session, at(50)))).toEqual([['1h', at(50).toISOString()]]);
    // Exactly at the edge of the grace: still sent.
    expect(due(plannedReminders(session, at(45)))).toEqual([['1h', at(45).toISOString()]]);
    expect(plannedReminders(session, at(44))).toEqual([]);
    expect(plannedReminders(session, at(30))).toEqual([]);
    // 23 h 50 min before: the 24 h reminder now, the 1 h reminder at its instant.
    expect(due(plannedReminders(session, at(23 * 60 + 50)))).toEqual([
      ['24h', at(23 * 60 + 50).toISOString()],
      ['1h', '2026-10-25T08:00:00.000Z'],
    ]);
    // 23 h before: too late for the 24 h reminder.
    expect(due(plannedReminders(session, at(23 * 60)))).toEqual([['1h', '2026-10-25T08:00:00.000Z']]);
  });

  it('plans nothing for a cancelled session or one that has started', () => {
    expect(plannedReminders({ ...session, cancelledAt: at(100) }, at(3000))).toEqual([]);
    expect(plannedReminders(session, start)).toEqual([]);
    expect(reminderStillUseful(start, '1h', new Date(start.getTime() + MINUTE))).toBe(false);
  });

  it('keys jobs by session, kind and start, and emails by participant too', () => {
    const job: ReminderJobData = { sessionId: session.id, kind: '1h', startsAt: start.toISOString() };
    expect(reminderJobKey(job)).toBe(`${session.id}:1h:2026-10-25T09:00:00.000Z`);
    expect(reminderIdempotencyKey(job, 'u1')).toBe(`session-reminder:1h:${session.id}:2026-10-25T09:00:00.000Z:u1`);
    expect(reminderIdempotencyKey({ ...job, kind: '24h' }, 'u1')).not.toBe(reminderIdempotencyKey(job, 'u1'));
  });
});

describe('reminder verdict', () => {
  const job: ReminderJobData = { sessionId: session.id, kind: '1h', startsAt: start.toISOString() };
  it('sends only for the session as planned, still upcoming and on time', () => {
    expect(reminderVerdict(job, session, at(60))).toBe('send');
    expect(reminderVerdict(job, session, at(46))).toBe('send');
    expect(reminderVerdict(job, null, at(60))).toBe('session-gone');
    expect(reminderVerdict(job, { ...session, cancelledAt: at(120) }, at(60))).toBe('cancelled');
    expect(reminderVerdict(job, { ...session, startsAt: new Date(start.getTime() + 30 * MINUTE) }, at(60))).toBe('moved');
    expect(reminderVerdict(job, session, at(30))).toBe('too-late');
  });
});

describe('message form', () => {
  const sessionId = '0f0e0d0c-0b0a-4908-8706-050403020100';
  const schema = offeringMessageSchema([sessionId]);
  const token = '11111111-2222-4333-8444-555555555555';

  it('keeps line breaks in the body and makes the subject one line', () => {
    const parsed = schema.parse({ token, sessionId: '', subject: ' Field\r\ntrip ', body: 'One\r\nTwo\r\n\r\nThree\n' });
    expect(parsed).toEqual({ token, sessionId: null, subject: 'Field trip', body: 'One\nTwo\n\nThree' });
  });

  it('accepts the limits and refuses one character more, an unknown session and a missing token', () => {
    expect(schema.safeParse({ token, sessionId, subject: 's'.repeat(200), body: 'b'.repeat(10_000) }).success).toBe(true);
    const tooLong = schema.safeParse({ token, subject: 's'.repeat(201), body: 'b'.repeat(10_001) });
    expect(tooLong.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['subject', 'errors.tooLong|{"max":200}'],
      ['body', 'errors.tooLong|{"max":10000}'],
    ]);
    // Windows line ends count once, as the stored text has them.
    expect(schema.safeParse({ token, subject: 'x', body: `${'b'.repeat(4_999)}\r\n${'b'.repeat(5_000)}` }).success).toBe(true);
    expect(schema.safeParse({ token, sessionId: token, subject: 'x', body: 'y' }).error?.issues[0]?.message).toBe('messages.errors.unknownSession');
    expect(schema.safeParse({ subject: 'x', body: 'y' }).error?.issues[0]?.message).toBe('messages.errors.staleForm');
  });
});

describe('emails', () => {
  const site = { appUrl: 'https://kollega.example.org', organisationName: 'Kollega' };
  const locales: EmailLocale[] = ['en', 'nb', 'sv', 'fi'];

  it('renders the reminder in each language with the join page, escaping what people typed', () => {
    const data = {
      name: 'Åsa <Lind>',
      kind: '24h' as const,
      offeringTitle: 'Maths & music',
      sessionTitle: 'Rhythm <and> fractions',
      time: 'Tue 3 Mar 2026, 17:00 CET',
      organiserTime: { time: '18:00', place: 'Helsinki' },
      sessionUrl: 'https://kollega.example.org/sessions/abc',
      offeringUrl: 'https://kollega.example.org/offerings/maths',
    };
    const rendered = locales.map((locale) => renderEmail('session-reminder', locale, data, site));
    expect(new Set(rendered.map((r) => r.subject)).size).toBe(4);
    for (const email of rendered) {
      expect(email.text).toContain(data.sessionUrl);
      expect(email.html).toContain(`href="${data.sessionUrl}"`);
      expect(email.html).toContain('Rhythm &lt;and&gt; fractions');
      expect(email.html).not.toContain('<Lind>');
      expect(email.text).toContain('17:00 CET');
    }
    expect(rendered[0]!.text).toContain('When: Tue 3 Mar 2026, 17:00 CET (18:00 in Helsinki)');
    expect(rendered[3]!.text).toContain('Aika: Tue 3 Mar 2026, 17:00 CET (Helsinki: 18:00)');
    expect(renderEmail('session-reminder', 'en', { ...data, kind: '1h', organiserTime: null }, site).text).toContain('When: Tue 3 Mar 2026, 17:00 CET\n');
  });

  it('splits a message into paragraphs at blank lines and keeps single line breaks', () => {
    expect(messageParagraphs('Hello\r\nall\r\n\r\n\r\n  \nBye\n')).toEqual(['Hello\nall', 'Bye']);
    const email = renderEmail(
      'offering-message',
      'sv',
      { name: 'Anna', senderName: 'Tove', offeringTitle: 'Outdoor maths', subject: 'Boots', body: 'Wear <boots>\nand hats', session: null, courseUrl: 'https://kollega.example.org/learn/x' },
      site,
    );
    expect(email.subject).toBe('Boots – Outdoor maths');
    expect(email.text).toContain('Tove har skickat det här meddelandet till deltagarna i ”Outdoor maths”:\n\nWear <boots>\nand hats\n');
    expect(email.html).toContain('>Wear &lt;boots&gt;\nand hats</p>');
  });
});
