/**
 * Account & privacy: the signed-in person's profile, email and password, UI preferences, signing out,
 * the workspace's settings, late-payment terms and payment-plan rules (managers), their data export, and deleting the account or the workspace.
 */
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useSession } from "../../app/session";
import { ErrorState, Loading, PageHeader } from "../../ui";
import { DeletionSection } from "./DeletionSection";
import { ExportSection } from "./ExportSection";
import { LatePaymentSection } from "./LatePaymentSection";
import { PaymentPlansSection } from "./PaymentPlansSection";
import { PreferencesSection, SignOutSection } from "./PreferencesSection";
import { PasswordSection, ProfileSection } from "./ProfileSection";
import { WorkspaceSection } from "./WorkspaceSection";
import styles from "./AccountPage.module.css";

export default function AccountPage() {
  const { t } = useTranslation("account");
  const session = useSession();
  if (session.isPending) return <Loading />;
  if (session.isError || !session.data) return <ErrorState error={session.error} retry={() => void session.refetch()} />;
  const data = session.data;
  return (
    <div className={styles.page}>
      <PageHeader
        title={t("title")}
        subtitle={
          <>
            {t("subtitle")} <Link to="/privacy">{t("privacyLink")}</Link>
          </>
        }
      />
      <ProfileSection session={data} />
      <PasswordSection session={data} />
      <PreferencesSection />
      <SignOutSection />
      <WorkspaceSection session={data} />
      <LatePaymentSection session={data} />
      <PaymentPlansSection session={data} />
      <ExportSection session={data} />
      <DeletionSection session={data} />
    </div>
  );
}
