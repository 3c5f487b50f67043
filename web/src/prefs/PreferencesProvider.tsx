import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import i18n from "../i18n";
import { api } from "../api/client";
import { unwrap } from "../api/errors";
import { browserLocale, readPreferences, writePreferencesCookie, type Preferences } from "./cookie";

interface PreferencesContextValue {
  preferences: Required<Preferences>;
  /** Change some preferences: applied at once, then saved in the cookie (through the API when signed in). */
  update: (change: Preferences, signedIn: boolean) => Promise<void>;
}

const PreferencesContext = createContext<PreferencesContextValue | null>(null);

function withDefaults(saved: Preferences): Required<Preferences> {
  return {
    locale: saved.locale ?? browserLocale(),
    theme: saved.theme ?? "system",
    density: saved.density ?? "comfortable",
    date_format: saved.date_format ?? "locale",
  };
}

export function PreferencesProvider({ children }: { children: ReactNode }) {
  const [saved, setSaved] = useState<Preferences>(() => readPreferences(document.cookie));
  const preferences = useMemo(() => withDefaults(saved), [saved]);

  useEffect(() => {
    const root = document.documentElement;
    root.dataset.theme = preferences.theme;
    root.dataset.density = preferences.density;
    root.lang = preferences.locale;
    if (i18n.language !== preferences.locale) void i18n.changeLanguage(preferences.locale);
  }, [preferences]);

  const update = useCallback(
    async (change: Preferences, signedIn: boolean) => {
      const next = { ...saved, ...change };
      setSaved(next);
      if (signedIn) {
        // Applied at once; a refused save throws so the screen can say it was not kept.
        unwrap(await api.PUT("/auth/preferences", { body: next }));
      } else {
        writePreferencesCookie(next);
      }
    },
    [saved],
  );

  const value = useMemo(() => ({ preferences, update }), [preferences, update]);
  return <PreferencesContext.Provider value={value}>{children}</PreferencesContext.Provider>;
}

export function usePreferences(): PreferencesContextValue {
  const value = useContext(PreferencesContext);
  if (!value) throw new Error("usePreferences outside PreferencesProvider");
  return value;
}
