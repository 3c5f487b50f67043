/** What every auth form shares: the obvious checks before sending, and the API's answer placed at the fields. */
import type { TFunction } from "i18next";
import { ApiError } from "../../api/errors";
import { MAX_LENGTH, MIN_LENGTH } from "./strength";

export type FieldErrors = Partial<Record<string, string>>;

// The API's email rule (docs/openapi.json, LoginRequest.email): one @, a dot in the domain, no spaces.
const EMAIL = /^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$/u;

export function checkRequired(value: string, t: TFunction, max = 120): string | undefined {
  if (!value.trim()) return t("auth:validation.required");
  if (value.length > max) return t("auth:validation.tooLong", { max });
  return undefined;
}

export function checkEmail(value: string, t: TFunction): string | undefined {
  const email = value.trim();
  if (!email) return t("auth:validation.required");
  if (email.length > 254 || !EMAIL.test(email)) return t("auth:validation.email");
  return undefined;
}

/** A new password: the server's length bounds (its strength rule is shown by the meter and enforced by it). */
export function checkNewPassword(value: string, t: TFunction): string | undefined {
  if (!value) return t("auth:validation.required");
  if (value.length < MIN_LENGTH) return t("auth:validation.passwordShort", { min: MIN_LENGTH });
  if (value.length > MAX_LENGTH) return t("auth:validation.tooLong", { max: MAX_LENGTH });
  return undefined;
}

/** Only the fields that have a message: an empty result means the form may be sent. */
export function compact(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([, message]) => message)) as FieldErrors;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.values(errors).some(Boolean);
}

/**
 * Split the API's refusal: 422 messages for fields this form shows go beside them; anything else is one message
 * for the whole form (the API writes it for people). A weak password gets the API's full sentence at the field.
 */
export function serverErrors(error: unknown, fields: readonly string[]): { fields: FieldErrors; message?: string } {
  if (!(error instanceof ApiError)) return { fields: {} };
  const found: FieldErrors = {};
  if (error.status === 422) {
    const byField = error.fieldErrors();
    for (const field of fields) {
      if (byField[field]) found[field] = error.code === "password_too_weak" && field === "password" ? error.message : byField[field];
    }
  }
  return hasErrors(found) ? { fields: found } : { fields: {}, message: error.message };
}

/**
 * Where to go after signing in: `?next=` when it is a path inside the app (never another site: "//evil" and
 * "/\\evil" are refused), else the home screen.
 */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  return next;
}
