/**
 * The privacy policy, public (/privacy, linked from the public footer and from Account & privacy). In French
 * and German a line says the English text is the binding one. After an account or workspace is deleted, the
 * goodbye is shown here first (passed in the router's state: nothing is stored).
 */
import { Link, useLocation } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { sessionKey, type Session } from "../../app/session";
import { useFormat } from "../../i18n/useFormat";
import type { Goodbye } from "./DeletionSection";
import { PrivacyPolicy } from "./PrivacyPolicy";
import styles from "./PrivacyPage.module.css";

export default function PrivacyPage() {
  const { t, i18n } = useTranslation("account");
  const location = useLocation();
  const goodbye = (location.state as { goodbye?: Goodbye } | null)?.goodbye;
  // Only what is already known: a public page does not ask the API who is signed in.
  const signedIn = useQueryClient().getQueryData<Session | null>(sessionKey);
  const english = (i18n.resolvedLanguage ?? i18n.language).startsWith("en");
  return (
    <div className={styles.page}>
      {goodbye && <GoodbyeNote goodbye={goodbye} />}
      {!english && (
        <p className={`notice ${styles.note}`} lang={i18n.language}>
          {t("privacy.bindingNote")}
        </p>
      )}
      <PrivacyPolicy />
      {signedIn && !goodbye && (
        <p className={styles.back}>
          <Link to="/account">{t("privacy.back")}</Link>
        </p>
      )}
    </div>
  );
}

function GoodbyeNote({ goodbye }: { goodbye: Goodbye }) {
  const { t } = useTranslation("account");
  const format = useFormat();
  return (
    <section className={`notice notice-success ${styles.goodbye}`} aria-labelledby="goodbye-title">
      <h1 id="goodbye-title">{goodbye.kind === "account" ? t("goodbye.accountTitle") : t("goodbye.workspaceTitle", { workspace: goodbye.workspace })}</h1>
      {goodbye.kind === "account" ? (
        <>
          <p>{t("goodbye.accountText")}</p>
          {goodbye.workspacesDeleted.length > 0 && (
            <p>{t("goodbye.workspacesDeleted", { list: goodbye.workspacesDeleted.join(", ") })}</p>
          )}
          {goodbye.workspacesLeft.length > 0 && (
            <p>{t("goodbye.workspacesLeft", { list: goodbye.workspacesLeft.join(", ") })}</p>
          )}
        </>
      ) : (
        <>
          <p>{t("goodbye.workspaceText", { date: format.date(goodbye.keptUntil) })}</p>
          <p>{t("goodbye.workspaceAccount")}</p>
        </>
      )}
      <p className={styles.goodbyeActions}>
        <Link className="btn btn-primary" to="/sign-in">
          {t("goodbye.signIn")}
        </Link>
        <Link className="btn" to="/sign-up">
          {t("goodbye.signUp")}
        </Link>
      </p>
    </section>
  );
}
