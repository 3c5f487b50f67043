import { describe, expect, it } from "vitest";
import { MIN_SCORE, estimate, loadFullEstimator, relatedWords } from "./strength";

describe("the password rule, as the server applies it", () => {
  it("scores as the server's zxcvbn does", async () => {
    await loadFullEstimator();
    // Scores read from the server's own zxcvbn (layers/common/collectra/auth/strength.py) for the same passwords.
    const server: Record<string, number> = {
      password: 0,
      lovelace: 1,
      Monument1: 1,
      elephantgiraffe: 2,
      mountainriver: 1,
      "Sunshine2024!": 2,
      collectra2026: 3,
      "quartz lantern obliges fjord": 4,
      "Tr0ub4dor&3": 4,
    };
    for (const [password, score] of Object.entries(server)) {
      expect([password, (await estimate(password, [])).score]).toEqual([password, score]);
    }
  }, 30_000);

  it("refuses a password made of the person's own words", async () => {
    const related = relatedWords("ada.lovelace@example.com", "Ada Lovelace", "Analytical Engines Ltd");
    expect(related).toEqual([
      "ada.lovelace@example.com",
      "ada",
      "lovelace",
      "example",
      "com",
      "Ada Lovelace",
      "Ada",
      "Lovelace",
      "Analytical Engines Ltd",
      "Analytical",
      "Engines",
      "Ltd",
    ]);
    const strength = await estimate("AnalyticalEngines", related);
    expect(strength.score).toBeLessThan(MIN_SCORE);
    expect(strength.warning).toBe("userInputs");
  }, 30_000);
});
