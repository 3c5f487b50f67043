import { Link } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { sessionKey, useSession } from "../../app/session";
import { Loading, Notice, errorMessage } from "../../ui";
import { MissingToken, Outcome, useLinkToken, useTokenOnce } from "./links";
import styles from "./Auth.module.css";

/** /confirm-email?token=: the link sent to the new address after an email change. */
export default function ConfirmEmailPage() {
  const { t } = useTranslation("auth");
  const token = useLinkToken();
  const queryClient = useQueryClient();
  const session = useSession();
  const confirm = useTokenOnce("confirm-email", token, async (token) => {
    unwrap(await api.POST("/auth/email/confirm", { body: { token } }));
    // The session shows the new address (or, in another browser, is gone).
    await queryClient.invalidateQueries({ queryKey: sessionKey });
  });

  if (!token) return <MissingToken />;
  if (confirm.isPending || session.isPending) return (
      <Outcome title={t("confirmEmail.title")}>
        <Loading label={t("confirmEmail.checking")} />
      </Outcome>
    );
  const signedIn = Boolean(session.data);

  if (confirm.isSuccess) {
    return (
      <Outcome title={t("confirmEmail.doneTitle")}>
        <p>{t("confirmEmail.doneText")}</p>
        <div className={styles.actions}>
          <Link className="btn btn-primary" to={signedIn ? "/" : "/sign-in"}>
            {signedIn ? t("confirmEmail.continue") : t("confirmEmail.signIn")}
          </Link>
        </div>
      </Outcome>
    );
  }

  return (
    <Outcome title={t("confirmEmail.failedTitle")}>
      <Notice tone="danger">{errorMessage(confirm.error, t("common:error.generic"))}</Notice>
      <div className={styles.actions}>
        <Link className="btn btn-primary" to={signedIn ? "/account" : "/sign-in?next=%2Faccount"}>
          {signedIn ? t("confirmEmail.account") : t("confirmEmail.signIn")}
        </Link>
      </div>
    </Outcome>
  );
}
