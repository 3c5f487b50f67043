import { useTranslation } from "react-i18next";
import { Badge } from "../../ui";

type Tone = "success" | "warning" | "danger" | "info" | undefined;

const TONES: Record<string, Tone> = {
  open: "info",
  partially_paid: "warning",
  in_plan: "info",
  paid: "success",
  disputed: "danger",
  cancelled: undefined,
  written_off: undefined,
};

/** A debt's status in the user's language, coloured by what it asks of the business. */
export function DebtStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation("debts");
  return <Badge tone={TONES[status]}>{t(`status.${status}`, { defaultValue: status })}</Badge>;
}

export default DebtStatusBadge;
