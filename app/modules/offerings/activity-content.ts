import type { ActivityContent, QuizQuestion } from '#db/schema/offerings';
import { questionsForParticipant } from '../learning/quiz';

/**
 * The content of an activity as the browser may hold it. Pure: shared by
 * the loaders that build page data and the components that show it, so
 * components need not reach into the database schema for the types.
 */
export type { ActivityContent, QuizQuestion };

type QuizContent = Extract<ActivityContent, { kind: 'quiz' }>;

/** Content for people who may look at an offering but not change it: a quiz without its answer key. */
export type ReadOnlyContent =
  | Exclude<ActivityContent, { kind: 'quiz' }>
  | (Omit<QuizContent, 'questions'> & { questions: ReturnType<typeof questionsForParticipant> });

/** The read-only view of an activity's content: every quiz choice without its `correct` flag. */
export function readOnlyContent(content: ActivityContent): ReadOnlyContent {
  if (content.kind !== 'quiz') return content;
  return { ...content, questions: questionsForParticipant(content.questions) };
}
