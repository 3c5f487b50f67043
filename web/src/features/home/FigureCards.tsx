/**
 * The home screen's figures from GET /workspace/analytics/summary and the inbox: the aging of what is owed, DSO
 * and its trend, the 8-week cash forecast (promised, payment plans' instalments and predicted apart), and how many
 * inbox items are open.
 * Each currency has its own chart: money is never added across currencies.
 */
import { useMemo } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { ChartFigure } from "../../charts/Chart";
import type { ChartSpec } from "../../charts/spec";
import { useFormat } from "../../i18n/useFormat";
import { Button, Loading, errorMessage } from "../../ui";
import { BUCKETS, useAnalyticsSummary, type CurrencyFigures } from "../analytics/api";
import { useInboxOpenCount } from "../inbox/api";
import { Card, CardEmpty } from "./Card";
import styles from "./Home.module.css";

/** The figures' loading and error states, inside a card (the rest of the screen stays usable). */
function Figures({ children }: { children: (currencies: CurrencyFigures[]) => React.ReactNode }) {
  const { t } = useTranslation("home");
  const summary = useAnalyticsSummary();
  if (summary.isPending) return <Loading label={t("figures.loading")} />;
  if (summary.isError) {
    return (
      <div className={styles.empty} role="alert">
        <p>{errorMessage(summary.error, t("common:error.generic"))}</p>
        <div className={styles.footer}>
          <Button small onClick={() => void summary.refetch()}>
            {t("common:actions.retry")}
          </Button>
        </div>
      </div>
    );
  }
  return <>{children(summary.data.currencies)}</>;
}

export function InboxCard() {
  const { t } = useTranslation("home");
  const open = useInboxOpenCount();
  return (
    <Card id="inbox" title={t("inbox.title")}>
      {open.isPending ? (
        <Loading />
      ) : open.isError ? (
        <p role="alert">{errorMessage(open.error, t("common:error.generic"))}</p>
      ) : open.data === 0 ? (
        <CardEmpty title={t("inbox.emptyTitle")} text={t("inbox.emptyText")} />
      ) : (
        <p className={styles.figure}>
          <span className={styles.amount}>{open.data}</span>
          <span className="muted small">{t("inbox.open", { count: open.data })}</span>
        </p>
      )}
      <div className={styles.footer}>
        <Link to="/inbox">{t("inbox.see")}</Link>
      </div>
    </Card>
  );
}

export function AgingCard({ noDebts }: { noDebts: boolean }) {
  const { t } = useTranslation("home");
  return (
    <Card id="aging" title={t("aging.title")} wide>
      <Figures>
        {(currencies) => {
          const owed = currencies.filter((figures) => figures.aging.total.count > 0);
          return owed.length === 0 ? (
            <CardEmpty title={t("aging.emptyTitle")} text={noDebts ? t("noDebts.text") : t("aging.emptyText")} />
          ) : (
            <>
              <div className={styles.charts}>
                {owed.map((figures) => (
                  <AgingChart key={figures.currency} figures={figures} />
                ))}
              </div>
              <div className={styles.footer}>
                <Link to="/reports">{t("aging.report")}</Link>
              </div>
            </>
          );
        }}
      </Figures>
    </Card>
  );
}

function AgingChart({ figures }: { figures: CurrencyFigures }) {
  const { t } = useTranslation("home");
  const format = useFormat();
  const { currency, aging } = figures;
  const spec = useMemo<ChartSpec>(
    () => ({
      kind: "bars",
      labels: BUCKETS.map((bucket) => t(`aging.bucket.${bucket}`)),
      series: [{ label: t("aging.outstanding"), values: BUCKETS.map((bucket) => aging[bucket].amount), tone: "primary" }],
      axisValue: (value) => format.moneyCompact(value, currency),
    }),
    [t, format, currency, aging],
  );
  return (
    <div className="stack">
      <p className={styles.figure}>
        <span className={styles.amount}>{format.money(aging.total.amount, currency)}</span>
        <span className="muted small">{t("aging.total", { count: aging.total.count })}</span>
      </p>
      <ChartFigure
        caption={t("aging.caption", { currency })}
        spec={spec}
        cell={(value) => (value === null ? "—" : format.money(value, currency))}
      />
    </div>
  );
}

export function DsoCard() {
  const { t } = useTranslation("home");
  return (
    <Card id="dso" title={t("dso.title")}>
      <Figures>
        {(currencies) =>
          currencies.length === 0 ? (
            <CardEmpty title={t("dso.emptyTitle")} text={t("dso.emptyText")} />
          ) : (
            currencies.map((figures) => <DsoFigures key={figures.currency} figures={figures} />)
          )
        }
      </Figures>
    </Card>
  );
}

function DsoFigures({ figures }: { figures: CurrencyFigures }) {
  const { t } = useTranslation("home");
  const format = useFormat();
  const { currency, dso } = figures;
  const days = (value: number | null) => (value === null ? t("dso.none") : t("dso.days", { days: format.number(value), count: value }));
  const spec = useMemo<ChartSpec>(
    () => ({
      kind: "line",
      labels: dso.trend.map((point) => format.month(point.month, true)),
      series: [{ label: t("dso.countback"), values: dso.trend.map((point) => point.countback_days), tone: "primary" }],
      axisValue: (value) => format.number(value),
    }),
    [t, format, dso.trend],
  );
  return (
    <div className="stack">
      <h3 className={styles.currency}>{currency}</h3>
      <p className={styles.figure}>
        <span className={styles.amount}>{days(dso.countback_days)}</span>
        <span className="muted small">{t("dso.countbackNote")}</span>
      </p>
      <dl className={styles.facts}>
        <div className={styles.fact}>
          <dt>{t("dso.simple", { count: dso.period_days })}</dt>
          <dd>{days(dso.simple_days)}</dd>
        </div>
        <div className={styles.fact}>
          <dt>{t("dso.averageToPay")}</dt>
          <dd>{days(figures.average_days_to_pay)}</dd>
        </div>
      </dl>
      {dso.trend.length > 1 && (
        <ChartFigure caption={t("dso.trend", { currency })} spec={spec} cell={(value) => days(value)} />
      )}
    </div>
  );
}

export function ForecastCard() {
  const { t } = useTranslation("home");
  return (
    <Card id="forecast" title={t("forecast.title")} wide>
      <Figures>
        {(currencies) => {
          const coming = currencies.filter((figures) =>
            figures.forecast.some((week) => week.promised || week.predicted || plannedOf(week)),
          );
          return coming.length === 0 ? (
            <CardEmpty title={t("forecast.emptyTitle")} text={t("forecast.emptyText")} />
          ) : (
            <div className={styles.charts}>
              {coming.map((figures) => (
                <ForecastChart key={figures.currency} figures={figures} />
              ))}
            </div>
          );
        }}
      </Figures>
    </Card>
  );
}

type ForecastWeek = CurrencyFigures["forecast"][number];

/** What active payment plans' instalments bring that week. */
function plannedOf(week: ForecastWeek): number {
  return week.planned;
}

function ForecastChart({ figures }: { figures: CurrencyFigures }) {
  const { t } = useTranslation("home");
  const format = useFormat();
  const { currency, forecast } = figures;
  const planned = forecast.reduce((sum, week) => sum + plannedOf(week), 0);
  const spec = useMemo<ChartSpec>(
    () => ({
      kind: "bars",
      labels: forecast.map((week) => format.dayShort(week.week_start)),
      series: [
        { label: t("forecast.promised"), values: forecast.map((week) => week.promised), tone: "primary" },
        // Payment plans' instalments, only where there are any (a workspace without plans keeps its two bars).
        ...(planned > 0
          ? [{ label: t("forecast.planned"), values: forecast.map(plannedOf), tone: "success" as const }]
          : []),
        { label: t("forecast.predicted"), values: forecast.map((week) => week.predicted), tone: "muted" },
      ],
      axisValue: (value) => format.moneyCompact(value, currency),
    }),
    [t, format, currency, forecast, planned],
  );
  const promised = forecast.reduce((sum, week) => sum + week.promised, 0);
  const predicted = forecast.reduce((sum, week) => sum + week.predicted, 0);
  return (
    <div className="stack">
      <dl className={styles.facts}>
        <div className={styles.fact}>
          <dt>{t("forecast.promisedTotal", { currency })}</dt>
          <dd>{format.money(promised, currency)}</dd>
        </div>
        {planned > 0 && (
          <div className={styles.fact}>
            <dt>{t("forecast.plannedTotal", { currency })}</dt>
            <dd>{format.money(planned, currency)}</dd>
          </div>
        )}
        <div className={styles.fact}>
          <dt>{t("forecast.predictedTotal", { currency })}</dt>
          <dd>{format.money(predicted, currency)}</dd>
        </div>
      </dl>
      <ChartFigure
        caption={t(planned > 0 ? "forecast.captionPlanned" : "forecast.caption", { currency })}
        spec={spec}
        cell={(value) => (value === null ? "—" : format.money(value, currency))}
      />
    </div>
  );
}
