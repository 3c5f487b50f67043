/**
 * The password rule the server applies (layers/common/collectra/auth/strength.py), estimated as typed.
 *
 * The server refuses a password that zxcvbn scores below 3, or one built from the person's own email, name or
 * workspace name. zxcvbn-ts with the common and English dictionaries mirrors it; it weighs about 850 KB gzipped,
 * so it is imported on the first keystroke only (never in the main chunk), the common passwords first and the
 * English words after. The server still has the last word: its 422 is shown at the field.
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

type Core = typeof import("@zxcvbn-ts/core");
type Common = typeof import("@zxcvbn-ts/language-common");

let base: Promise<[Core, Common]> | null = null;
let quick: Promise<ZxcvbnFactory> | null = null;
let full: Promise<ZxcvbnFactory> | null = null;
let fullReady: ZxcvbnFactory | null = null;

function loadBase(): Promise<[Core, Common]> {
  base ??= Promise.all([import("@zxcvbn-ts/core"), import("@zxcvbn-ts/language-common")]).catch((error: unknown) => {
    base = null; // a failed chunk load may succeed on the next keystroke
    throw error;
  });
  return base;
}

function factory(core: Core, common: Common, dictionary: Record<string, string[]>): ZxcvbnFactory {
  return new core.ZxcvbnFactory({
    // No `translations`: feedback comes back as keys, which i18next translates in the user's language.
    dictionary,
    graphs: common.adjacencyGraphs,
    maxLength: MAX_LENGTH,
  });
}

/**
 * zxcvbn with the common passwords (about 240 KB gzipped): enough to catch the passwords attackers try first,
 * so the meter answers quickly.
 */
export function loadEstimator(): Promise<ZxcvbnFactory> {
  quick ??= loadBase().then(
    ([core, common]) => factory(core, common, common.dictionary),
    (error: unknown) => {
      quick = null;
      throw error;
    },
  );
  return quick;
}

/**
 * Then the English words and names the server's zxcvbn also knows (about 600 KB gzipped, fetched in the
 * background): the meter's verdict then matches the server's.
 */
export function loadFullEstimator(): Promise<ZxcvbnFactory> {
  full ??= Promise.all([loadBase(), import("@zxcvbn-ts/language-en")]).then(
    ([[core, common], english]) => {
      fullReady = factory(core, common, { ...common.dictionary, ...english.dictionary });
      return fullReady;
    },
    (error: unknown) => {
      full = null;
      throw error;
    },
  );
  return full;
}

export function hasFullEstimator(): boolean {
  return fullReady !== null;
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

/** The estimate with the fullest dictionaries loaded so far. */
export async function estimate(password: string, related: string[]): Promise<Strength> {
  const zxcvbn = fullReady ?? (await loadEstimator());
  const result = await zxcvbn.checkAsync(password, related);
  return {
    score: result.score,
    warning: result.feedback.warning || null,
    suggestions: result.feedback.suggestions,
  };
}
