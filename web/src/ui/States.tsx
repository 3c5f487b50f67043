import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/errors";
import { Button } from "./Button";

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="loading-state" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> <span>{label ?? t("loading")}</span>
    </div>
  );
}

/** What a list shows when it has nothing: what it is for, and what to do next. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty-state">
      <h2>{title}</h2>
      {children && <p>{children}</p>}
      {action}
    </div>
  );
}

/** The API's own message for an error (it is written for people), with a retry when one helps. */
export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="error-state" role="alert">
      <h2>{t("error.title")}</h2>
      <p>{errorMessage(error, t("error.generic"))}</p>
      {retry && <Button onClick={retry}>{t("actions.retry")}</Button>}
    </div>
  );
}

export function errorMessage(error: unknown, fallback: string): string {
  if (error instanceof ApiError) return error.message;
  return fallback;
}

export function Notice({
  tone = "info",
  children,
}: {
  tone?: "info" | "success" | "warning" | "danger";
  children: ReactNode;
}) {
  const role = tone === "danger" ? "alert" : "status";
  return (
    <div className={`notice notice-${tone}`} role={role}>
      {children}
    </div>
  );
}

export function Badge({ tone, children }: { tone?: "success" | "warning" | "danger" | "info"; children: ReactNode }) {
  return <span className={tone ? `badge badge-${tone}` : "badge"}>{children}</span>;
}

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p>{subtitle}</p>}
      </div>
      {actions && <div className="row">{actions}</div>}
    </header>
  );
}
