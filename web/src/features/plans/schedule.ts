/**
 * A plan's schedule as the offer form previews it, with the API's arithmetic (collectra/plans/rules.py): equal
 * amounts in minor units, the last taking the rounding; dates a week, two weeks or a month apart (a month: the
 * same day, clamped to the month's end); the generic rules checked before sending. The API has the last word.
 */

export const MAX_INSTALMENTS = 12;
export const MIN_INSTALMENTS = 2;
export const MIN_GAP_DAYS = 7;
export const MAX_PLAN_DEBTS = 15;
export const EVERY = ["week", "two_weeks", "month"] as const;
export type Every = (typeof EVERY)[number];

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `total` in `count` equal parts of whole minor units, the last taking the rounding (10000 in 3: 3333, 3333, 3334). */
export function split(total: number, count: number): number[] {
  if (!Number.isInteger(total) || !Number.isInteger(count) || count < 1) return [];
  const part = Math.floor(total / count);
  return Array.from({ length: count }, (_, index) => (index === count - 1 ? total - part * (count - 1) : part));
}

function toUtc(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isDate(day: string): boolean {
  return ISO_DATE.test(day) && fromUtc(toUtc(day)) === day;
}

export function addDays(day: string, days: number): string {
  return fromUtc(toUtc(day) + days * DAY_MS);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
}

/** The same day `months` months later, or that month's last day when it is shorter (31 Jan + 1 month: 28/29 Feb). */
export function addMonths(day: string, months: number): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7)) - 1 + months;
  const wanted = Number(day.slice(8, 10));
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromUtc(Date.UTC(year, month, Math.min(wanted, last)));
}

/** `count` dates from `first`, every week, two weeks or month. */
export function everyDates(first: string, count: number, every: Every): string[] {
  return Array.from({ length: count }, (_, index) =>
    every === "month" ? addMonths(first, index) : addDays(first, index * (every === "week" ? 7 : 14)),
  );
}

export interface Row {
  due_on: string;
  amount: number;
}

/** The schedule the form starts from: equal amounts on regular dates. */
export function preview(total: number, count: number, first: string, every: Every): Row[] {
  if (!isDate(first) || count < 1) return [];
  const amounts = split(total, count);
  return everyDates(first, count, every).map((due_on, index) => ({ due_on, amount: amounts[index]! }));
}

export type Problem =
  | { kind: "count"; min: number; max: number }
  | { kind: "dateInvalid"; index: number }
  | { kind: "firstInPast"; index: 0 }
  | { kind: "gap"; index: number; days: number }
  | { kind: "amountInvalid"; index: number }
  | { kind: "sum"; total: number; sum: number };

/** The rules every plan follows, whoever proposes it (the workspace's own rules bind only the debtor's proposals). */
export function problemsOf(rows: Row[], total: number, today: string): Problem[] {
  const problems: Problem[] = [];
  if (rows.length < MIN_INSTALMENTS || rows.length > MAX_INSTALMENTS) {
    problems.push({ kind: "count", min: MIN_INSTALMENTS, max: MAX_INSTALMENTS });
  }
  rows.forEach((row, index) => {
    if (!isDate(row.due_on)) problems.push({ kind: "dateInvalid", index });
    else if (index === 0 && row.due_on < today) problems.push({ kind: "firstInPast", index: 0 });
    else if (index > 0 && isDate(rows[index - 1]!.due_on) && daysBetween(rows[index - 1]!.due_on, row.due_on) < MIN_GAP_DAYS) {
      problems.push({ kind: "gap", index, days: MIN_GAP_DAYS });
    }
    if (!Number.isInteger(row.amount) || row.amount <= 0) problems.push({ kind: "amountInvalid", index });
  });
  const sum = rows.reduce((acc, row) => acc + (Number.isInteger(row.amount) ? row.amount : 0), 0);
  if (rows.length > 0 && problems.every((problem) => problem.kind !== "amountInvalid") && sum !== total) {
    problems.push({ kind: "sum", total, sum });
  }
  return problems;
}

/** Today in a time zone, as the business's calendar has it ("YYYY-MM-DD"). */
export function todayIn(timeZone: string | undefined, now: Date = new Date()): string {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}
