import { useMemo } from "react";
import { usePreferences } from "../prefs/PreferencesProvider";
import { formatDate, formatDateTime, formatMoney } from "./format";

/** Formatters bound to the user's language and date format. */
export function useFormat() {
  const { preferences } = usePreferences();
  return useMemo(
    () => ({
      money: (minor: number, currency: string) => formatMoney(minor, currency, preferences.locale),
      date: (value: string | null | undefined) => formatDate(value, preferences.locale, preferences.date_format),
      dateTime: (value: string | null | undefined) =>
        formatDateTime(value, preferences.locale, preferences.date_format),
    }),
    [preferences.locale, preferences.date_format],
  );
}
