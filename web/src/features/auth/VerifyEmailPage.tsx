import { Link, useLocation } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { sessionKey, useSession } from "../../app/session";
import { Loading, Notice, errorMessage } from "../../ui";
import { MissingToken, Outcome, useLinkToken, useTokenOnce } from "./links";
import { ResendVerification } from "./ResendVerification";
import styles from "./Auth.module.css";

/** /verify-email?token=: the link from the verification email. */
export default function VerifyEmailPage() {
  const { t } = useTranslation("auth");
  const token = useLinkToken();
  const queryClient = useQueryClient();
  const session = useSession();
  const location = useLocation();
  const verify = useTokenOnce("verify-email", token, async (token) => {
    unwrap(await api.POST("/auth/verify-email", { body: { token } }));
    // A signed-in session now says email_verified.
    await queryClient.invalidateQueries({ queryKey: sessionKey });
  });

  if (!token) return <MissingToken />;
  if (verify.isPending || (verify.isError && session.isPending)) return (
      <Outcome title={t("verify.title")}>
        <Loading label={t("verify.checking")} />
      </Outcome>
    );

  if (verify.isSuccess) {
    return (
      <Outcome title={t("verify.doneTitle")}>
        <p>{t("verify.doneText")}</p>
        <div className={styles.actions}>
          <Link className="btn btn-primary" to={session.data ? "/" : "/sign-in"}>
            {session.data ? t("verify.continue") : t("verify.signIn")}
          </Link>
        </div>
      </Outcome>
    );
  }

  const signedIn = session.data;
  if (signedIn?.user.email_verified) {
    // A second click on the link: it is used, but what it was for is done.
    return (
      <Outcome title={t("verify.doneTitle")}>
        <p>{t("verify.already")}</p>
        <div className={styles.actions}>
          <Link className="btn btn-primary" to="/">
            {t("verify.continue")}
          </Link>
        </div>
      </Outcome>
    );
  }
  return (
    <Outcome title={t("verify.failedTitle")}>
      <Notice tone="danger">{errorMessage(verify.error, t("common:error.generic"))}</Notice>
      {signedIn ? (
        <>
          <p className={styles.advice}>{t("verify.failedSignedIn", { email: signedIn.user.email })}</p>
          <ResendVerification email={signedIn.user.email} label={t("verify.resend")} />
        </>
      ) : (
        <>
          {/* Back here once signed in: the answer is kept, so the page then offers a new link. */}
          <p className={styles.advice}>{t("verify.failedSignedOut")}</p>
          <div className={styles.actions}>
            <Link className="btn btn-primary" to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`}>
              {t("verify.signIn")}
            </Link>
          </div>
        </>
      )}
    </Outcome>
  );
}
