/**
 * The debt's late-payment charges as of today: principal outstanding, interest (each stretch of days with its
 * rate and principal), the fixed compensation and the total; and waiving interest or compensation.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../i18n/useFormat";
import { Badge, Button, ConfirmDialog, Field, Notice, TableScroll, errorMessage } from "../../ui";
import { useWaiver } from "./api";
import type { ChargePeriod, Charges, Debt } from "./types";
import styles from "./DebtPage.module.css";

/** Waiving is for charges still owed: a paid debt may still owe them; a cancelled or written-off one owes nothing (409). */
const WAIVABLE = ["open", "partially_paid", "disputed", "paid"];

type Charge = "interest" | "compensation";

export function LatePaymentCharges({ debt, charges, className }: { debt: Debt; charges: Charges; className?: string }) {
  const { t } = useTranslation("debts");
  const format = useFormat();
  const waiver = useWaiver(debt.id);
  const [asking, setAsking] = useState<Charge | null>(null);
  const [note, setNote] = useState("");
  const money = (minor: number) => format.money(minor, debt.currency);
  const { interest, compensation } = charges;

  const close = () => {
    setAsking(null);
    setNote("");
    waiver.reset();
  };
  const waive = () => {
    if (!asking || waiver.isPending) return;
    waiver.mutate(
      { interest: asking === "interest", compensation: asking === "compensation", note: note.trim() || undefined, version: debt.version },
      { onSuccess: close },
    );
  };
  const canWaive = (charge: Charge) => {
    const held = charge === "interest" ? interest : compensation;
    const owed = charge === "interest" ? interest.accrued : compensation.amount;
    return WAIVABLE.includes(debt.status) && !held.waived && owed > held.paid;
  };

  return (
    <section className={className ? `card ${className}` : "card"} aria-labelledby="debt-charges">
      <h2 id="debt-charges">{t("charges.title")}</h2>
      {charges.not_claimed && <p className="small muted">{notClaimed(charges, t, format)}</p>}
      <dl className={styles.facts}>
        <dt>{t("charges.principal")}</dt>
        <dd>{money(charges.principal_outstanding)}</dd>
        <dt>{t("charges.interest")}</dt>
        <dd>
          {money(interest.due)} {interest.waived && <Badge tone="info">{t("charges.waived")}</Badge>}
          {(interest.paid > 0 || interest.waived) && (
            <span className="small muted"> · {t("charges.ofWhichPaid", { accrued: money(interest.accrued), paid: money(interest.paid) })}</span>
          )}
        </dd>
        <dt>{t("charges.compensation")}</dt>
        <dd>
          {money(compensation.due)} {compensation.waived && <Badge tone="info">{t("charges.waived")}</Badge>}
          {(compensation.paid > 0 || compensation.waived) && (
            <span className="small muted">
              {" "}
              · {t("charges.ofWhichPaid", { accrued: money(compensation.amount), paid: money(compensation.paid) })}
            </span>
          )}
        </dd>
        <dt>{t("charges.total")}</dt>
        <dd className={styles.total}>{money(charges.total_due)}</dd>
      </dl>
      {interest.periods.length > 0 && (
        <>
          <p className={`small muted ${styles.basis}`}>
            {t("charges.basis", {
              from: format.date(interest.from),
              basis: interest.basis,
              law: t(`charges.jurisdictions.${charges.jurisdiction ?? "EU"}`, { defaultValue: charges.jurisdiction ?? "" }),
            })}
          </p>
          <TableScroll>
            <table className="table">
              <caption className="visually-hidden">{t("charges.periodsCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("charges.period")}</th>
                  <th scope="col" className="num">
                    {t("charges.days")}
                  </th>
                  <th scope="col" className="num">
                    {t("charges.onPrincipal")}
                  </th>
                  <th scope="col" className="num">
                    {t("charges.rate")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {interest.periods.map((period) => (
                  <tr key={period.from}>
                    <td>{t("charges.fromTo", { from: format.date(period.from), to: format.date(period.to) })}</td>
                    <td className="num">{period.days}</td>
                    <td className="num">{money(period.principal)}</td>
                    <td className="num">{rateText(period, t, format)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
      {waiver.isError && !asking && <Notice tone="danger">{errorMessage(waiver.error, t("common:error.generic"))}</Notice>}
      <div className="form-actions">
        <Button disabled={!canWaive("interest")} onClick={() => setAsking("interest")}>
          {t("charges.waiveInterest")}
        </Button>
        <Button disabled={!canWaive("compensation")} onClick={() => setAsking("compensation")}>
          {t("charges.waiveCompensation")}
        </Button>
      </div>
      <ConfirmDialog
        open={asking !== null}
        title={asking === "compensation" ? t("charges.confirmCompensationTitle") : t("charges.confirmInterestTitle")}
        confirmLabel={asking === "compensation" ? t("charges.waiveCompensation") : t("charges.waiveInterest")}
        busy={waiver.isPending}
        onConfirm={waive}
        onCancel={close}
      >
        <p>
          {asking === "compensation"
            ? t("charges.confirmCompensationText", { amount: money(compensation.due) })
            : t("charges.confirmInterestText", { amount: money(interest.due) })}
        </p>
        {waiver.isError && <Notice tone="danger">{errorMessage(waiver.error, t("common:error.generic"))}</Notice>}
        <Field label={t("confirm.note")} hint={t("form.optional")}>
          <textarea className="textarea" rows={2} maxLength={1000} value={note} onChange={(event) => setNote(event.target.value)} />
        </Field>
      </ConfirmDialog>
    </section>
  );
}

type Translate = (key: string, options?: Record<string, unknown>) => string;
type Format = ReturnType<typeof useFormat>;

/** Why a charge is not (wholly) claimed. Interest stops at the last day whose reference rate is recorded. */
function notClaimed(charges: Charges, t: Translate, format: Format): string {
  const { to, rates_missing_from: missing } = charges.interest;
  if (charges.not_claimed === "rates_missing" && to && missing) {
    return t("charges.ratesMissingFrom", { to: format.date(to), from: format.date(missing) });
  }
  return t(`charges.notClaimed.${charges.not_claimed ?? "other"}`, { defaultValue: t("charges.notClaimed.other") });
}

/** "10.15% (reference 2.15% + 8 points)", or the contract's rate as such. */
function rateText(period: ChargePeriod, t: Translate, format: Format): string {
  const rate = format.rate(period.rate);
  if (period.contractual) return t("charges.contractualRate", { rate });
  if (period.reference_rate === null || period.margin === null) return rate;
  return t("charges.statutoryRate", {
    rate,
    reference: format.rate(period.reference_rate),
    margin: format.number(Number(period.margin)),
  });
}
