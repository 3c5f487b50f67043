/** A plan as read: where it stands, its figures, how it is collected, and its instalments with each one's status. */
import { useTranslation } from "react-i18next";
import { useFormat } from "../../i18n/useFormat";
import { TableScroll } from "../../ui";
import { InstalmentStatusBadge, PlanStatusBadge } from "./PlanStatusBadge";
import type { PaymentMethodView, PlanView } from "./types";
import styles from "./Plans.module.css";

export function PlanDetails({ plan }: { plan: PlanView }) {
  const { t } = useTranslation("plans");
  const format = useFormat();
  const money = (minor: number) => format.money(minor, plan.currency);
  return (
    <>
      <p className="small muted">{t(`explain.${plan.status}`, { defaultValue: "" })}</p>
      <dl className={styles.facts}>
        <dt>{t("instalmentState")}</dt>
        <dd>
          <PlanStatusBadge status={plan.status} />
        </dd>
        <dt>{t("total")}</dt>
        <dd>
          {money(plan.total)} <span className="small muted">· {t("debts", { count: plan.debt_ids.length })}</span>
        </dd>
        <dt>{t("paid")}</dt>
        <dd>{money(plan.paid)}</dd>
        <dt>{t("left")}</dt>
        <dd>{money(Math.max(0, plan.total - plan.paid))}</dd>
        {plan.status === "active" && (
          <>
            <dt>{t("askedNow")}</dt>
            <dd>
              {plan.asked_now
                ? t("askedNowValue", { number: plan.asked_now.number, amount: money(plan.asked_now.amount) })
                : t("nothingAsked")}
            </dd>
          </>
        )}
        <dt>{t("collection")}</dt>
        <dd>
          {plan.collection.mode === "automatic" ? t("automatic") : t("manual")}
          {plan.collection.method && <span className="small muted"> · {methodText(plan.collection.method, t)}</span>}
        </dd>
        <dt>{t("proposedBy")}</dt>
        <dd>
          {t(`by.${plan.proposed_by}`, { defaultValue: plan.proposed_by })} · {format.dateTime(plan.created_at)}
        </dd>
        {plan.started_at && (
          <>
            <dt>{t("started")}</dt>
            <dd>{format.dateTime(plan.started_at)}</dd>
          </>
        )}
        {plan.ended_at && (
          <>
            <dt>{t("ended")}</dt>
            <dd>{format.dateTime(plan.ended_at)}</dd>
          </>
        )}
        {plan.note && (
          <>
            <dt>{t("note")}</dt>
            <dd>{plan.note}</dd>
          </>
        )}
        {plan.reason && (
          <>
            <dt>{t("reason")}</dt>
            <dd>{plan.reason}</dd>
          </>
        )}
      </dl>
      <h3 className={styles.scheduleTitle}>{t("schedule")}</h3>
      <TableScroll>
        <table className="table">
          <caption className="visually-hidden">{t("scheduleCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("number")}</th>
              <th scope="col">{t("dueOn")}</th>
              <th scope="col" className="num">
                {t("amount")}
              </th>
              <th scope="col" className="num">
                {t("paidOf")}
              </th>
              <th scope="col">{t("instalmentState")}</th>
            </tr>
          </thead>
          <tbody>
            {plan.instalments.map((instalment) => (
              <tr key={instalment.number}>
                <td>{instalment.number}</td>
                <td>{format.date(instalment.due_on)}</td>
                <td className="num">{money(instalment.amount)}</td>
                <td className="num">{money(instalment.paid)}</td>
                <td>
                  <InstalmentStatusBadge status={instalment.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** "Card Visa •••• 4242", "SEPA Direct Debit •••• 3000". */
export function methodText(method: PaymentMethodView, t: Translate): string {
  const known = method.type === "card" || method.type === "sepa_debit" ? method.type : "other";
  const brand = method.brand ? method.brand.charAt(0).toUpperCase() + method.brand.slice(1) : "";
  return t(`method.${known}`, { brand, last4: method.last4 }).replace(/\s+/g, " ");
}
