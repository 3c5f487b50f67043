/**
 * The password rule the server applies (layers/common/collectra/auth/strength.py), estimated as typed.
 *
 * The server refuses a password that zxcvbn scores below 3, or one built from the person's own email, name or
 * workspace name. zxcvbn-ts with the common and English dictionaries mirrors it; it weighs about a megabyte,
 * so it is imported on the first keystroke only (never in the main chunk). The server still has the last word:
 * its 422 is shown at the field.
 */
import type { ZxcvbnFactory } from "@zxcvbn-ts/core";

/** The server's MIN_SCORE. */
export const MIN_SCORE = 3;
/** The server's MAX_LENGTH (collectra/auth/passwords.py), also zxcvbn's cap there. */
export const MAX_LENGTH = 128;
export const MIN_LENGTH = 8;

export interface Strength {
  score: 0 | 1 | 2 | 3 | 4;
  /** zxcvbn's warning key (e.g. "topHundred"), translated under auth:strength.warnings. */
  warning: string | null;
  /** zxcvbn's suggestion keys, translated under auth:strength.suggestions. */
  suggestions: string[];
}

let estimator: Promise<ZxcvbnFactory> | null = null;

/** Load zxcvbn and its dictionaries once (later calls share the same promise). */
export function loadEstimator(): Promise<ZxcvbnFactory> {
  if (!estimator) {
    estimator = Promise.all([
      import("@zxcvbn-ts/core"),
      import("@zxcvbn-ts/language-common"),
      import("@zxcvbn-ts/language-en"),
    ]).then(
      ([core, common, english]) =>
        new core.ZxcvbnFactory({
          // No `translations`: feedback comes back as keys, which i18next translates in the user's language.
          dictionary: { ...common.dictionary, ...english.dictionary },
          graphs: common.adjacencyGraphs,
          maxLength: MAX_LENGTH,
        }),
      (error: unknown) => {
        estimator = null; // a failed chunk load may succeed on the next keystroke
        throw error;
      },
    );
  }
  return estimator;
}

/**
 * The person's own words, as the server's `related_words`: each value whole and split into its parts of three
 * characters or more (an email's local part and domain, a name's words).
 */
export function relatedWords(...values: (string | null | undefined)[]): string[] {
  const words: string[] = [];
  for (const value of values) {
    const trimmed = value?.trim();
    if (!trimmed) continue;
    words.push(trimmed);
    words.push(...trimmed.split(/[^\p{L}\p{N}_]+/u).filter((part) => part.length >= 3));
  }
  return words;
}

export async function estimate(password: string, related: string[]): Promise<Strength> {
  const zxcvbn = await loadEstimator();
  const result = await zxcvbn.checkAsync(password, related);
  return {
    score: result.score,
    warning: result.feedback.warning || null,
    suggestions: result.feedback.suggestions,
  };
}
