/**
 * The business's answers to a plan: approve or decline a debtor's proposal, withdraw an offer, cancel an active
 * plan. Declining and cancelling ask first, with an optional reason the debtor is shown.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button, ConfirmDialog, Field, Notice, errorMessage } from "../../ui";
import { usePlanAction } from "./api";

interface Props {
  planId: string;
  status: string;
  /** The version the screen shows, so a plan changed meanwhile is refused (409) rather than answered blindly. */
  version?: number;
  small?: boolean;
}

export function PlanActions({ planId, status, version, small }: Props) {
  const { t } = useTranslation("plans");
  const action = usePlanAction();
  const [asking, setAsking] = useState<"decline" | "cancel" | null>(null);
  const [reason, setReason] = useState("");

  const close = () => {
    setAsking(null);
    setReason("");
    action.reset();
  };
  const confirm = () => {
    if (!asking || action.isPending) return;
    action.mutate({ id: planId, action: asking, reason: reason.trim() || undefined, version }, { onSuccess: close });
  };

  const buttons =
    status === "proposed" ? (
      <>
        <Button
          small={small}
          variant="primary"
          busy={action.isPending && action.variables?.action === "approve"}
          onClick={() => !action.isPending && action.mutate({ id: planId, action: "approve", version })}
        >
          {t("approve")}
        </Button>
        <Button small={small} onClick={() => setAsking("decline")}>
          {t("decline")}
        </Button>
      </>
    ) : status === "active" || status === "offered" ? (
      <Button small={small} variant="danger" onClick={() => setAsking("cancel")}>
        {status === "active" ? t("cancelActive") : t("cancelOffered")}
      </Button>
    ) : null;
  if (!buttons) return null;

  return (
    <>
      {action.isError && !asking && <Notice tone="danger">{errorMessage(action.error, t("common:error.generic"))}</Notice>}
      <div className="form-actions">{buttons}</div>
      <ConfirmDialog
        open={asking !== null}
        title={asking === "decline" ? t("declineTitle") : status === "offered" ? t("withdrawTitle") : t("cancelTitle")}
        confirmLabel={asking === "decline" ? t("decline") : status === "offered" ? t("cancelOffered") : t("cancelActive")}
        danger
        busy={action.isPending}
        onConfirm={confirm}
        onCancel={close}
      >
        <p>{asking === "decline" ? t("declineText") : status === "offered" ? t("withdrawText") : t("cancelText")}</p>
        {action.isError && <Notice tone="danger">{errorMessage(action.error, t("common:error.generic"))}</Notice>}
        <Field label={t("reason")} hint={t("reasonHint")}>
          <textarea className="textarea" rows={2} maxLength={500} value={reason} onChange={(event) => setReason(event.target.value)} />
        </Field>
      </ConfirmDialog>
    </>
  );
}
