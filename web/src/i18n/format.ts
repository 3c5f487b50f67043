/** Money and dates in the user's language and chosen date format. Amounts are minor units (cents). */
import type { DateFormat } from "../prefs/cookie";

const ZERO_DECIMAL = new Set(["JPY", "KRW", "CLP", "VND", "ISK", "HUF", "XOF", "XAF", "UGX", "RWF"]);

export function minorUnitsPerMajor(currency: string): number {
  return ZERO_DECIMAL.has(currency.toUpperCase()) ? 1 : 100;
}

export function formatMoney(minor: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase() }).format(
    minor / minorUnitsPerMajor(currency),
  );
}

/** "12.50" (or "12,50") typed by a person, as minor units; null when it is not an amount. */
export function parseMoney(text: string, currency: string): number | null {
  const cleaned = text.trim().replace(/\s/g, "").replace(",", ".");
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  return Math.round(Number(cleaned) * minorUnitsPerMajor(currency));
}

export function formatDate(value: string | null | undefined, locale: string, format: DateFormat): string {
  if (!value) return "";
  const date = new Date(value.length === 10 ? `${value}T00:00:00` : value);
  if (Number.isNaN(date.getTime())) return value;
  if (format === "iso") return value.length === 10 ? value : date.toISOString().slice(0, 10);
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(date);
}

export function formatDateTime(value: string | null | undefined, locale: string, format: DateFormat): string {
  if (!value) return "";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  if (format === "iso") return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** An amount short enough for a chart's axis: "€12K", "1,2 M€". */
export function formatMoneyCompact(minor: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency: currency.toUpperCase(),
    notation: "compact",
    maximumFractionDigits: 1,
  }).format(minor / minorUnitsPerMajor(currency));
}

/** A figure with at most one decimal (days, ratios), in the user's language. */
export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
}

/** A rate of percent a year held as a decimal string ("10.15") as the language writes a percentage ("10,15 %"). */
export function formatRate(rate: string, locale: string): string {
  const value = Number(rate);
  if (!Number.isFinite(value)) return rate;
  return new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(
    value / 100,
  );
}

/** "2026-11" as the month's name and year ("Nov 2026"), or its short name alone. */
export function formatMonth(month: string, locale: string, short = false): string {
  const date = new Date(`${month}-01T00:00:00`);
  if (Number.isNaN(date.getTime())) return month;
  return new Intl.DateTimeFormat(locale, short ? { month: "short" } : { month: "short", year: "numeric" }).format(date);
}

/** A day without its year ("8 Dec"), for a chart's axis. */
export function formatDayShort(value: string, locale: string): string {
  const date = new Date(`${value}T00:00:00`);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short" }).format(date);
}
