import type { QuizQuestion } from '#db/schema/offerings';

/**
 * Quiz scoring (DESIGN.md §3). Pure: the server decides with it, the page
 * shows the same feedback with it.
 */

/** Question id → the choice ids the participant ticked. */
export type QuizAnswers = Record<string, string[]>;

export interface QuizRules {
  passMarkPercent: number;
  /** 0 means unlimited. */
  attemptsAllowed: number;
  questions: QuizQuestion[];
}

/** The form field that carries the answer to a question (radio or checkboxes share it). */
export function answerField(questionId: string): string {
  return `q-${questionId}`;
}

const FIELD_PREFIX = 'q-';

export type AnswersResult = { ok: true; answers: QuizAnswers } | { ok: false; reason: 'unknown-question' | 'unknown-choice' | 'one-choice-only' };

/**
 * Reads the answers out of posted form entries. Anything that does not name
 * a question and choice of this quiz as it stands is refused rather than
 * guessed at: the form was built from another version of the quiz (a trainer
 * edited it meanwhile) or by hand, and scoring it would cost an attempt for
 * nothing. Unanswered questions are simply empty.
 */
export function readAnswers(quiz: Pick<QuizRules, 'questions'>, entries: Iterable<[string, unknown]>): AnswersResult {
  const byId = new Map(quiz.questions.map((q) => [q.id, q]));
  const answers: QuizAnswers = Object.fromEntries(quiz.questions.map((q) => [q.id, [] as string[]]));
  for (const [name, value] of entries) {
    if (!name.startsWith(FIELD_PREFIX)) continue;
    const question = byId.get(name.slice(FIELD_PREFIX.length));
    if (!question) return { ok: false, reason: 'unknown-question' };
    if (typeof value !== 'string' || !question.choices.some((c) => c.id === value)) return { ok: false, reason: 'unknown-choice' };
    const chosen = answers[question.id]!;
    if (!chosen.includes(value)) chosen.push(value);
    if (!question.multiple && chosen.length > 1) return { ok: false, reason: 'one-choice-only' };
  }
  return { ok: true, answers };
}

/** A question counts when the set of choices ticked is exactly the set of correct ones. Unknown ids are ignored. */
export function isAnswerCorrect(question: QuizQuestion, chosen: readonly string[] | undefined): boolean {
  const known = new Set((chosen ?? []).filter((id) => question.choices.some((c) => c.id === id)));
  const correct = question.choices.filter((c) => c.correct).map((c) => c.id);
  return correct.length === known.size && correct.every((id) => known.has(id));
}

export interface QuizScore {
  /** Whole percent, rounded down. */
  scorePercent: number;
  passed: boolean;
  correctCount: number;
  questionCount: number;
  /** Per question, in the quiz's order. */
  correct: Record<string, boolean>;
}

/**
 * Correct questions / questions × 100, rounded down (integer arithmetic, so
 * 29 of 100 is 29 and not 28.999…); passed at or above the pass mark. A quiz
 * without questions cannot be passed: it scores 0 (and submitQuiz refuses it
 * before scoring).
 */
export function scoreQuiz(quiz: Pick<QuizRules, 'passMarkPercent' | 'questions'>, answers: QuizAnswers): QuizScore {
  const correct: Record<string, boolean> = {};
  let correctCount = 0;
  for (const question of quiz.questions) {
    const right = isAnswerCorrect(question, answers[question.id]);
    correct[question.id] = right;
    if (right) correctCount++;
  }
  const questionCount = quiz.questions.length;
  if (questionCount === 0) return { scorePercent: 0, passed: false, correctCount, questionCount, correct };
  const scorePercent = Math.floor((correctCount * 100) / questionCount);
  return { scorePercent, passed: scorePercent >= quiz.passMarkPercent, correctCount, questionCount, correct };
}

/** Attempts still allowed: null when unlimited, never below zero (a trainer may lower the limit after people tried). */
export function attemptsLeft(attemptsAllowed: number, attemptsUsed: number): number | null {
  if (attemptsAllowed <= 0) return null;
  return Math.max(0, attemptsAllowed - attemptsUsed);
}

/** A quiz the trainer has not written questions for yet: nothing to answer, so nothing to attempt. */
export function hasQuestions(quiz: Pick<QuizRules, 'questions'>): boolean {
  return quiz.questions.length > 0;
}

/** May another attempt start? Not after passing, not when the attempts are used up, not while the quiz has no questions. */
export function canAttempt(quiz: Pick<QuizRules, 'attemptsAllowed' | 'questions'>, attemptsUsed: number, passed: boolean): boolean {
  if (passed || !hasQuestions(quiz)) return false;
  const left = attemptsLeft(quiz.attemptsAllowed, attemptsUsed);
  return left === null || left > 0;
}

/**
 * The correct answers are shown only once they cannot help a further
 * attempt: after passing, or when no attempt is left.
 */
export function mayRevealAnswers(quiz: Pick<QuizRules, 'attemptsAllowed'>, attemptsUsed: number, passed: boolean): boolean {
  return passed || attemptsLeft(quiz.attemptsAllowed, attemptsUsed) === 0;
}

export interface QuestionFeedback {
  questionId: string;
  correct: boolean;
  chosen: string[];
  /** Only when the answers may be revealed. */
  correctChoiceIds: string[] | null;
}

/** Right or wrong per question for an attempt, with the correct choices only when they may be revealed. */
export function quizFeedback(quiz: Pick<QuizRules, 'questions'>, answers: QuizAnswers, reveal: boolean): QuestionFeedback[] {
  return quiz.questions.map((question) => ({
    questionId: question.id,
    correct: isAnswerCorrect(question, answers[question.id]),
    chosen: (answers[question.id] ?? []).filter((id) => question.choices.some((c) => c.id === id)),
    correctChoiceIds: reveal ? question.choices.filter((c) => c.correct).map((c) => c.id) : null,
  }));
}

/** The quiz as participants may see it before the answers are revealed: no `correct` flags. */
export function questionsForParticipant(questions: QuizQuestion[]) {
  return questions.map((q) => ({ id: q.id, prompt: q.prompt, multiple: q.multiple, choices: q.choices.map((c) => ({ id: c.id, label: c.label })) }));
}
