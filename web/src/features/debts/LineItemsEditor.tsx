import { useTranslation } from "react-i18next";
import { parseMoney } from "../../i18n/format";
import { Button } from "../../ui";
import styles from "./NewDebtPage.module.css";

export interface LineItem {
  description: string;
  quantity: number;
  unit_amount: number;
}

export interface LineDraft {
  key: number;
  description: string;
  quantity: string;
  unitAmount: string;
}

let nextKey = 1;
export const emptyLine = (): LineDraft => ({ key: nextKey++, description: "", quantity: "1", unitAmount: "" });

/** The lines as the API takes them, or a message per line index when one cannot be read. */
export function readLines(
  lines: readonly LineDraft[],
  currency: string,
): { lines: LineItem[]; total: number; errors: Record<number, string> } {
  const result: LineItem[] = [];
  const errors: Record<number, string> = {};
  let total = 0;
  lines.forEach((line, index) => {
    const quantity = Number(line.quantity);
    const unit = parseMoney(line.unitAmount, currency);
    if (!line.description.trim()) errors[index] = "description";
    else if (!Number.isInteger(quantity) || quantity < 1) errors[index] = "quantity";
    else if (unit === null) errors[index] = "unitAmount";
    else {
      result.push({ description: line.description.trim(), quantity, unit_amount: unit });
      total += quantity * unit;
    }
  });
  return { lines: result, total, errors };
}

/** Optional invoice lines: description, quantity, unit price; the debt's amount is their total. */
export function LineItemsEditor({
  lines,
  onChange,
  errors,
}: {
  lines: LineDraft[];
  onChange: (lines: LineDraft[]) => void;
  errors: Record<number, string>;
}) {
  const { t } = useTranslation("debts");
  const update = (key: number, change: Partial<LineDraft>) =>
    onChange(lines.map((line) => (line.key === key ? { ...line, ...change } : line)));
  return (
    <fieldset className={styles.lines}>
      <legend>{t("form.lines")}</legend>
      {lines.length === 0 && <p className="muted small">{t("form.linesHint")}</p>}
      {lines.map((line, index) => {
        const number = index + 1;
        const error = errors[index];
        return (
          <div key={line.key} className={styles.line}>
            <label className={styles.lineDescription}>
              <span className="field-label">{t("form.lineDescription", { number })}</span>
              <input
                className="input"
                value={line.description}
                maxLength={200}
                aria-invalid={error === "description" || undefined}
                onChange={(event) => update(line.key, { description: event.target.value })}
              />
            </label>
            <label className={styles.lineQuantity}>
              <span className="field-label">{t("form.lineQuantity", { number })}</span>
              <input
                className="input"
                inputMode="numeric"
                value={line.quantity}
                aria-invalid={error === "quantity" || undefined}
                onChange={(event) => update(line.key, { quantity: event.target.value })}
              />
            </label>
            <label className={styles.lineAmount}>
              <span className="field-label">{t("form.lineUnit", { number })}</span>
              <input
                className="input"
                inputMode="decimal"
                value={line.unitAmount}
                aria-invalid={error === "unitAmount" || undefined}
                onChange={(event) => update(line.key, { unitAmount: event.target.value })}
              />
            </label>
            <Button
              small
              variant="ghost"
              className={styles.lineRemove}
              onClick={() => onChange(lines.filter((other) => other.key !== line.key))}
            >
              {t("form.lineRemove", { number })}
            </Button>
            {error && <span className="field-error">{t(`form.lineError.${error}`, { number })}</span>}
          </div>
        );
      })}
      <Button small onClick={() => onChange([...lines, emptyLine()])}>
        {t("form.lineAdd")}
      </Button>
    </fieldset>
  );
}
