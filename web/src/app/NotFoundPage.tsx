import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { EmptyState } from "../ui";

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <EmptyState title={t("notFound.title")} action={<Link to="/">{t("notFound.home")}</Link>}>
      {t("notFound.text")}
    </EmptyState>
  );
}
