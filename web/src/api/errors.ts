/** Every error the API can answer: `{"error": {"code", "message", "details"}}` (see docs/openapi.json). */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** A failed API call, thrown by `unwrap` so TanStack Query sees it as an error. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, body: unknown) {
    const error = isErrorBody(body) ? body.error : undefined;
    super(error?.message ?? `The server answered ${status}.`);
    this.name = "ApiError";
    this.status = status;
    this.code = error?.code ?? (status === 0 ? "network" : "unknown");
    this.details = error?.details;
  }

  /** The field-level messages of a 422, keyed by field name. */
  fieldErrors(): Record<string, string> {
    const result: Record<string, string> = {};
    if (!Array.isArray(this.details)) return result;
    for (const item of this.details as unknown[]) {
      if (item && typeof item === "object") {
        const { loc, field, msg, message } = item as Record<string, unknown>;
        // The API names fields by location ("body.email", "body.lines.0.amount"): the field is the first part
        // after the location, so nested errors land on the input that holds them.
        const path = typeof field === "string" ? field.split(".") : Array.isArray(loc) ? loc.map(String) : [];
        const where = (path[0] === "body" || path[0] === "query" ? path[1] : path[0]) ?? "";
        const text = typeof msg === "string" ? msg : typeof message === "string" ? message : "";
        if (where && text && !(where in result)) result[where] = text;
      }
    }
    return result;
  }
}

export function isErrorBody(body: unknown): body is ApiErrorBody {
  if (!body || typeof body !== "object" || !("error" in body)) return false;
  const error = (body as { error: unknown }).error;
  return !!error && typeof error === "object" && "code" in error && "message" in error;
}

/** The data of an openapi-fetch result, or an ApiError thrown with the API's own code and message. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok && result.error === undefined) return result.data as T;
  throw new ApiError(result.response.status, result.error);
}
