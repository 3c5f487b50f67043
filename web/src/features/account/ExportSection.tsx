/**
 * Data export: ask for one archive, watch it being prepared, then download it. The export's id is kept in the
 * address (?export=), so a reload or a shared tab finds it again; nothing is kept on the device.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/schema";
import { can, type Session } from "../../app/session";
import { useFormat } from "../../i18n/useFormat";
import { Button, ErrorState, Notice, errorMessage } from "../../ui";
import styles from "./AccountPage.module.css";

type Export = components["schemas"]["ExportView"];

export const POLL_MS = 2000;

export function exportKey(id: string) {
  return ["account-export", id] as const;
}

function inProgress(state: Export["state"] | undefined): boolean {
  return state === "pending" || state === "running";
}

function formatSize(bytes: number, locale: string): string {
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}

export function ExportSection({ session }: { session: Session }) {
  const { t, i18n } = useTranslation("account");
  const format = useFormat();
  const [params, setParams] = useSearchParams();
  const exportId = params.get("export");
  const whole = can(session.role, "workspace:export");

  const request = useMutation({
    mutationFn: async () => unwrap(await api.POST("/account/export")),
    onSuccess: (created) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          next.set("export", created.id);
          return next;
        },
        { replace: true },
      );
    },
  });

  const current = useQuery({
    queryKey: exportKey(exportId ?? ""),
    enabled: exportId !== null,
    queryFn: async () =>
      unwrap(await api.GET("/account/export/{id}", { params: { path: { id: exportId ?? "" } } })),
    // Ask again while the worker prepares it; stop once it is ready, failed or expired.
    refetchInterval: (query) => (inProgress(query.state.data?.state) ? POLL_MS : false),
  });

  const data = current.data;
  const busy = request.isPending || inProgress(data?.state);

  return (
    <section className="card" aria-labelledby="export-title">
      <h2 id="export-title">{t("export.title")}</h2>
      <p>{whole ? t("export.holdsWorkspace", { workspace: session.workspace.name }) : t("export.holdsAccount")}</p>
      <p className="small muted">{t("export.format")}</p>
      {request.error && <Notice tone="danger">{errorMessage(request.error, t("common:error.generic"))}</Notice>}

      {exportId && current.isError && <ErrorState error={current.error} retry={() => void current.refetch()} />}
      {exportId && current.isPending && !current.isError && (
        <p role="status" className={styles.progress}>
          <span className="spinner" aria-hidden="true" /> {t("export.checking")}
        </p>
      )}
      {data && inProgress(data.state) && (
        <p role="status" className={styles.progress}>
          <span className="spinner" aria-hidden="true" /> {t("export.preparing")}
        </p>
      )}
      {data?.state === "ready" && (
        <Notice tone="success">
          <strong>{t("export.ready")}</strong>
          {data.download_url ? (
            <>
              <p className={styles.download}>
                <a className="btn btn-primary" href={data.download_url} download>
                  {t("export.download")}
                </a>{" "}
                {data.size_bytes != null && <span className="small">{formatSize(data.size_bytes, i18n.language)}</span>}
              </p>
              <p className="small">
                {t("export.linkExpires", { time: format.dateTime(data.download_expires_at) })}{" "}
                <Button small variant="ghost" busy={current.isFetching} onClick={() => void current.refetch()}>
                  {t("export.freshLink")}
                </Button>
              </p>
            </>
          ) : (
            <p>
              <Button small busy={current.isFetching} onClick={() => void current.refetch()}>
                {t("export.freshLink")}
              </Button>
            </p>
          )}
          <p className="small">{t("export.kept", { date: format.dateTime(data.expires_at) })}</p>
          {data.counts && Object.keys(data.counts).length > 0 && (
            <p className="small muted">
              {t("export.counts", { count: Object.values(data.counts).reduce((sum, count) => sum + count, 0) })}
            </p>
          )}
        </Notice>
      )}
      {data?.state === "failed" && (
        <Notice tone="danger">
          {t("export.failed")} {data.failure}
        </Notice>
      )}
      {data?.state === "expired" && <Notice tone="warning">{t("export.expired")}</Notice>}

      {!(data && inProgress(data.state)) && (
        <Button variant={data?.state === "ready" ? "secondary" : "primary"} busy={busy} onClick={() => request.mutate()}>
          {data ? t("export.again") : t("export.request")}
        </Button>
      )}
    </section>
  );
}
