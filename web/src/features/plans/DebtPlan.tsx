/**
 * The debt's payment plan on its screen: the one it is in (the debt names it), or else the last one its timeline
 * mentions (offered and awaiting the debtor, proposed and awaiting you, or ended: broken, completed...). Read
 * only when there is one, so a debt that never had a plan costs no request.
 */
import { useTranslation } from "react-i18next";
import { ErrorState, Loading } from "../../ui";
import { useTimeline } from "../debts/api";
import type { Debt, TimelineEntry } from "../debts/types";
import { usePlan } from "./api";
import { PlanActions } from "./PlanActions";
import { PlanDetails } from "./PlanDetails";
import { OPEN_PLAN, planOf } from "./types";

/** The plan the newest timeline entry carrying a `plan_id` names (the timeline is oldest first). */
export function lastPlanId(entries: readonly TimelineEntry[] | undefined): string | null {
  for (const entry of [...(entries ?? [])].reverse()) {
    const id = entry.data?.plan_id;
    if (typeof id === "string" && id) return id;
  }
  return null;
}

export function DebtPlan({ debt, className }: { debt: Debt; className?: string }) {
  const { t } = useTranslation("plans");
  const timeline = useTimeline(debt.id);
  const planId = planOf(debt)?.id ?? lastPlanId(timeline.data);
  const plan = usePlan(planId);
  if (!planId) return null;
  const open = plan.data ? OPEN_PLAN.includes(plan.data.status) : true;
  return (
    <section className={className ? `card ${className}` : "card"} aria-labelledby="debt-plan-title">
      <h2 id="debt-plan-title">{open ? t("title") : t("lastTitle")}</h2>
      {plan.isPending ? (
        <Loading label={t("loading")} />
      ) : plan.isError ? (
        <ErrorState error={plan.error} retry={() => void plan.refetch()} />
      ) : (
        <>
          <PlanDetails plan={plan.data} />
          <PlanActions planId={plan.data.id} status={plan.data.status} version={plan.data.version} />
        </>
      )}
    </section>
  );
}
