import escapeHtml from 'escape-html';
import { describe, expect, it } from 'vitest';
import { renderEmail, type EmailLocale } from '#emails/index';

const LOCALES: EmailLocale[] = ['en', 'nb', 'sv', 'fi'];
const SITE = { appUrl: 'https://kollega.example.org', organisationName: 'Kollega' };
const NAME = '<b>Åse</b> & Ørjan';
const SESSION_URL = 'https://kollega.example.org/sessions/3f0b5f7e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const WHEN = { viewer: 'Tue, 1 Dec 2026, 12:00 EST', organiser: { time: '17:00', place: 'Lisbon' } };

describe('session-updated', () => {
  it.each(LOCALES)('renders the %s text with the new time, the organiser time, the old time and the session page', (locale) => {
    const email = renderEmail(
      'session-updated',
      locale,
      {
        name: NAME,
        offeringTitle: 'Vurdering <for> læring',
        sessionTitle: 'Kveld 1',
        change: 'rescheduled',
        when: WHEN,
        previousWhen: { viewer: 'Mon, 30 Nov 2026, 12:00 EST', organiser: null },
        durationMinutes: 90,
        sessionUrl: SESSION_URL,
      },
      SITE,
    );
    expect(email.subject).toContain('Kveld 1');
    expect(email.text).toContain(NAME);
    expect(email.text).toContain('Tue, 1 Dec 2026, 12:00 EST');
    expect(email.text).toMatch(/17:00/);
    expect(email.text).toContain('Lisbon');
    expect(email.text).toContain('Mon, 30 Nov 2026, 12:00 EST');
    expect(email.text).toContain('90');
    expect(email.text).toContain(SESSION_URL);
    expect(email.html).toContain(escapeHtml(NAME));
    expect(email.html).toContain('Vurdering &lt;for&gt; læring');
    expect(email.html).not.toContain('<b>Åse</b>');
  });

  it('has its own subject for an added, a moved and an edited session, in every language', () => {
    const subjects = LOCALES.flatMap((locale) =>
      (['added', 'rescheduled', 'edited'] as const).map(
        (change) =>
          renderEmail(
            'session-updated',
            locale,
            { name: 'A', offeringTitle: 'T', sessionTitle: 'S', change, when: WHEN, previousWhen: null, durationMinutes: 60, sessionUrl: SESSION_URL },
            SITE,
          ).subject,
      ),
    );
    expect(new Set(subjects).size).toBe(12);
  });
});

describe('session-cancelled', () => {
  it.each(LOCALES)('renders a %s cancellation with the trainer note and a leaving notice listing every session', (locale) => {
    const cancelled = renderEmail(
      'session-cancelled',
      locale,
      { name: NAME, offeringTitle: 'T', cause: 'cancelled', sessions: [{ title: 'Kveld 1', when: WHEN }], note: 'Sick <today>', offeringUrl: 'https://kollega.example.org/offerings/t' },
      SITE,
    );
    expect(cancelled.subject).toContain('Kveld 1');
    expect(cancelled.text).toContain('Sick <today>');
    expect(cancelled.html).toContain('Sick &lt;today&gt;');
    expect(cancelled.text).toContain('https://kollega.example.org/offerings/t');

    const left = renderEmail(
      'session-cancelled',
      locale,
      {
        name: NAME,
        offeringTitle: 'T',
        cause: 'left',
        sessions: [
          { title: 'Kveld 1', when: WHEN },
          { title: 'Kveld 2', when: { viewer: 'Wed, 2 Dec 2026', organiser: null } },
        ],
        note: '',
        offeringUrl: 'https://kollega.example.org/offerings/t',
      },
      SITE,
    );
    expect(left.subject).not.toBe(cancelled.subject);
    expect(left.text).toContain('Kveld 1');
    expect(left.text).toContain('Kveld 2');
    expect(left.text).toContain('Wed, 2 Dec 2026');
  });

  it('differs in every language', () => {
    const texts = LOCALES.map(
      (locale) =>
        renderEmail('session-cancelled', locale, { name: 'A', offeringTitle: 'T', cause: 'cancelled', sessions: [{ title: 'S', when: WHEN }], note: '', offeringUrl: SESSION_URL }, SITE).text,
    );
    expect(new Set(texts).size).toBe(4);
  });
});
