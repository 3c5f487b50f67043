/** Every word the app shows exists in all three languages: the same keys, and never an empty text. */
import { describe, expect, it } from "vitest";

const bundles = import.meta.glob<Record<string, unknown>>("../locales/*/*.json", { eager: true, import: "default" });

function keys(value: unknown, prefix = ""): string[] {
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key));
  }
  return [prefix];
}

function emptyTexts(value: unknown, prefix = ""): string[] {
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, inner]) => emptyTexts(inner, prefix ? `${prefix}.${key}` : key));
  }
  return typeof value === "string" && value.trim() === "" ? [prefix] : [];
}

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Keys with i18next's plural suffixes folded: French has a `_many` that English does not, rightly. */
function baseKeys(value: unknown): string[] {
  return [...new Set(keys(value).map((key) => key.replace(PLURAL, "")))].sort();
}

/** Plural keys missing a form the language's plural rules use (e.g. French `_many` for 1 000 000). */
function missingPluralForms(value: unknown, language: string): string[] {
  const all = new Set(keys(value));
  const plurals = new Set([...all].filter((key) => PLURAL.test(key)).map((key) => key.replace(PLURAL, "")));
  const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
  return [...plurals].flatMap((base) =>
    categories.filter((category) => !all.has(`${base}_${category}`)).map((category) => `${base}_${category}`),
  );
}

const namespaces = [...new Set(Object.keys(bundles).map((path) => path.split("/").pop()!.replace(".json", "")))];

describe("translations", () => {
  it.each(namespaces)("%s has the same keys in en, fr and de", (namespace) => {
    const english = baseKeys(bundles[`../locales/en/${namespace}.json`]);
    expect(english.length).toBeGreaterThan(0);
    for (const language of ["fr", "de"]) {
      const other = bundles[`../locales/${language}/${namespace}.json`];
      expect(other, `${language}/${namespace}.json is missing`).toBeDefined();
      expect(baseKeys(other), `${language}/${namespace}.json`).toEqual(english);
    }
  });

  it.each(namespaces)("%s has every plural form each language needs", (namespace) => {
    for (const language of ["en", "fr", "de"]) {
      expect(missingPluralForms(bundles[`../locales/${language}/${namespace}.json`], language), `${language}/${namespace}`).toEqual([]);
    }
  });

  it.each(namespaces)("%s has no empty text", (namespace) => {
    for (const language of ["en", "fr", "de"]) {
      expect(emptyTexts(bundles[`../locales/${language}/${namespace}.json`]), `${language}/${namespace}`).toEqual([]);
    }
  });
});
