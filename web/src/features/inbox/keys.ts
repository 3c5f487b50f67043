/** The inbox's query keys, apart from its queries so that the app's shell can name them without loading them. */
export const inboxKeys = {
  all: ["inbox"] as const,
  list: (query: object) => ["inbox", "list", query] as const,
  openCount: ["inbox", "open-count"] as const,
};
