/** Language, theme, table density and date format: applied at once, saved in the preferences cookie by the API. */
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { LOCALES } from "../../i18n";
import { formatDate } from "../../i18n/format";
import { usePreferences } from "../../prefs/PreferencesProvider";
import type { DateFormat, Density, Locale, Preferences, Theme } from "../../prefs/cookie";
import { Button, Field, Notice, errorMessage } from "../../ui";
import styles from "./AccountPage.module.css";

const LANGUAGE_NAMES: Record<Locale, string> = { en: "English", fr: "Français", de: "Deutsch" };
const THEMES: readonly Theme[] = ["system", "light", "dark"];
const DENSITIES: readonly Density[] = ["comfortable", "compact"];
const DATE_FORMATS: readonly DateFormat[] = ["locale", "iso"];
const EXAMPLE_DAY = "2026-03-31";

export function PreferencesSection() {
  const { t } = useTranslation("account");
  const { preferences, update } = usePreferences();
  const [saved, setSaved] = useState(false);

  function change(next: Preferences) {
    setSaved(false);
    void update(next, true).then(() => setSaved(true));
  }

  return (
    <section className="card" aria-labelledby="preferences-title">
      <h2 id="preferences-title">{t("preferences.title")}</h2>
      <p className="small muted">{t("preferences.text")}</p>
      <div className={styles.preferencesGrid}>
        <Field label={t("preferences.language")}>
          <select
            className="select"
            value={preferences.locale}
            onChange={(event) => change({ locale: event.target.value as Locale })}
          >
            {LOCALES.map((locale) => (
              <option key={locale} value={locale} lang={locale}>
                {LANGUAGE_NAMES[locale]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("preferences.theme")}>
          <select
            className="select"
            value={preferences.theme}
            onChange={(event) => change({ theme: event.target.value as Theme })}
          >
            {THEMES.map((theme) => (
              <option key={theme} value={theme}>
                {t(`preferences.themes.${theme}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("preferences.density")}>
          <select
            className="select"
            value={preferences.density}
            onChange={(event) => change({ density: event.target.value as Density })}
          >
            {DENSITIES.map((density) => (
              <option key={density} value={density}>
                {t(`preferences.densities.${density}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("preferences.dateFormat")}>
          <select
            className="select"
            value={preferences.date_format}
            onChange={(event) => change({ date_format: event.target.value as DateFormat })}
          >
            {DATE_FORMATS.map((format) => (
              <option key={format} value={format}>
                {t(`preferences.dateFormats.${format}`, { example: formatDate(EXAMPLE_DAY, preferences.locale, format) })}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <p className={`small muted ${styles.saved}`} role="status">
        {saved ? t("preferences.saved") : ""}
      </p>
    </section>
  );
}

export function SignOutSection() {
  const { t } = useTranslation("account");
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const signOut = useMutation({
    mutationFn: async () => unwrap(await api.POST("/auth/logout")),
    onSuccess: () => {
      queryClient.clear();
      void navigate("/sign-in", { replace: true });
    },
  });
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t("sessions.title")}</h2>
      <p>{t("sessions.text")}</p>
      <ul className={`small muted ${styles.list}`}>
        <li>{t("sessions.password")}</li>
        <li>{t("sessions.email")}</li>
        <li>{t("sessions.idle")}</li>
      </ul>
      {signOut.error && <Notice tone="danger">{errorMessage(signOut.error, t("common:error.generic"))}</Notice>}
      <Button busy={signOut.isPending} onClick={() => signOut.mutate()}>
        {t("sessions.signOut")}
      </Button>
    </section>
  );
}
