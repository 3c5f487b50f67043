import type { TFunction } from "i18next";
import { ApiError } from "../../api/errors";
import { FIELDS, validate, type FieldName, type FormErrors, type FormValues } from "./form";

/** The client's own checks, as messages in the user's language. */
export function clientErrors(values: FormValues, t: TFunction<"debtors">): FormErrors {
  const found = validate(values);
  const errors: FormErrors = {};
  for (const [field, problem] of Object.entries(found) as [FieldName, string][]) {
    errors[field] = t(`validation.${problem}`);
  }
  return errors;
}

/** A 422's messages at their fields; an error no field holds (a taken reference names its field too). */
export function apiFieldErrors(error: unknown): FormErrors {
  if (!(error instanceof ApiError)) return {};
  const errors: FormErrors = {};
  const byField = error.fieldErrors();
  for (const field of FIELDS) {
    if (byField[field]) errors[field] = byField[field];
  }
  // A 409 external_ref_taken names its field without a message of its own: the error's message is it.
  if (error.code === "external_ref_taken") errors.external_ref = error.message;
  return errors;
}
