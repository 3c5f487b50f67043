import { useTranslation } from "react-i18next";
import { Badge } from "../../ui";

type Tone = "success" | "warning" | "danger" | "info" | undefined;

const PLAN_TONES: Record<string, Tone> = {
  proposed: "warning",
  offered: "info",
  active: "info",
  completed: "success",
  broken: "danger",
};

const INSTALMENT_TONES: Record<string, Tone> = {
  paid: "success",
  due: "warning",
  overdue: "warning",
  missed: "danger",
};

/** A plan's status in the user's language, coloured by what it asks of the business. */
export function PlanStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation("plans");
  return <Badge tone={PLAN_TONES[status]}>{t(`status.${status}`, { defaultValue: status })}</Badge>;
}

export function InstalmentStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation("plans");
  return <Badge tone={INSTALMENT_TONES[status]}>{t(`instalmentStatus.${status}`, { defaultValue: status })}</Badge>;
}
