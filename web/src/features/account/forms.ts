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
