/** The figures' query keys, apart from their queries so that the app's shell can name them without loading them. */
export const analyticsKeys = {
  all: ["analytics"] as const,
  summary: (asOf: string | undefined) => ["analytics", "summary", asOf ?? "today"] as const,
  aging: (query: object) => ["analytics", "aging", query] as const,
};
