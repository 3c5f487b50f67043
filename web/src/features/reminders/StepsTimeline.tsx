/** The policy's steps drawn on a line around the due date: an overview above the step editor (which is the list). */
import { useTranslation } from "react-i18next";
import { parseWhole, type StepDraft } from "./policyForm";
import styles from "./Reminders.module.css";

interface Props {
  steps: StepDraft[];
  repeatEvery: number | null;
  repeatTimes: number;
}

export function offsetLabel(offset: number): string {
  if (offset === 0) return "0";
  return offset > 0 ? `+${offset}` : `−${Math.abs(offset)}`;
}

export function StepsTimeline({ steps, repeatEvery, repeatTimes }: Props) {
  const { t } = useTranslation("reminders");
  const placed = steps
    .map((step, index) => ({ step, index, offset: parseWhole(step.offset) }))
    .filter((item): item is { step: StepDraft; index: number; offset: number } => item.offset !== null)
    .sort((a, b) => a.offset - b.offset);
  const offsets = placed.map((item) => item.offset);
  const last = offsets.length ? Math.max(...offsets) : 0;
  const repeatsUntil = repeatEvery && repeatTimes > 0 ? last + repeatEvery * repeatTimes : last;
  const low = Math.min(0, ...offsets);
  const high = Math.max(0, repeatsUntil);
  const span = Math.max(high - low, 1);
  const at = (offset: number) => `${((offset - low) / span) * 100}%`;

  return (
    <div className={styles.timeline} aria-hidden="true" data-testid="steps-timeline">
      <div className={styles.track}>
        {repeatsUntil > last && (
          <div className={styles.repeatSpan} style={{ left: at(last), width: `${((repeatsUntil - last) / span) * 100}%` }}>
            <span className={styles.repeatLabel}>{t("timeline.repeat", { count: repeatTimes, every: repeatEvery })}</span>
          </div>
        )}
        <div className={styles.dueMark} style={{ left: at(0) }}>
          <span>{t("timeline.due")}</span>
        </div>
        {placed.map(({ step, index, offset }, position) => (
          <div
            key={step.key}
            className={`${styles.marker} ${styles[`tone_${step.tone}`]} ${position % 2 ? styles.below : ""}`}
            style={{ left: at(offset) }}
            title={t("timeline.markerTitle", { number: index + 1, tone: t(`tones.${step.tone}`) })}
          >
            <span className={styles.markerLabel}>{offsetLabel(offset)}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
