/**
 * Home: what needs attention today. Three requests side by side answer every card: GET /workspace/summary (the
 * day's figures), GET /workspace/analytics/summary (aging, DSO, forecast) and the inbox's open count; each card
 * says what to do next when it has nothing to show. Money is shown per currency, never added across currencies.
 */
import type { ReactNode } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { Badge, ErrorState, Loading, Notice, PageHeader } from "../../ui";
import { useFormat } from "../../i18n/useFormat";
import { useAnalyticsSummary } from "../analytics/api";
import { useInboxOpenCount } from "../inbox/api";
import { preloadCharts } from "../../charts/Chart";
import { useSummary, type CurrencyTotal, type DebtorMessage, type Dispute, type Summary } from "./api";
import { Card, CardEmpty } from "./Card";
import { AgingCard, DsoCard, ForecastCard, InboxCard } from "./FigureCards";
import styles from "./Home.module.css";

// The charts' code loads as soon as this screen's does, beside its data.
preloadCharts();

const STATUSES = ["open", "partially_paid", "in_plan", "disputed", "paid", "cancelled", "written_off"] as const;

export default function HomePage() {
  const { t } = useTranslation("home");
  const format = useFormat();
  const summary = useSummary();
  // Asked for beside the day's figures, not once they came: the cards below read the same queries.
  useAnalyticsSummary();
  useInboxOpenCount();

  return (
    <>
      <PageHeader
        title={t("title")}
        subtitle={summary.data ? t("subtitle", { date: format.date(summary.data.today) }) : t("subtitleToday")}
        actions={
          <>
            <Link className="btn btn-primary" to="/debts/new">
              {t("actions.recordDebt")}
            </Link>
            <Link className="btn" to="/import">
              {t("actions.importCsv")}
            </Link>
          </>
        }
      />
      {summary.isPending ? (
        <Loading label={t("loading")} />
      ) : summary.isError ? (
        <ErrorState error={summary.error} retry={() => void summary.refetch()} />
      ) : (
        <Cards summary={summary.data} />
      )}
    </>
  );
}

function Cards({ summary }: { summary: Summary }) {
  const { t } = useTranslation("home");
  const noDebts = summary.debts_total === 0;
  return (
    <div className="stack">
      {summary.reminders.waiting_reason && (
        <Notice tone="warning">
          {t(`reminders.waiting.${summary.reminders.waiting_reason}`)}{" "}
          {summary.reminders.waiting_reason === "owner_not_verified" ? (
            <Link to="/account">{t("reminders.waiting.verifyLink")}</Link>
          ) : null}
        </Notice>
      )}
      <div className={styles.grid}>
        <OverdueCard overdue={summary.overdue} noDebts={noDebts} />
        <InboxCard />
        <AgingCard noDebts={noDebts} />
        <DsoCard />
        <ForecastCard />
        <PaymentsCard summary={summary} />
        <RemindersCard summary={summary} noDebts={noDebts} />
        <StatusCard summary={summary} noDebts={noDebts} />
        <MessagesCard messages={summary.latest_debtor_messages} />
        <DisputesCard disputes={summary.latest_disputes} />
      </div>
    </div>
  );
}

function FirstDebtActions() {
  const { t } = useTranslation("home");
  return (
    <>
      <Link className="btn btn-primary btn-small" to="/debts/new">
        {t("actions.recordDebt")}
      </Link>
      <Link className="btn btn-small" to="/import">
        {t("actions.importCsv")}
      </Link>
    </>
  );
}

function NoDebtsYet() {
  const { t } = useTranslation("home");
  return <CardEmpty title={t("noDebts.title")} text={t("noDebts.text")} actions={<FirstDebtActions />} />;
}

function Totals({ totals, label }: { totals: CurrencyTotal[]; label: (count: number) => string }) {
  const format = useFormat();
  return (
    <ul className={styles.figures}>
      {totals.map((total) => (
        <li key={total.currency} className={styles.figure}>
          <span className={styles.amount}>{format.money(total.amount, total.currency)}</span>
          <span className="muted small">{label(total.count)}</span>
        </li>
      ))}
    </ul>
  );
}

function OverdueCard({ overdue, noDebts }: { overdue: CurrencyTotal[]; noDebts: boolean }) {
  const { t } = useTranslation("home");
  return (
    <Card id="overdue" title={t("overdue.title")}>
      {noDebts ? (
        <NoDebtsYet />
      ) : overdue.length === 0 ? (
        <CardEmpty
          title={t("overdue.emptyTitle")}
          text={t("overdue.emptyText")}
          actions={<Link to="/debts">{t("overdue.allDebts")}</Link>}
        />
      ) : (
        <>
          <Totals totals={overdue} label={(count) => t("overdue.debts", { count })} />
          <div className={styles.footer}>
            <Link to="/debts?overdue=true">{t("overdue.see")}</Link>
          </div>
        </>
      )}
    </Card>
  );
}

function StatusCard({ summary, noDebts }: { summary: Summary; noDebts: boolean }) {
  const { t } = useTranslation("home");
  return (
    <Card id="statuses" title={t("statuses.title")}>
      {noDebts ? (
        <CardEmpty title={t("noDebts.title")} text={t("statuses.emptyText")} actions={<FirstDebtActions />} />
      ) : (
        <>
          <dl className={styles.statuses}>
            {STATUSES.map((status) => (
              <StatusRow key={status} status={status} count={summary.debts_by_status[status]} />
            ))}
          </dl>
          <p className="muted small">{t("statuses.total", { count: summary.debts_total })}</p>
        </>
      )}
    </Card>
  );
}

function StatusRow({ status, count }: { status: (typeof STATUSES)[number]; count: number }) {
  const { t } = useTranslation("home");
  return (
    <>
      <dt>
        <Link to={`/debts?status=${status}`}>{t(`status.${status}`)}</Link>
      </dt>
      <dd>{count}</dd>
    </>
  );
}

function PaymentsCard({ summary }: { summary: Summary }) {
  const { t } = useTranslation("home");
  const { payments, stripe_connected: connected } = summary;
  return (
    <Card id="payments" title={t("payments.title", { count: payments.days })}>
      {payments.count === 0 ? (
        connected ? (
          <CardEmpty title={t("payments.emptyTitle")} text={t("payments.emptyText")} />
        ) : (
          <CardEmpty
            title={t("payments.emptyTitle")}
            text={t("payments.connectText")}
            actions={
              <Link className="btn btn-small" to="/settings/payments">
                {t("payments.connect")}
              </Link>
            }
          />
        )
      ) : (
        <>
          {/* With one currency its own line already says how many. */}
          {payments.totals.length > 1 && <p className="muted small">{t("payments.count", { count: payments.count })}</p>}
          <Totals totals={payments.totals} label={(count) => t("payments.count", { count })} />
          {!connected && (
            <div className={styles.footer}>
              <Link to="/settings/payments">{t("payments.connect")}</Link>
            </div>
          )}
        </>
      )}
    </Card>
  );
}

function RemindersCard({ summary, noDebts }: { summary: Summary; noDebts: boolean }) {
  const { t } = useTranslation("home");
  const format = useFormat();
  const reminders = summary.reminders;
  const quiet = reminders.sent === 0 && reminders.failed === 0 && !reminders.next_at;
  return (
    <Card id="reminders" title={t("reminders.title")}>
      {quiet ? (
        <CardEmpty
          title={t("reminders.emptyTitle")}
          text={noDebts ? t("reminders.emptyNoDebts") : t("reminders.emptyText")}
          actions={
            <Link className="btn btn-small" to="/reminders">
              {t("reminders.setUp")}
            </Link>
          }
        />
      ) : (
        <>
          <dl className={styles.facts}>
            <Fact term={t("reminders.sent", { count: reminders.days })}>{reminders.sent}</Fact>
            <Fact term={t("reminders.failed", { count: reminders.days })}>
              {reminders.failed > 0 ? <Badge tone="danger">{reminders.failed}</Badge> : reminders.failed}
            </Fact>
            {reminders.failing_debts > 0 && (
              <Fact term={t("reminders.failingDebts")}>
                <Badge tone="warning">{reminders.failing_debts}</Badge>
              </Fact>
            )}
            <Fact term={t("reminders.next")}>
              {!reminders.next_at
                ? t("reminders.nothingScheduled")
                : reminders.next_at <= summary.as_of
                  ? t("reminders.nextRun")
                  : format.dateTime(reminders.next_at)}
            </Fact>
            <Fact term={t("reminders.lastRun")}>
              {reminders.engine_last_run_at ? format.dateTime(reminders.engine_last_run_at) : t("reminders.never")}
            </Fact>
          </dl>
          <div className={styles.footer}>
            <Link to="/reminders">{t("reminders.see")}</Link>
          </div>
        </>
      )}
    </Card>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className={styles.fact}>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

const KIND_TONES = { dispute: "danger", already_paid: "success", question: "info", promise: "warning" } as const;

function MessagesCard({ messages }: { messages: DebtorMessage[] }) {
  const { t } = useTranslation("home");
  const format = useFormat();
  return (
    <Card id="messages" title={t("messages.title")} wide>
      {messages.length === 0 ? (
        <CardEmpty title={t("messages.emptyTitle")} text={t("messages.emptyText")} />
      ) : (
        <ul className={styles.feed}>
          {messages.map((message) => (
            <li key={`${message.at}-${message.debt_id}`}>
              <div className={styles.feedHead}>
                <Badge tone={KIND_TONES[message.kind]}>{t(`messages.kind.${message.kind}`)}</Badge>
                <Link to={`/debts/${message.debt_id}`}>
                  {t("invoice", { number: message.invoice_number ?? message.debt_id })}
                </Link>
                <span className="muted small">{format.dateTime(message.at)}</span>
              </div>
              {message.message && <p className={styles.message}>{message.message}</p>}
              {message.promise_date && (
                <p className="muted small">{t("messages.promised", { date: format.date(message.promise_date) })}</p>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function DisputesCard({ disputes }: { disputes: Dispute[] }) {
  const { t } = useTranslation("home");
  const format = useFormat();
  return (
    <Card id="disputes" title={t("disputes.title")}>
      {disputes.length === 0 ? (
        <CardEmpty title={t("disputes.emptyTitle")} text={t("disputes.emptyText")} />
      ) : (
        <>
          <ul className={styles.feed}>
            {disputes.map((dispute) => (
              <li key={dispute.debt_id}>
                <div className={styles.feedHead}>
                  <Link to={`/debts/${dispute.debt_id}`}>{t("invoice", { number: dispute.invoice_number })}</Link>
                  <span className="num">{format.money(dispute.amount_outstanding, dispute.currency)}</span>
                </div>
                <span className="muted small">{t("disputes.since", { date: format.date(dispute.since) })}</span>
              </li>
            ))}
          </ul>
          <div className={styles.footer}>
            <Link to="/debts?status=disputed">{t("disputes.see")}</Link>
          </div>
        </>
      )}
    </Card>
  );
}
