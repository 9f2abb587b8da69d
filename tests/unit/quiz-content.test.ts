import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ActivityContent } from '#db/schema';
import { parseStructureForm } from '~/modules/offerings/structure-forms.server';
import { activityDefaults, activitySchema, toActivityUpdate } from '~/modules/offerings/structure-schemas';

const ZONE = 'Europe/Oslo';
const quizSchema = activitySchema('quiz', { zone: ZONE, sessionIds: [] });

function form(entries: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(entries)) data.append(name, value);
  return data;
}

const validQuiz = {
  title: 'Quiz',
  passMarkPercent: '60',
  attemptsAllowed: '2',
  'questions[0].prompt': 'Pick one',
  'questions[0].type': 'single',
  'questions[0].choices[0].label': 'Right',
  'questions[0].choices[0].correct': 'on',
  'questions[0].choices[1].label': 'Wrong',
};

describe('quiz content', () => {
  it('turns a valid form into stored content, new items without ids yet', () => {
    const submission = parseStructureForm(form(validQuiz), quizSchema);
    expect(submission?.status).toBe('success');
    if (submission?.status !== 'success') return;
    const update = toActivityUpdate('quiz', submission.value);
    expect(update).toMatchObject({ title: 'Quiz', required: false, estimatedMinutes: 0, dueAt: null, liveSessionId: null });
    expect(update.content).toEqual({
      kind: 'quiz',
      intro: '',
      passMarkPercent: 60,
      attemptsAllowed: 2,
      questions: [
        {
          id: undefined,
          prompt: 'Pick one',
          multiple: false,
          choices: [
            { id: undefined, label: 'Right', correct: true },
            { id: undefined, label: 'Wrong', correct: false },
          ],
        },
      ],
    });
  });

  it('round-trips stored content through the editor defaults', () => {
    const content: ActivityContent = {
      kind: 'quiz',
      intro: 'Hi',
      passMarkPercent: 100,
      attemptsAllowed: 0,
      questions: [
        {
          id: randomUUID(),
          prompt: 'Both',
          multiple: true,
          choices: [
            { id: randomUUID(), label: 'A', correct: true },
            { id: randomUUID(), label: 'B', correct: true },
          ],
        },
      ],
    };
    const defaults = activityDefaults(
      { title: 'T', required: true, estimatedMinutes: 5, dueAt: new Date('2026-03-30T07:00:00Z'), liveSessionId: null, content },
      '2026-03-30T09:00',
    );
    const entries: Record<string, string> = {
      title: defaults.title!,
      required: 'on',
      estimatedMinutes: String(defaults.estimatedMinutes),
      dueAt: defaults.dueAt!,
      intro: defaults.intro!,
      passMarkPercent: String(defaults.passMarkPercent),
      attemptsAllowed: String(defaults.attemptsAllowed),
    };
    defaults.questions!.forEach((q, i) => {
      entries[`questions[${i}].id`] = q.id;
      entries[`questions[${i}].prompt`] = q.prompt;
      entries[`questions[${i}].type`] = q.type;
      q.choices.forEach((c, j) => {
        entries[`questions[${i}].choices[${j}].id`] = c.id;
        entries[`questions[${i}].choices[${j}].label`] = c.label;
        if (c.correct) entries[`questions[${i}].choices[${j}].correct`] = 'on';
      });
    });
    const submission = parseStructureForm(form(entries), quizSchema);
    expect(submission?.status).toBe('success');
    if (submission?.status !== 'success') return;
    const update = toActivityUpdate('quiz', submission.value);
    expect(update.content).toEqual(content);
    expect(update.dueAt).toEqual(new Date('2026-03-30T07:00:00Z'));
  });

  it('starts a quiz without questions from one blank question', () => {
    const defaults = activityDefaults(
      { title: 'T', required: true, estimatedMinutes: 0, dueAt: null, liveSessionId: null, content: { kind: 'quiz', intro: '', passMarkPercent: 80, attemptsAllowed: 0, questions: [] } },
      '',
    );
    expect(defaults.questions).toHaveLength(1);
    expect(defaults.questions![0]!.choices).toHaveLength(2);
  });

  it.each([
    ['no correct choice', { 'questions[0].choices[0].correct': '' }, 'questions[0]', 'structure.errors.noCorrectChoice'],
    ['two correct in a single-choice question', { 'questions[0].choices[1].correct': 'on' }, 'questions[0]', 'structure.errors.singleNeedsOne'],
    ['a malformed id', { 'questions[0].id': 'abc' }, 'questions[0].id', 'structure.errors.badId'],
    ['an unknown question type', { 'questions[0].type': 'essay' }, 'questions[0].type', 'errors.invalidChoice'],
    ['a pass mark above 100', { passMarkPercent: '150' }, 'passMarkPercent', 'structure.errors.wholeNumber'],
  ])('refuses %s', (_label, change, field, key) => {
    const entries: Record<string, string> = { ...validQuiz, ...change };
    for (const [name, value] of Object.entries(entries)) if (value === '') delete entries[name];
    const submission = parseStructureForm(form(entries), quizSchema);
    expect(submission?.status).toBe('error');
    expect(submission?.reply().error?.[field]?.[0]?.split('|')[0]).toBe(key);
  });

  it('answers null to forged list intents and far-away indexes instead of throwing', () => {
    const cases: Record<string, string>[] = [
      { ...validQuiz, __intent__: 'nonsense' },
      { ...validQuiz, __intent__: JSON.stringify({ type: 'reset', payload: {} }) },
      { ...validQuiz, __intent__: JSON.stringify({ type: 'remove', payload: { name: 'title', index: 0 } }) },
      { ...validQuiz, __intent__: JSON.stringify({ type: 'insert', payload: { name: 'questions', index: 5000 } }) },
      { ...validQuiz, 'questions[101].prompt': 'far' },
      { ...validQuiz, 'questions[0].choices[0001].label': 'padded' },
    ];
    for (const entries of cases) expect(parseStructureForm(form(entries), quizSchema)).toBeNull();
    const insert = parseStructureForm(form({ ...validQuiz, __intent__: JSON.stringify({ type: 'insert', payload: { name: 'questions' } }) }), quizSchema);
    expect(insert?.status).toBeUndefined();
  });
});
