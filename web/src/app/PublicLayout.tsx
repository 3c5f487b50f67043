import { Suspense } from "react";
import { Link, Outlet } from "react-router";
import { useTranslation } from "react-i18next";
import { usePreferences } from "../prefs/PreferencesProvider";
import { LOCALES } from "../i18n";
import type { Locale } from "../prefs/cookie";
import { Loading } from "../ui";
import styles from "./PublicLayout.module.css";

const LANGUAGE_NAMES: Record<Locale, string> = { en: "English", fr: "Français", de: "Deutsch" };

/** Signing up and in, and the emailed links: a centred card, with the language to choose. */
export function PublicLayout() {
  const { t } = useTranslation();
  const { preferences, update } = usePreferences();
  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <Link to="/sign-in" className={styles.brand}>
          Collectra
        </Link>
        <label className="row small">
          <span>{t("language")}</span>
          <select
            className="select"
            value={preferences.locale}
            onChange={(event) => void update({ locale: event.target.value as Locale }, false)}
          >
            {LOCALES.map((locale) => (
              <option key={locale} value={locale} lang={locale}>
                {LANGUAGE_NAMES[locale]}
              </option>
            ))}
          </select>
        </label>
      </header>
      <main id="main" className={styles.card}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className={`${styles.footer} small muted`}>
        <a href="/app/privacy">{t("privacyPolicy")}</a>
      </footer>
    </div>
  );
}
