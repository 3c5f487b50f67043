import { Link } from "react-router";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { ApiError, unwrap } from "../../api/errors";
import { sessionKey } from "../../app/session";
import { Button, Notice, errorMessage } from "../../ui";
import { MissingToken, Outcome, useLinkToken } from "./links";
import styles from "./Auth.module.css";

/**
 * /cancel-email-change?token=: the link sent to the old address. Undoing signs every device out, so it is
 * not done on landing: the page says what will happen and the person presses the button.
 */
export default function CancelEmailChangePage() {
  const { t } = useTranslation("auth");
  const token = useLinkToken();
  const queryClient = useQueryClient();
  const undo = useMutation({
    mutationFn: async () => {
      unwrap(await api.POST("/auth/email/cancel", { body: { token: token as string } }));
    },
    // Every session ended, this browser's included.
    onSuccess: () => queryClient.setQueryData(sessionKey, null),
  });

  if (!token) return <MissingToken />;

  if (undo.isSuccess) {
    return (
      <Outcome title={t("cancelEmail.doneTitle")}>
        <p>{t("cancelEmail.doneText")}</p>
        <p>{t("cancelEmail.advice")}</p>
        <div className={styles.actions}>
          <Link className="btn btn-primary" to="/forgot-password">
            {t("cancelEmail.newPassword")}
          </Link>
          <Link className="btn" to="/sign-in">
            {t("signIn.submit")}
          </Link>
        </div>
      </Outcome>
    );
  }

  const linkDead = undo.error instanceof ApiError && undo.error.status === 400;
  return (
    <section aria-labelledby="cancel-title">
      <h1 id="cancel-title" className={styles.title}>
        {linkDead ? t("cancelEmail.failedTitle") : t("cancelEmail.title")}
      </h1>
      {undo.isError && (
        <div className={styles.notice}>
          <Notice tone="danger">{errorMessage(undo.error, t("common:error.generic"))}</Notice>
        </div>
      )}
      {!linkDead && (
        <>
          <p>{t("cancelEmail.text")}</p>
          <Notice tone="warning">{t("cancelEmail.consequences")}</Notice>
          <p className={styles.advice}>{t("cancelEmail.advice")}</p>
          <div className={styles.actions}>
            <Button variant="danger" busy={undo.isPending} onClick={() => undo.mutate()}>
              {t("cancelEmail.submit")}
            </Button>
          </div>
        </>
      )}
      {linkDead && (
        <div className={styles.actions}>
          <Link className="btn btn-primary" to="/sign-in">
            {t("signIn.submit")}
          </Link>
          <Link className="btn" to="/forgot-password">
            {t("cancelEmail.newPassword")}
          </Link>
        </div>
      )}
    </section>
  );
}
