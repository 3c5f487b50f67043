import type { ReactNode } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { ApiError, unwrap } from "../../api/errors";
import { Button, Notice, errorMessage } from "../../ui";
import styles from "./Auth.module.css";

/** "Send the link again" (signed in only), after any `before` actions; the API's answer is shown under it. */
export function ResendVerification({ email, label, before }: { email: string; label: string; before?: ReactNode }) {
  const { t } = useTranslation("auth");
  const resend = useMutation({
    mutationFn: async () => {
      unwrap(await api.POST("/auth/verify-email/resend"));
    },
  });
  const alreadyVerified = resend.error instanceof ApiError && resend.error.code === "already_verified";
  return (
    <div className={styles.resend}>
      <div className={styles.actions}>
        {before}
        <Button busy={resend.isPending} disabled={resend.isSuccess} onClick={() => resend.mutate()}>
          {label}
        </Button>
      </div>
      {resend.isSuccess && <Notice tone="success">{t("verify.resent", { email })}</Notice>}
      {resend.isError && (
        <Notice tone={alreadyVerified ? "info" : "danger"}>{errorMessage(resend.error, t("common:error.generic"))}</Notice>
      )}
    </div>
  );
}
