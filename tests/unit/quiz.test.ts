import { describe, expect, it } from 'vitest';
import type { QuizQuestion } from '#db/schema/offerings';
import {
  answerField,
  attemptsLeft,
  canAttempt,
  hasQuestions,
  isAnswerCorrect,
  mayRevealAnswers,
  questionsForParticipant,
  quizFeedback,
  readAnswers,
  scoreQuiz,
} from '~/modules/learning/quiz';

const single: QuizQuestion = {
  id: 'q1',
  prompt: 'Which one is a prime?',
  multiple: false,
  choices: [
    { id: 'a', label: '4', correct: false },
    { id: 'b', label: '7', correct: true },
    { id: 'c', label: '9', correct: false },
  ],
};
const multiple: QuizQuestion = {
  id: 'q2',
  prompt: 'Which are Nordic capitals?',
  multiple: true,
  choices: [
    { id: 'x', label: 'Oslo', correct: true },
    { id: 'y', label: 'Helsinki', correct: true },
    { id: 'z', label: 'Berlin', correct: false },
  ],
};
const third: QuizQuestion = {
  id: 'q3',
  prompt: 'Is the sea salty?',
  multiple: false,
  choices: [
    { id: 'yes', label: 'Yes', correct: true },
    { id: 'no', label: 'No', correct: false },
  ],
};
const quiz = { passMarkPercent: 60, attemptsAllowed: 3, questions: [single, multiple, third] };

describe('isAnswerCorrect', () => {
  it('counts a single-choice question when the one correct choice is chosen', () => {
    expect(isAnswerCorrect(single, ['b'])).toBe(true);
    expect(isAnswerCorrect(single, ['a'])).toBe(false);
  });

  it('counts a multiple-choice question only when the chosen set equals the correct set', () => {
    expect(isAnswerCorrect(multiple, ['x', 'y'])).toBe(true);
    expect(isAnswerCorrect(multiple, ['y', 'x'])).toBe(true);
  });

  it('treats a partly right answer as wrong: one correct choice missing, or a wrong one added', () => {
    expect(isAnswerCorrect(multiple, ['x'])).toBe(false);
    expect(isAnswerCorrect(multiple, ['x', 'y', 'z'])).toBe(false);
  });

  it('treats an empty or missing answer as wrong', () => {
    expect(isAnswerCorrect(single, [])).toBe(false);
    expect(isAnswerCorrect(multiple, undefined)).toBe(false);
  });

  it('ignores choice ids the question does not have, and duplicates', () => {
    expect(isAnswerCorrect(single, ['b', 'no-such-choice'])).toBe(true);
    expect(isAnswerCorrect(multiple, ['x', 'x', 'y'])).toBe(true);
    expect(isAnswerCorrect(single, ['no-such-choice'])).toBe(false);
  });
});

describe('scoreQuiz', () => {
  it('scores correct questions / questions × 100, rounded down, and passes at the pass mark', () => {
    expect(scoreQuiz(quiz, { q1: ['b'], q2: ['x', 'y'], q3: ['yes'] })).toMatchObject({ scorePercent: 100, passed: true, correctCount: 3, questionCount: 3 });
    // 2 of 3 is 66.67 %: rounded down to 66, which passes a 60 % mark.
    expect(scoreQuiz(quiz, { q1: ['b'], q2: ['x'], q3: ['yes'] })).toMatchObject({ scorePercent: 66, passed: true, correctCount: 2 });
    // 1 of 3 is 33.
    expect(scoreQuiz(quiz, { q1: ['b'], q2: ['x', 'z'], q3: ['no'] })).toMatchObject({ scorePercent: 33, passed: false });
  });

  it('passes exactly at the pass mark and fails just below it', () => {
    const half = { passMarkPercent: 50, questions: [single, third] };
    expect(scoreQuiz(half, { q1: ['b'], q3: ['no'] })).toMatchObject({ scorePercent: 50, passed: true });
    const strict = { passMarkPercent: 67, questions: [single, multiple, third] };
    expect(scoreQuiz(strict, { q1: ['b'], q2: ['x', 'y'], q3: ['no'] })).toMatchObject({ scorePercent: 66, passed: false });
  });

  it('uses whole-number arithmetic, so 29 of 100 is 29 and not 28', () => {
    const questions = Array.from({ length: 100 }, (_, i) => ({ ...third, id: `t${i}` }));
    const answers = Object.fromEntries(questions.map((q, i) => [q.id, [i < 29 ? 'yes' : 'no']]));
    expect(scoreQuiz({ passMarkPercent: 30, questions }, answers)).toMatchObject({ scorePercent: 29, passed: false });
  });

  it('scores empty answers as 0', () => {
    expect(scoreQuiz(quiz, {})).toMatchObject({ scorePercent: 0, passed: false, correctCount: 0 });
    expect(scoreQuiz(quiz, { q1: [], q2: [], q3: [] }).correct).toEqual({ q1: false, q2: false, q3: false });
  });

  it('never passes a quiz without questions, whatever the pass mark', () => {
    expect(scoreQuiz({ passMarkPercent: 80, questions: [] }, {})).toMatchObject({ scorePercent: 0, passed: false, questionCount: 0 });
    expect(scoreQuiz({ passMarkPercent: 0, questions: [] }, {})).toMatchObject({ scorePercent: 0, passed: false });
  });
});

describe('readAnswers', () => {
  const entries = (pairs: [string, string][]) => pairs as [string, unknown][];

  it('collects radio and checkbox values per question, leaving unanswered ones empty', () => {
    const read = readAnswers(quiz, entries([[answerField('q1'), 'b'], [answerField('q2'), 'x'], [answerField('q2'), 'y'], ['intent', 'quiz']]));
    expect(read).toEqual({ ok: true, answers: { q1: ['b'], q2: ['x', 'y'], q3: [] } });
  });

  it('refuses a choice id the question does not have', () => {
    expect(readAnswers(quiz, entries([[answerField('q1'), 'x']]))).toEqual({ ok: false, reason: 'unknown-choice' });
    expect(readAnswers(quiz, entries([[answerField('q1'), 'zzz']]))).toEqual({ ok: false, reason: 'unknown-choice' });
  });

  it('refuses a question the quiz does not have (the trainer changed it meanwhile)', () => {
    expect(readAnswers(quiz, entries([[answerField('gone'), 'a']]))).toEqual({ ok: false, reason: 'unknown-question' });
  });

  it('refuses two choices for a single-choice question, but not a repeated one', () => {
    expect(readAnswers(quiz, entries([[answerField('q1'), 'a'], [answerField('q1'), 'b']]))).toEqual({ ok: false, reason: 'one-choice-only' });
    expect(readAnswers(quiz, entries([[answerField('q1'), 'b'], [answerField('q1'), 'b']]))).toMatchObject({ ok: true, answers: { q1: ['b'] } });
  });

  it('refuses a file where a choice id belongs', () => {
    expect(readAnswers(quiz, [[answerField('q1'), new Blob(['b'])]])).toEqual({ ok: false, reason: 'unknown-choice' });
  });
});

describe('attempts and revealing answers', () => {
  it('counts attempts left, null when unlimited and never below zero', () => {
    expect(attemptsLeft(3, 0)).toBe(3);
    expect(attemptsLeft(3, 2)).toBe(1);
    expect(attemptsLeft(3, 3)).toBe(0);
    // A trainer lowered the limit after people had tried.
    expect(attemptsLeft(2, 5)).toBe(0);
    expect(attemptsLeft(0, 42)).toBeNull();
  });

  it('allows another attempt until passed or the attempts are used up', () => {
    expect(canAttempt({ attemptsAllowed: 2, questions: [single] }, 1, false)).toBe(true);
    expect(canAttempt({ attemptsAllowed: 2, questions: [single] }, 2, false)).toBe(false);
    expect(canAttempt({ attemptsAllowed: 2, questions: [single] }, 1, true)).toBe(false);
    expect(canAttempt({ attemptsAllowed: 0, questions: [single] }, 99, false)).toBe(true);
  });

  it('offers no attempt at a quiz without questions', () => {
    expect(hasQuestions({ questions: [] })).toBe(false);
    expect(hasQuestions({ questions: [single] })).toBe(true);
    expect(canAttempt({ attemptsAllowed: 0, questions: [] }, 0, false)).toBe(false);
    expect(canAttempt({ attemptsAllowed: 3, questions: [] }, 0, false)).toBe(false);
  });

  it('reveals the correct answers only after passing or when no attempt is left', () => {
    expect(mayRevealAnswers({ attemptsAllowed: 3 }, 1, false)).toBe(false);
    expect(mayRevealAnswers({ attemptsAllowed: 3 }, 1, true)).toBe(true);
    expect(mayRevealAnswers({ attemptsAllowed: 3 }, 3, false)).toBe(true);
    expect(mayRevealAnswers({ attemptsAllowed: 0 }, 50, false)).toBe(false);
  });

  it('gives right or wrong per question, and the correct choices only when revealed', () => {
    const answers = { q1: ['a'], q2: ['x', 'y'], q3: [] };
    const hidden = quizFeedback(quiz, answers, false);
    expect(hidden.map((f) => [f.questionId, f.correct, f.correctChoiceIds])).toEqual([
      ['q1', false, null],
      ['q2', true, null],
      ['q3', false, null],
    ]);
    const shown = quizFeedback(quiz, answers, true);
    expect(shown.map((f) => f.correctChoiceIds)).toEqual([['b'], ['x', 'y'], ['yes']]);
    expect(shown[0]!.chosen).toEqual(['a']);
  });

  it('sends participants the questions without the correct flags', () => {
    const safe = questionsForParticipant(quiz.questions);
    expect(JSON.stringify(safe)).not.toContain('correct');
    expect(safe[1]!.choices.map((c) => c.label)).toEqual(['Oslo', 'Helsinki', 'Berlin']);
  });
});
