/** Where an API error belongs on a form: at its field, or above the form. */
import { ApiError } from "../../api/errors";

export interface FormErrors {
  fields: Record<string, string>;
  form: string | null;
}

/**
 * A refusal about one field of the form (a wrong password, an address already taken) is shown at that field
 * in the API's own words; a validation 422 shows each field's message at its field; anything else, or a
 * field this form does not show, goes above the form.
 */
export function formErrors(error: unknown, fallback: string, shown: readonly string[]): FormErrors {
  if (!error) return { fields: {}, form: null };
  if (!(error instanceof ApiError)) return { fields: {}, form: fallback };
  const details = error.fieldErrors();
  const names = Object.keys(details).filter((name) => shown.includes(name));
  if (names.length === 0) return { fields: {}, form: error.message };
  const unshown = Object.keys(details).some((name) => !shown.includes(name));
  if (error.code !== "invalid_input" && names.length === 1) {
    return { fields: { [names[0]!]: error.message }, form: unshown ? error.message : null };
  }
  const fields = Object.fromEntries(names.map((name) => [name, details[name]!]));
  return { fields, form: unshown ? error.message : null };
}

/** The same simple shape check as the invitation form: the API has the final word. */
export function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());
}

export type Strength = "empty" | "short" | "weak" | "fair" | "strong";

/**
 * A hint while typing, not the rule: the API refuses a password zxcvbn scores below 3 (common words, keyboard
 * walks, the person's own name or address). Length counts most; mixing kinds of characters helps a little.
 */
export function passwordStrength(password: string, own: readonly string[] = []): Strength {
  if (!password) return "empty";
  if (password.length < 8) return "short";
  const lower = password.toLowerCase();
  if (own.some((word) => word.length >= 3 && lower.includes(word.toLowerCase()))) return "weak";
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((kind) => kind.test(password)).length;
  const unique = new Set(password).size;
  if (unique < 5) return "weak";
  const score = password.length + kinds * 2 + (password.includes(" ") ? 4 : 0);
  if (score >= 20) return "strong";
  if (score >= 14) return "fair";
  return "weak";
}
