import { describe, expect, it } from "vitest";
import { addMonths, everyDates, isDate, preview, problemsOf, split, todayIn } from "./schedule";

describe("a plan's schedule arithmetic", () => {
  it("splits a total in equal whole minor units, the last taking the rounding", () => {
    expect(split(10000, 3)).toEqual([3333, 3333, 3334]);
    expect(split(10001, 2)).toEqual([5000, 5001]);
    expect(split(12000, 12)).toEqual(Array(12).fill(1000));
    expect(split(5, 3)).toEqual([1, 1, 3]);
    for (const [total, count] of [
      [99999, 7],
      [1, 1],
      [123457, 12],
    ] as const) {
      const parts = split(total, count);
      expect(parts).toHaveLength(count);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
      expect(new Set(parts.slice(0, -1)).size).toBeLessThanOrEqual(1);
      expect(parts.at(-1)!).toBeGreaterThanOrEqual(parts[0]!);
    }
  });

  it("steps dates by a week, two weeks or a month, a month keeping the day or clamping it to the month's end", () => {
    expect(everyDates("2026-03-10", 3, "week")).toEqual(["2026-03-10", "2026-03-17", "2026-03-24"]);
    expect(everyDates("2026-12-22", 3, "two_weeks")).toEqual(["2026-12-22", "2027-01-05", "2027-01-19"]);
    expect(everyDates("2026-01-31", 4, "month")).toEqual(["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]);
    expect(everyDates("2027-11-30", 4, "month")).toEqual(["2027-11-30", "2027-12-30", "2028-01-30", "2028-02-29"]);
    expect(addMonths("2026-10-25", 1)).toBe("2026-11-25"); // across a clock change: a calendar day, not 24-hour steps
  });

  it("previews equal amounts on regular dates", () => {
    expect(preview(10000, 3, "2026-03-10", "month")).toEqual([
      { due_on: "2026-03-10", amount: 3333 },
      { due_on: "2026-04-10", amount: 3333 },
      { due_on: "2026-05-10", amount: 3334 },
    ]);
    expect(preview(10000, 3, "not a date", "month")).toEqual([]);
  });

  it("checks what every plan must be: 2 to 12 instalments, from today, a week apart, positive, adding up", () => {
    const today = "2026-03-10";
    expect(problemsOf(preview(10000, 3, today, "week"), 10000, today)).toEqual([]);
    expect(problemsOf(preview(10000, 1, today, "week"), 10000, today)).toEqual([{ kind: "count", min: 2, max: 12 }]);
    expect(problemsOf(preview(13000, 13, today, "week"), 13000, today)).toEqual([{ kind: "count", min: 2, max: 12 }]);
    expect(problemsOf(preview(10000, 2, "2026-03-09", "week"), 10000, today)).toEqual([{ kind: "firstInPast", index: 0 }]);
    const close = [
      { due_on: "2026-03-10", amount: 5000 },
      { due_on: "2026-03-16", amount: 5000 },
    ];
    expect(problemsOf(close, 10000, today)).toEqual([{ kind: "gap", index: 1, days: 7 }]);
    const backwards = [
      { due_on: "2026-03-20", amount: 5000 },
      { due_on: "2026-03-13", amount: 5000 },
    ];
    expect(problemsOf(backwards, 10000, today)).toEqual([{ kind: "gap", index: 1, days: 7 }]);
    const bad = [
      { due_on: "2026-02-30", amount: 0 },
      { due_on: "2026-04-10", amount: 10000 },
    ];
    expect(problemsOf(bad, 10000, today)).toEqual([
      { kind: "dateInvalid", index: 0 },
      { kind: "amountInvalid", index: 0 },
    ]);
    const short = [
      { due_on: "2026-03-10", amount: 3000 },
      { due_on: "2026-04-10", amount: 3000 },
    ];
    expect(problemsOf(short, 10000, today)).toEqual([{ kind: "sum", total: 10000, sum: 6000 }]);
  });

  it("knows a real calendar day, and today in the business's time zone", () => {
    expect(isDate("2028-02-29")).toBe(true);
    expect(isDate("2027-02-29")).toBe(false);
    const lateInUtc = new Date("2026-03-10T23:30:00Z");
    expect(todayIn("Europe/Berlin", lateInUtc)).toBe("2026-03-11");
    expect(todayIn("America/New_York", lateInUtc)).toBe("2026-03-10");
    expect(todayIn("Not/AZone", lateInUtc)).toBe("2026-03-10");
  });
});
