/**
 * The `_collectra_session` cookie: the app's UI preferences, the only thing it keeps on the device (the
 * privacy policy names it). Signed in, the API writes it (`PUT /auth/preferences` validates each value);
 * signed out (the sign-in page's language menu), the page writes the same format itself.
 */

export type Locale = "en" | "fr" | "de";
export type Theme = "light" | "dark" | "system";
export type Density = "comfortable" | "compact";
export type DateFormat = "locale" | "iso";

export interface Preferences {
  locale?: Locale;
  theme?: Theme;
  density?: Density;
  date_format?: DateFormat;
}

export const COOKIE_NAME = "_collectra_session";
const MAX_AGE_SECONDS = 365 * 24 * 3600;
const ALLOWED: { [K in keyof Preferences]-?: readonly string[] } = {
  locale: ["en", "fr", "de"],
  theme: ["light", "dark", "system"],
  density: ["comfortable", "compact"],
  date_format: ["locale", "iso"],
};

/** The preferences in `cookieHeader` (document.cookie); unknown names and values are ignored. */
export function readPreferences(cookieHeader: string): Preferences {
  const raw = cookieHeader
    .split(";")
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${COOKIE_NAME}=`));
  if (!raw) return {};
  const result: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(raw.slice(COOKIE_NAME.length + 1))) {
    const allowed = (ALLOWED as Record<string, readonly string[]>)[name];
    if (allowed?.includes(value)) result[name] = value;
  }
  return result as Preferences;
}

/** The cookie's value as the API writes it: url-encoded, names sorted. */
export function encodePreferences(preferences: Preferences): string {
  const entries = Object.entries(preferences).filter(([, value]) => value) as [string, string][];
  entries.sort(([a], [b]) => a.localeCompare(b));
  return new URLSearchParams(entries).toString();
}

export function writePreferencesCookie(preferences: Preferences): void {
  document.cookie =
    `${COOKIE_NAME}=${encodePreferences(preferences)}; Path=/; Max-Age=${MAX_AGE_SECONDS}; SameSite=Lax; Secure`;
}

/** The browser's first supported language, else English. */
export function browserLocale(languages: readonly string[] = navigator.languages): Locale {
  for (const language of languages) {
    const base = language.toLowerCase().split("-")[0];
    if (base === "en" || base === "fr" || base === "de") return base;
  }
  return "en";
}
