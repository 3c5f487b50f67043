/** A debtor's payment plans, newest first: status, when, how much of it is paid, how many instalments are. */
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../i18n/useFormat";
import { ErrorState, Loading, TableScroll } from "../../ui";
import { useDebtorPlans } from "./api";
import { PlanStatusBadge } from "./PlanStatusBadge";
import type { PlanView } from "./types";
import styles from "./Plans.module.css";

export function DebtorPlans({ debtorId, className }: { debtorId: string; className?: string }) {
  const { t } = useTranslation("plans");
  const plans = useDebtorPlans(debtorId);
  return (
    <section className={className} aria-labelledby="debtor-plans-title">
      <h2 id="debtor-plans-title">{t("debtor.title")}</h2>
      {plans.isPending ? (
        <Loading />
      ) : plans.isError ? (
        <ErrorState error={plans.error} retry={() => void plans.refetch()} />
      ) : plans.data.items.length === 0 ? (
        <p className="muted small">{t("debtor.empty")}</p>
      ) : (
        <TableScroll>
          <table className="table">
            <caption className="visually-hidden">{t("debtor.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("debtor.created")}</th>
                <th scope="col">{t("instalmentState")}</th>
                <th scope="col">{t("debtor.plan")}</th>
                <th scope="col">{t("debtor.progress")}</th>
              </tr>
            </thead>
            <tbody>
              {plans.data.items.map((plan) => (
                <PlanRow key={plan.id} plan={plan} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

function PlanRow({ plan }: { plan: PlanView }) {
  const { t } = useTranslation("plans");
  const format = useFormat();
  const done = plan.instalments.filter((instalment) => instalment.status === "paid").length;
  const firstDebt = plan.debt_ids[0];
  return (
    <tr>
      <td>
        {format.date(plan.created_at)}
        <br />
        <span className="small muted">{t(`by.${plan.proposed_by}`, { defaultValue: plan.proposed_by })}</span>
      </td>
      <td>
        <PlanStatusBadge status={plan.status} />
      </td>
      <td>
        {firstDebt ? (
          <Link to={`/debts/${encodeURIComponent(firstDebt)}`}>{t("debts", { count: plan.debt_ids.length })}</Link>
        ) : (
          t("debts", { count: plan.debt_ids.length })
        )}
      </td>
      <td>
        <progress className={styles.progress} max={plan.total} value={Math.min(plan.paid, plan.total)} aria-hidden="true" />
        <span className="small">
          {t("progress", {
            paid: format.money(plan.paid, plan.currency),
            total: format.money(plan.total, plan.currency),
            done,
            count: plan.instalments.length,
          })}
        </span>
      </td>
    </tr>
  );
}
