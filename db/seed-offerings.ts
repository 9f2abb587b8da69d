import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Transaction } from './client';
import { activities, liveSessions, modules, offeringTrainers, offerings, type ActivityContent, type QuizQuestion } from './schema/index';

type Kind = 'mooc' | 'short_course' | 'webinar' | 'webinar_series' | 'online_event';

interface DemoActivity {
  kind: 'page' | 'quiz' | 'assignment' | 'discussion' | 'live_session';
  title: string;
  minutes: number;
  required?: boolean;
  /** Days after the module's release (or the offering's start), at 23:00 organiser time. */
  dueInDays?: number;
  /** For live_session activities: index into the offering's sessions. */
  session?: number;
}

interface DemoOffering {
  slug: string;
  kind: Kind;
  title: string;
  summary: string;
  description: string;
  language: string;
  topics: string[];
  audiences: string[];
  eligibility: 'open' | 'validated' | 'invite';
  hours: number;
  zone: string;
  /** Days from today (organiser's calendar) the course starts, and its length in days. */
  startInDays: number;
  lengthDays: number;
  startTime?: string;
  capacity?: number;
  waitlist?: boolean;
  status?: 'draft' | 'published' | 'archived';
  pacing?: 'cohort' | 'self_paced';
  trainers: string[];
  sessions?: { title: string; dayOffset: number; time: string; minutes: number }[];
  modules?: { title: string; activities: DemoActivity[] }[];
  /** Offering-level activities (the task linking a webinar series). */
  tasks?: DemoActivity[];
  requiredSessions?: number;
}

const quiz = (topic: string): QuizQuestion[] => [
  {
    id: randomUUID(),
    prompt: `Which statement about ${topic} matches the module?`,
    multiple: false,
    choices: [
      { id: randomUUID(), label: 'It works best when planned with the learners in mind', correct: true },
      { id: randomUUID(), label: 'It only matters in upper secondary', correct: false },
      { id: randomUUID(), label: 'It replaces the curriculum', correct: false },
    ],
  },
  {
    id: randomUUID(),
    prompt: 'Which of these are examples from the module? (choose all that apply)',
    multiple: true,
    choices: [
      { id: randomUUID(), label: 'A peer-feedback routine', correct: true },
      { id: randomUUID(), label: 'A short reflection log', correct: true },
      { id: randomUUID(), label: 'A single end-of-year exam', correct: false },
    ],
  },
];

function content(a: DemoActivity, topic: string): ActivityContent {
  switch (a.kind) {
    case 'page':
      return { kind: 'page', body: `## ${a.title}\n\nRead the case study and note **two ideas** you could try next week.\n\n- Look at the example lesson plan\n- Compare it with your own class`, videoUrl: '' };
    case 'quiz':
      return { kind: 'quiz', intro: 'Check your understanding. You need 70 % to pass.', passMarkPercent: 70, attemptsAllowed: 3, questions: quiz(topic) };
    case 'assignment':
      return { kind: 'assignment', prompt: 'Describe a lesson where you tried one idea from this module, and what happened (200–400 words).', submission: 'text' };
    case 'discussion':
      return { kind: 'discussion', prompt: 'Share one thing that surprised you, and reply to one colleague.' };
    case 'live_session':
      return { kind: 'live_session' };
  }
}

const weekly = (titles: string[], withLive = false): DemoOffering['modules'] =>
  titles.map((title, i) => ({
    title,
    activities: [
      { kind: 'page', title: `Introduction: ${title}`, minutes: 45 },
      { kind: 'discussion', title: 'Share with colleagues', minutes: 30, dueInDays: 6 },
      ...(i === 1 && withLive ? [{ kind: 'live_session' as const, title: 'Live Q&A with the trainers', minutes: 60, session: 0, required: false }] : []),
      ...(i === 2 ? [{ kind: 'assignment' as const, title: 'Try it in your classroom', minutes: 90, dueInDays: 6 }] : []),
      { kind: 'quiz', title: `Quiz: ${title}`, minutes: 20, dueInDays: 6 },
      { kind: 'page', title: 'Further reading', minutes: 30, required: false },
    ],
  }));

export const DEMO_OFFERINGS: DemoOffering[] = [
  {
    slug: 'inclusive-classrooms-differentiation-in-practice',
    kind: 'mooc',
    title: 'Inclusive classrooms: differentiation in practice',
    summary: 'Six weeks of practical strategies to plan lessons that reach every learner, with a live Q&A and a classroom task.',
    description: '## What you will learn\n\n- Plan lessons with **several ways in** for every learner\n- Use formative assessment to adapt as you go\n- Work with colleagues and families\n\nEach week opens on Monday at 09:00 (Brussels time).',
    language: 'en',
    topics: ['inclusion', 'differentiation', 'assessment'],
    audiences: ['primary', 'lower_secondary'],
    eligibility: 'validated',
    hours: 18,
    zone: 'Europe/Brussels',
    startInDays: -14,
    lengthDays: 42,
    startTime: '09:00',
    capacity: 500,
    waitlist: true,
    trainers: ['trainer.hansen@example.org'],
    sessions: [{ title: 'Live Q&A: your questions on differentiation', dayOffset: 9, time: '17:00', minutes: 60 }],
    modules: weekly(['Who are my learners?', 'Planning with several ways in', 'Assessment that helps', 'Language and inclusion', 'Working with families', 'Your inclusive classroom'], true),
  },
  {
    slug: 'digital-dommekraft-i-ungdomsskolen',
    kind: 'mooc',
    title: 'Digital dømmekraft i ungdomsskolen',
    summary: 'Fem uker om kildekritikk, personvern og nettvett, med opplegg du kan bruke i klasserommet.',
    description: 'Kurset gir deg **konkrete undervisningsopplegg** om digital dømmekraft for 8.–10. trinn.',
    language: 'nb',
    topics: ['digital citizenship', 'media literacy', 'personvern'],
    audiences: ['lower_secondary'],
    eligibility: 'open',
    hours: 15,
    zone: 'Europe/Oslo',
    startInDays: 10,
    lengthDays: 35,
    startTime: '09:00',
    trainers: ['trainer.hansen@example.org'],
    modules: weekly(['Kildekritikk', 'Personvern', 'Nettvett og deling', 'Kunstig intelligens', 'Eget undervisningsopplegg']),
  },
  {
    slug: 'formativ-bedomning-med-ai-verktyg',
    kind: 'short_course',
    title: 'Formativ bedömning med AI-verktyg',
    summary: 'En kort kurs i egen takt: använd AI-verktyg för återkoppling utan att tappa elevernas lärande ur sikte.',
    description: 'Tre moduler i **egen takt** inom kursperioden. Varje modul öppnar en vecka efter att du börjat.',
    language: 'sv',
    topics: ['assessment', 'artificial intelligence', 'feedback'],
    audiences: ['upper_secondary', 'vocational'],
    eligibility: 'open',
    hours: 6,
    zone: 'Europe/Stockholm',
    startInDays: 21,
    lengthDays: 21,
    pacing: 'self_paced',
    trainers: ['trainer.zulawski@example.org'],
    modules: weekly(['Vad är formativ bedömning?', 'AI som återkopplingsstöd', 'Etik och ansvar']),
  },
  {
    slug: 'ostersunds-sommarskola-flersprakiga-klassrum',
    kind: 'short_course',
    title: 'Östersunds sommarskola: flerspråkiga klassrum',
    summary: 'Two intensive weeks from Östersund on teaching in multilingual classrooms, open to every teacher in Europe.',
    description: 'Recorded lectures from the **Östersund summer school**, tasks and a closing discussion.',
    language: 'en',
    topics: ['multilingualism', 'language learning'],
    audiences: ['all'],
    eligibility: 'open',
    hours: 8,
    zone: 'Europe/Stockholm',
    startInDays: -3,
    lengthDays: 14,
    capacity: 60,
    trainers: ['trainer.hansen@example.org', 'trainer.zulawski@example.org'],
    modules: weekly(['Languages in the classroom', 'Translanguaging in practice']),
  },
  {
    slug: 'ulko-oppiminen-varhaiskasvatuksessa',
    kind: 'short_course',
    title: 'Ulko-oppiminen varhaiskasvatuksessa',
    summary: 'Kolmen viikon kurssi ulko-oppimisesta pienten lasten kanssa. Kurssi on päättynyt, mutta sen voi vielä suorittaa loppuun.',
    description: 'Ideoita **ulkona oppimiseen** kaikkina vuodenaikoina.',
    language: 'fi',
    topics: ['outdoor learning', 'early childhood'],
    audiences: ['pre_primary'],
    eligibility: 'open',
    hours: 5,
    zone: 'Europe/Helsinki',
    startInDays: -35,
    lengthDays: 21,
    trainers: ['trainer.zulawski@example.org'],
    modules: weekly(['Miksi ulos?', 'Vuodenajat oppimisympäristönä']),
  },
  {
    slug: 'inclusive-classrooms-live-session-1',
    kind: 'webinar',
    title: 'Inclusive classrooms: live session 1',
    summary: 'One hour with practical examples of inclusive lesson planning, and time for your questions.',
    description: 'Join from any device. A recording will be published afterwards.',
    language: 'en',
    topics: ['inclusion'],
    audiences: ['all'],
    eligibility: 'open',
    hours: 1,
    zone: 'Europe/Brussels',
    startInDays: 9,
    lengthDays: 0,
    trainers: ['trainer.hansen@example.org'],
    sessions: [{ title: 'Inclusive classrooms: live session 1', dayOffset: 0, time: '17:00', minutes: 60 }],
  },
  {
    slug: 'teaching-with-climate-data',
    kind: 'webinar',
    title: 'Teaching with climate data',
    summary: 'How to use open climate data sets in science and geography lessons.',
    description: 'A one-hour webinar with examples from three countries.',
    language: 'en',
    topics: ['climate', 'STEM', 'open data'],
    audiences: ['lower_secondary', 'upper_secondary'],
    eligibility: 'open',
    hours: 1,
    zone: 'Europe/Helsinki',
    startInDays: -10,
    lengthDays: 0,
    trainers: ['trainer.zulawski@example.org'],
    sessions: [{ title: 'Teaching with climate data', dayOffset: 0, time: '16:00', minutes: 60 }],
  },
  {
    slug: 'matematyka-bez-leku',
    kind: 'webinar',
    title: 'Matematyka bez lęku',
    summary: 'Webinar o tym, jak zmniejszać lęk przed matematyką w szkole podstawowej.',
    description: 'Praktyczne ćwiczenia i materiały do pobrania.',
    language: 'pl',
    topics: ['mathematics', 'wellbeing'],
    audiences: ['primary'],
    eligibility: 'open',
    hours: 1,
    zone: 'Europe/Warsaw',
    startInDays: 6,
    lengthDays: 0,
    capacity: 3,
    waitlist: true,
    trainers: ['trainer.zulawski@example.org'],
    sessions: [{ title: 'Matematyka bez lęku', dayOffset: 0, time: '18:00', minutes: 90 }],
  },
  {
    slug: 'project-based-learning-plan-and-reflect',
    kind: 'webinar_series',
    title: 'Project-based learning: plan and reflect',
    summary: 'Two webinars two weeks apart: plan a project in the first, try it with your class, and reflect together in the second.',
    description: '1. **Webinar 1**: planning a project\n2. **Your task**: run a small project and post your plan\n3. **Webinar 2**: what worked and what did not',
    language: 'en',
    topics: ['project-based learning', 'collaboration'],
    audiences: ['primary', 'lower_secondary'],
    eligibility: 'open',
    hours: 4,
    zone: 'Europe/Brussels',
    startInDays: 5,
    lengthDays: 14,
    trainers: ['trainer.hansen@example.org'],
    sessions: [
      { title: 'Webinar 1: planning a project', dayOffset: 0, time: '16:30', minutes: 60 },
      { title: 'Webinar 2: reflecting together', dayOffset: 14, time: '16:30', minutes: 60 },
    ],
    tasks: [{ kind: 'assignment', title: 'Post your project plan', minutes: 90, dueInDays: 7 }],
  },
  {
    slug: 'kollega-autumn-conference-wellbeing-at-school',
    kind: 'online_event',
    title: 'Kollega conference: wellbeing at school',
    summary: 'An online afternoon for school leaders and teachers: keynotes and parallel workshops on staff and student wellbeing.',
    description: 'Choose your workshops. Attend **at least two sessions** for a certificate.',
    language: 'en',
    topics: ['wellbeing', 'school leadership'],
    audiences: ['all'],
    eligibility: 'validated',
    hours: 4,
    zone: 'Europe/Helsinki',
    startInDays: 25,
    lengthDays: 0,
    capacity: 300,
    waitlist: true,
    requiredSessions: 2,
    trainers: ['trainer.hansen@example.org', 'trainer.zulawski@example.org'],
    sessions: [
      { title: 'Keynote: wellbeing is a team sport', dayOffset: 0, time: '13:00', minutes: 45 },
      { title: 'Workshop A: calm classrooms', dayOffset: 0, time: '14:00', minutes: 60 },
      { title: 'Workshop B: leading through change', dayOffset: 0, time: '14:00', minutes: 60 },
      { title: 'Closing panel', dayOffset: 0, time: '15:15', minutes: 45 },
    ],
  },
  {
    slug: 'stem-lab-safety',
    kind: 'mooc',
    title: 'STEM lab safety (draft)',
    summary: 'Safe practical work in school science labs.',
    description: 'Work in progress.',
    language: 'en',
    topics: ['STEM', 'safety'],
    audiences: ['lower_secondary', 'upper_secondary'],
    eligibility: 'open',
    hours: 12,
    zone: 'Europe/Warsaw',
    startInDays: 60,
    lengthDays: 28,
    status: 'draft',
    trainers: ['trainer.zulawski@example.org'],
    modules: weekly(['Risk assessment', 'Chemicals']),
  },
  {
    slug: 'reading-for-pleasure',
    kind: 'webinar',
    title: 'Reading for pleasure (draft)',
    summary: 'School libraries and reading for pleasure.',
    description: '',
    language: 'nb',
    topics: ['reading', 'libraries'],
    audiences: ['primary'],
    eligibility: 'open',
    hours: 1,
    zone: 'Europe/Oslo',
    startInDays: 40,
    lengthDays: 0,
    status: 'draft',
    trainers: ['trainer.hansen@example.org'],
    sessions: [],
  },
  {
    slug: 'coding-in-primary-school-2025',
    kind: 'short_course',
    title: 'Coding in primary school (2025 edition)',
    summary: 'Unplugged and block-based coding activities for primary classes.',
    description: 'This edition has ended.',
    language: 'en',
    topics: ['coding', 'STEM'],
    audiences: ['primary'],
    eligibility: 'open',
    hours: 6,
    zone: 'Europe/Brussels',
    startInDays: -380,
    lengthDays: 21,
    status: 'archived',
    trainers: ['trainer.hansen@example.org'],
    modules: weekly(['Unplugged coding', 'Block-based coding']),
  },
];

/**
 * Published, draft and archived offerings of every kind, dated relative to
 * `now` so the demo always has something open, running and finished.
 * Idempotent: an offering whose slug exists is left alone.
 */
export async function seedDemoOfferings(
  tx: Transaction,
  options: { now: Date; userIds: Map<string, string>; searchText: (o: { title: string; summary: string; topics: string[] }) => string },
): Promise<number> {
  let created = 0;
  for (const demo of DEMO_OFFERINGS) {
    const [existing] = await tx.select({ id: offerings.id }).from(offerings).where(eq(offerings.slug, demo.slug)).limit(1);
    if (existing) continue;
    const today = DateTime.fromJSDate(options.now, { zone: demo.zone }).startOf('day');
    const at = (days: number, time = '09:00') => {
      const [hour, minute] = time.split(':').map(Number);
      return today.plus({ days }).set({ hour, minute });
    };
    const sessions = (demo.sessions ?? []).map((s) => ({ ...s, start: at(demo.startInDays + s.dayOffset, s.time) }));
    const isLive = demo.kind === 'webinar' || demo.kind === 'webinar_series' || demo.kind === 'online_event';
    const start = isLive && sessions.length > 0 ? sessions[0]!.start : at(demo.startInDays, demo.startTime);
    const end = isLive && sessions.length > 0
      ? DateTime.max(...sessions.map((s) => s.start.plus({ minutes: s.minutes })))!
      : at(demo.startInDays + demo.lengthDays, demo.startTime);
    const status = demo.status ?? 'published';
    const [offering] = await tx
      .insert(offerings)
      .values({
        slug: demo.slug,
        kind: demo.kind,
        title: demo.title,
        summary: demo.summary,
        description: demo.description,
        language: demo.language,
        topics: demo.topics,
        targetAudiences: demo.audiences,
        eligibility: demo.eligibility,
        expectedMinutes: demo.hours * 60,
        organiserTimeZone: demo.zone,
        enrolmentOpensAt: start.minus({ days: 45 }).toJSDate(),
        enrolmentClosesAt: (isLive ? start : start.plus({ days: 7 })).toJSDate(),
        startsAt: start.toJSDate(),
        endsAt: end.toJSDate(),
        completionDeadline: end.plus({ days: 28 }).toJSDate(),
        capacity: demo.capacity ?? null,
        waitlistEnabled: demo.waitlist ?? false,
        status,
        pacingMode: demo.pacing ?? 'cohort',
        requiredSessions: demo.requiredSessions ?? 1,
        createdBy: options.userIds.get(demo.trainers[0]!) ?? null,
        publishedAt: status === 'draft' ? null : start.minus({ days: 45 }).toJSDate(),
        searchText: options.searchText({ title: demo.title, summary: demo.summary, topics: demo.topics }),
      })
      .returning({ id: offerings.id });
    const offeringId = offering!.id;
    created++;
    await tx.insert(offeringTrainers).values(
      demo.trainers.map((email, position) => ({ offeringId, userId: options.userIds.get(email)!, position })),
    );
    const sessionIds: string[] = [];
    for (const s of sessions) {
      const [row] = await tx
        .insert(liveSessions)
        .values({
          offeringId,
          title: s.title,
          startsAt: s.start.toJSDate(),
          organiserTimeZone: demo.zone,
          durationMinutes: s.minutes,
          joinUrl: `https://meet.example.org/kollega/${demo.slug}`,
          recordingUrl: s.start < DateTime.fromJSDate(options.now) ? `https://video.example.org/kollega/${demo.slug}` : null,
        })
        .returning({ id: liveSessions.id });
      sessionIds.push(row!.id);
    }
    const topic = demo.topics[0] ?? demo.title;
    const addActivities = async (list: DemoActivity[], moduleId: string | null, releaseAt: DateTime) => {
      let position = 0;
      for (const a of list) {
        await tx.insert(activities).values({
          offeringId,
          moduleId,
          position: position++,
          kind: a.kind,
          title: a.title,
          required: a.required ?? true,
          estimatedMinutes: a.minutes,
          dueAt: a.dueInDays !== undefined ? releaseAt.plus({ days: a.dueInDays }).set({ hour: 23, minute: 0 }).toJSDate() : null,
          liveSessionId: a.session !== undefined ? (sessionIds[a.session] ?? null) : null,
          content: content(a, topic),
        });
      }
    };
    let position = 0;
    for (const [index, m] of (demo.modules ?? []).entries()) {
      const release = start.plus({ weeks: index });
      const [row] = await tx
        .insert(modules)
        .values({
          offeringId,
          position: position++,
          title: m.title,
          releaseAt: demo.pacing === 'self_paced' ? null : release.toJSDate(),
          releaseOffsetDays: demo.pacing === 'self_paced' ? index * 7 : null,
        })
        .returning({ id: modules.id });
      await addActivities(m.activities, row!.id, release);
    }
    if (demo.tasks) await addActivities(demo.tasks, null, start);
  }
  return created;
}
