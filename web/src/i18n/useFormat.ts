import { useMemo } from "react";
import { usePreferences } from "../prefs/PreferencesProvider";
import {
  formatDate,
  formatDateTime,
  formatDayShort,
  formatMoney,
  formatMoneyCompact,
  formatMonth,
  formatNumber,
  formatRate,
} from "./format";

/** Formatters bound to the user's language and date format. */
export function useFormat() {
  const { preferences } = usePreferences();
  return useMemo(
    () => ({
      money: (minor: number, currency: string) => formatMoney(minor, currency, preferences.locale),
      date: (value: string | null | undefined) => formatDate(value, preferences.locale, preferences.date_format),
      dateTime: (value: string | null | undefined) =>
        formatDateTime(value, preferences.locale, preferences.date_format),
      moneyCompact: (minor: number, currency: string) => formatMoneyCompact(minor, currency, preferences.locale),
      number: (value: number) => formatNumber(value, preferences.locale),
      rate: (rate: string) => formatRate(rate, preferences.locale),
      month: (month: string, short = false) => formatMonth(month, preferences.locale, short),
      dayShort: (value: string) => formatDayShort(value, preferences.locale),
    }),
    [preferences.locale, preferences.date_format],
  );
}
