import { ApiError } from "../../api/errors";

/** A 422's messages by field; a detail that names a field without words of its own gets the error's message. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.status !== 422) return {};
  const found = error.fieldErrors();
  if (Array.isArray(error.details)) {
    for (const item of error.details as unknown[]) {
      if (item && typeof item === "object") {
        const { field, loc } = item as Record<string, unknown>;
        const path = typeof field === "string" ? field.split(".") : Array.isArray(loc) ? loc.map(String) : [];
        const where = (path[0] === "body" || path[0] === "query" ? path[1] : path[0]) ?? "";
        if (where && !(where in found)) found[where] = error.message;
      }
    }
  }
  return found;
}

/** The messages of a 422 about the request as a whole (rules across fields), to show above the form. */
export function formMessages(error: unknown): string[] {
  if (!(error instanceof ApiError) || error.status !== 422 || !Array.isArray(error.details)) return [];
  const messages: string[] = [];
  for (const item of error.details as unknown[]) {
    if (item && typeof item === "object") {
      const { field, message, msg } = item as Record<string, unknown>;
      const text = typeof message === "string" ? message : typeof msg === "string" ? msg : "";
      if (text && (field === "body" || field === undefined)) messages.push(text.replace(/^Value error, /, ""));
    }
  }
  return messages;
}
