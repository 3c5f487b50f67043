/** The reminder engine for this workspace (GET /workspace/reminders/status): runs, the queue, failures, quota. */
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { useFormat } from "../../i18n/useFormat";
import { EmptyState, ErrorState, Loading, Notice } from "../../ui";
import styles from "./Reminders.module.css";
import { TableScroll } from "../../ui";

export const statusKey = ["reminders-status"] as const;

export function EngineStatus() {
  const { t } = useTranslation("reminders");
  const format = useFormat();
  const status = useQuery({
    queryKey: statusKey,
    queryFn: async () => unwrap(await api.GET("/workspace/reminders/status")),
    refetchInterval: 60_000,
  });

  return (
    <section className="card" aria-labelledby="status-title">
      <h2 id="status-title">{t("status.title")}</h2>
      {status.isPending ? (
        <Loading />
      ) : status.isError ? (
        <ErrorState error={status.error} retry={() => void status.refetch()} />
      ) : (
        <>
          {status.data.waiting_reason === "owner_not_verified" && (
            <Notice tone="warning">
              <strong>{t("status.waiting")}</strong> {t("status.ownerNotVerified")}{" "}
              <Link to="/account">{t("status.ownerNotVerifiedAction")}</Link>
            </Notice>
          )}
          {status.data.waiting_reason === "daily_quota" && (
            <Notice tone="warning">
              <strong>{t("status.waiting")}</strong> {t("status.dailyQuota")}
            </Notice>
          )}
          <dl className={styles.facts}>
            <div>
              <dt>{t("status.engineLastRun")}</dt>
              <dd>{status.data.engine_last_run_at ? format.dateTime(status.data.engine_last_run_at) : t("status.never")}</dd>
            </div>
            <div>
              <dt>{t("status.workspaceLastRun")}</dt>
              <dd>
                {status.data.workspace_last_run_at
                  ? format.dateTime(status.data.workspace_last_run_at)
                  : t("status.neverHere")}
              </dd>
            </div>
            <div>
              <dt>{t("status.today")}</dt>
              <dd>
                {status.data.sending_today ? (
                  <>
                    <span>
                      {t("status.quota", { sent: status.data.sending_today.sent, quota: status.data.sending_today.quota })}
                    </span>
                    <meter
                      className={styles.meter}
                      min={0}
                      max={status.data.sending_today.quota}
                      high={status.data.sending_today.quota * 0.9}
                      value={status.data.sending_today.sent}
                      aria-label={t("status.today")}
                    />
                  </>
                ) : (
                  t("status.noneToday")
                )}
              </dd>
            </div>
          </dl>
          <p className="muted small">{t("status.quotaHint")}</p>

          <h3>{t("status.next")}</h3>
          {status.data.next.length === 0 ? (
            <EmptyState
              title={t("status.nextEmpty")}
              action={
                <Link className="btn" to="/debts/new">
                  {t("status.addDebt")}
                </Link>
              }
            >
              {t("status.nextEmptyText")}
            </EmptyState>
          ) : (
            <TableScroll>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t("status.invoice")}</th>
                    <th scope="col">{t("status.when")}</th>
                    <th scope="col">{t("status.step")}</th>
                  </tr>
                </thead>
                <tbody>
                  {status.data.next.map((item) => (
                    <tr key={item.debt_id}>
                      <td>
                        <Link to={`/debts/${item.debt_id}`}>{item.invoice_number}</Link>
                      </td>
                      <td>{format.dateTime(item.next_reminder_at)}</td>
                      <td>{t("steps.number", { number: item.next_step + 1 })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}

          <h3 className={styles.spaced}>{t("status.failed")}</h3>
          {(status.data.failed ?? []).length === 0 ? (
            <EmptyState title={t("status.failedEmpty")}>{t("status.failedEmptyText")}</EmptyState>
          ) : (
            <>
              <p className="muted small">{t("status.failedIntro")}</p>
              <TableScroll>
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">{t("status.invoice")}</th>
                      <th scope="col">{t("status.step")}</th>
                      <th scope="col">{t("status.reason")}</th>
                      <th scope="col">{t("status.failedAt")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {(status.data.failed ?? []).map((item) => (
                      <tr key={`${item.debt_id}-${item.step}`}>
                        <td>
                          <Link to={`/debts/${item.debt_id}`}>{item.invoice_number}</Link>
                        </td>
                        <td>{t("steps.number", { number: item.step + 1 })}</td>
                        <td>{item.reason}</td>
                        <td>{format.dateTime(item.failed_at)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            </>
          )}
        </>
      )}
    </section>
  );
}
