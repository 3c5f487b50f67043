/**
 * i18next in en, fr, de (the debtor languages). Each screen has its own namespace, a JSON file per language
 * under src/locales/<lang>/<namespace>.json, loaded when the screen is first shown (so the first screen does
 * not carry every screen's words). Components use `useTranslation("<namespace>")`.
 */
import i18n, { type BackendModule, type ReadCallback } from "i18next";
import { initReactI18next } from "react-i18next";
import { browserLocale, readPreferences } from "../prefs/cookie";

export const LOCALES = ["en", "fr", "de"] as const;

const bundles = import.meta.glob<{ default: Record<string, unknown> }>("../locales/*/*.json");

const lazyBundles: BackendModule = {
  type: "backend",
  init() {},
  read(language: string, namespace: string, callback: ReadCallback) {
    const load = bundles[`../locales/${language}/${namespace}.json`];
    if (!load) {
      callback(new Error(`no translations for ${language}/${namespace}`), false);
      return;
    }
    load().then(
      (module) => callback(null, module.default),
      (error: unknown) => callback(error as Error, false),
    );
  },
};

void i18n
  .use(lazyBundles)
  .use(initReactI18next)
  .init({
    lng: readPreferences(typeof document === "undefined" ? "" : document.cookie).locale ?? browserLocale(),
    fallbackLng: "en",
    supportedLngs: [...LOCALES],
    ns: ["common"],
    defaultNS: "common",
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });

export default i18n;
