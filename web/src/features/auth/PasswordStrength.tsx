import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { MIN_LENGTH, MIN_SCORE, estimate, hasFullEstimator, loadFullEstimator, type Strength } from "./strength";
import styles from "./Auth.module.css";

type Estimated = { password: string; strength: Strength } | { password: string; failed: true };

/**
 * The password's strength as typed: zxcvbn is loaded on the first keystroke (a lazy chunk), then every change
 * is estimated. `null` while nothing is typed or the estimate for the current text is not back yet.
 */
export function usePasswordStrength(password: string, related: string[]) {
  const [estimated, setEstimated] = useState<Estimated | null>(null);
  const relatedKey = related.join("\u0000");

  useEffect(() => {
    if (!password) return;
    let current = true;
    const run = () =>
      estimate(password, relatedKey ? relatedKey.split("\u0000") : []).then(
        (strength) => current && setEstimated({ password, strength }),
        () => current && setEstimated({ password, failed: true }),
      );
    void run();
    // Once the English words arrive, estimate again: the verdict may get stricter.
    if (!hasFullEstimator()) loadFullEstimator().then(() => current && run(), () => undefined);
    return () => {
      current = false;
    };
  }, [password, relatedKey]);

  if (!password || !estimated) return { status: "idle" as const };
  if ("failed" in estimated) return { status: "failed" as const };
  // The last estimate stays shown while the next one is computed, so the meter does not flicker.
  return { status: "ready" as const, strength: estimated.strength, stale: estimated.password !== password };
}

/**
 * A meter (0-4, the server refuses below 3) and words saying what is weak and why. Meant as a Field's hint,
 * so the input is described by it; it is spans only, since a hint is a span.
 */
export function PasswordStrength({ password, related = [] }: { password: string; related?: string[] }) {
  const { t } = useTranslation("auth");
  const result = usePasswordStrength(password, related);

  if (!password) return <span className={styles.strengthText}>{t("strength.hint")}</span>;

  const tooShort = password.length < MIN_LENGTH;
  const score = result.status === "ready" ? (tooShort ? Math.min(result.strength.score, 1) : result.strength.score) : 0;
  const level = t(`strength.levels.${score}`);
  const lines: string[] = [];
  if (tooShort) lines.push(t("strength.tooShort", { min: MIN_LENGTH }));
  if (result.status === "ready") {
    const { warning, suggestions } = result.strength;
    if (score < MIN_SCORE) {
      if (!tooShort) lines.push(t("strength.refused"));
      if (warning) lines.push(t(`strength.warnings.${warning}`, { defaultValue: "" }));
      const advice = suggestions.map((key) => t(`strength.suggestions.${key}`, { defaultValue: "" })).filter(Boolean);
      lines.push(...(advice.length ? advice : [t("strength.defaultAdvice")]));
    } else {
      lines.push(t("strength.accepted"));
    }
  } else if (result.status === "failed") {
    lines.push(t("strength.unavailable"));
  } else if (!tooShort) {
    lines.push(t("strength.checking"));
  }
  const words = lines.filter(Boolean);
  // "Very weak" still lights one segment, so the meter never looks empty once something is typed.
  const lit = result.status === "ready" ? Math.max(score, 1) : 0;
  const tone = result.status !== "ready" ? "none" : score >= 4 ? "great" : score >= MIN_SCORE ? "good" : score >= 2 ? "fair" : "weak";

  return (
    <span className={styles.strength}>
      <span
        className={styles.meter}
        data-tone={tone}
        role="meter"
        aria-label={t("strength.label")}
        aria-valuemin={0}
        aria-valuemax={4}
        aria-valuenow={score}
        aria-valuetext={result.status === "ready" ? level : t("strength.checking")}
      >
        {[1, 2, 3, 4].map((step) => (
          <span key={step} className={styles.segment} data-on={lit >= step ? "" : undefined} />
        ))}
      </span>
      <span className={styles.strengthText} aria-live="polite">
        {result.status === "ready" && <strong>{level}. </strong>}
        {words.join(" ")}
      </span>
    </span>
  );
}
