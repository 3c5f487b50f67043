/**
 * Reports: the aging by debtor as of a chosen date (paginated, by currency, exportable as the accountant's CSV)
 * and the monthly figures per currency (invoiced, collected through the page and by hand, written off,
 * disputed, CEI) with how each reminder step works. The date, currency and page are in the URL: a report is a
 * link to share, and re-run later it shows the same figures (the API books changes by when they were recorded).
 */
import { Link, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../i18n/useFormat";
import { EmptyState, ErrorState, Field, Loading, PageHeader, Pager, TableScroll } from "../../ui";
import {
  BUCKETS,
  exportCsvHref,
  useAgingByDebtor,
  useAnalyticsSummary,
  type AgingRow,
  type Currency,
  type CurrencyFigures,
} from "../analytics/api";
import styles from "./Reports.module.css";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CURRENCY = /^[A-Z]{3}$/;
export const PAGE_SIZE = 50;

export default function ReportsPage() {
  const { t } = useTranslation("reports");
  const format = useFormat();
  const [params, setParams] = useSearchParams();
  const asOfParam = params.get("as_of");
  const asOf = asOfParam && DATE.test(asOfParam) ? asOfParam : undefined;
  const currencyParam = params.get("currency");
  const currency = currencyParam && CURRENCY.test(currencyParam) ? (currencyParam as Currency) : undefined;
  const cursor = params.get("cursor") ?? undefined;

  const summary = useAnalyticsSummary(asOf);
  const aging = useAgingByDebtor({ as_of: asOf, currency, cursor, limit: PAGE_SIZE });
  const shownAsOf = asOf ?? aging.data?.as_of ?? summary.data?.as_of;
  const currencies = summary.data?.currencies.map((figures) => figures.currency) ?? [];

  /** A new date or currency starts the list again from its first page. */
  const setFilter = (key: "as_of" | "currency", value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete("cursor");
    setParams(next);
  };

  return (
    <>
      <PageHeader
        title={t("title")}
        subtitle={shownAsOf ? t("subtitle", { date: format.date(shownAsOf) }) : t("subtitleToday")}
        actions={
          <a className="btn" href={exportCsvHref(shownAsOf, currency)} download>
            {t("export")}
          </a>
        }
      />
      <section className={`card ${styles.filters}`} aria-labelledby="report-filters">
        <h2 id="report-filters" className="visually-hidden">
          {t("filters.title")}
        </h2>
        <div className="form-grid">
          <Field label={t("filters.asOf")} hint={t("filters.asOfHint")}>
            <input
              type="date"
              className="input"
              value={shownAsOf ?? ""}
              max={summary.data?.today}
              onChange={(event) => {
                if (event.target.value === "" || DATE.test(event.target.value)) setFilter("as_of", event.target.value);
              }}
            />
          </Field>
          <Field label={t("filters.currency")}>
            <select className="select" value={currency ?? ""} onChange={(event) => setFilter("currency", event.target.value)}>
              <option value="">{t("filters.anyCurrency")}</option>
              {[...new Set([...currencies, ...(currency ? [currency] : [])])].map((code) => (
                <option key={code} value={code}>
                  {code}
                </option>
              ))}
            </select>
          </Field>
        </div>
      </section>

      <section className={styles.section} aria-labelledby="aging-title">
        <h2 id="aging-title">{t("aging.title")}</h2>
        {aging.isPending ? (
          <Loading />
        ) : aging.isError ? (
          <ErrorState error={aging.error} retry={() => void aging.refetch()} />
        ) : aging.data.items.length === 0 && !cursor ? (
          <EmptyState title={t("aging.emptyTitle")}>{t("aging.emptyText")}</EmptyState>
        ) : (
          <>
            <AgingTable rows={aging.data.items} />
            <Pager nextCursor={aging.data.next_cursor} label={t("aging.pages")} />
          </>
        )}
      </section>

      <section className={styles.section} aria-labelledby="months-title">
        <h2 id="months-title">{t("months.title")}</h2>
        {summary.isPending ? (
          <Loading />
        ) : summary.isError ? (
          <ErrorState error={summary.error} retry={() => void summary.refetch()} />
        ) : summary.data.currencies.length === 0 ? (
          <EmptyState title={t("months.emptyTitle")}>{t("months.emptyText")}</EmptyState>
        ) : (
          summary.data.currencies
            .filter((figures) => !currency || figures.currency === currency)
            .map((figures) => <CurrencyReport key={figures.currency} figures={figures} />)
        )}
      </section>
    </>
  );
}

function AgingTable({ rows }: { rows: AgingRow[] }) {
  const { t } = useTranslation("reports");
  const format = useFormat();
  return (
    <TableScroll>
      <table className="table">
        <caption className="visually-hidden">{t("aging.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("aging.debtor")}</th>
            <th scope="col">{t("aging.currency")}</th>
            {BUCKETS.map((bucket) => (
              <th key={bucket} scope="col" className="num">
                {t(`bucket.${bucket}`)}
              </th>
            ))}
            <th scope="col" className="num">
              {t("aging.total")}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.debtor_id}-${row.currency}`}>
              <th scope="row">
                <Link to={`/debtors/${encodeURIComponent(row.debtor_id)}`}>{row.debtor_name}</Link>
              </th>
              <td>{row.currency}</td>
              {BUCKETS.map((bucket) => (
                <td key={bucket} className="num">
                  {format.money(row[bucket], row.currency)}
                </td>
              ))}
              <td className="num">
                <strong>{format.money(row.total, row.currency)}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** A currency's months (newest first) and its reminder steps. */
function CurrencyReport({ figures }: { figures: CurrencyFigures }) {
  const { t } = useTranslation("reports");
  const format = useFormat();
  const { currency } = figures;
  const money = (value: number) => format.money(value, currency);
  const percent = (value: number | null) => (value === null ? "—" : t("percent", { value: format.number(value) }));
  const months = [...figures.months].sort((a, b) => b.month.localeCompare(a.month));
  return (
    <div className="stack">
      <h3>{currency}</h3>
      <TableScroll>
        <table className="table">
          <caption className="visually-hidden">{t("months.caption", { currency })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("months.month")}</th>
              {(["invoiced", "collected_page", "collected_manual", "charges_in", "refunded", "written_off", "disputed"] as const).map(
                (column) => (
                  <th key={column} scope="col" className="num">
                    {t(`months.${column}`)}
                  </th>
                ),
              )}
              <th scope="col" className="num">
                <abbr title={t("months.ceiLong")}>{t("months.cei")}</abbr>
              </th>
            </tr>
          </thead>
          <tbody>
            {months.map((month) => (
              <tr key={month.month}>
                <th scope="row">{format.month(month.month)}</th>
                <td className="num">{money(month.invoiced)}</td>
                <td className="num">{money(month.collected_page)}</td>
                <td className="num">{money(month.collected_manual)}</td>
                <td className="num">{money(month.charges_in)}</td>
                <td className="num">{money(month.refunded)}</td>
                <td className="num">{money(month.written_off)}</td>
                <td className="num">{money(month.disputed)}</td>
                <td className="num">{percent(month.cei)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {figures.reminder_steps.length > 0 && (
        <TableScroll>
          <table className="table">
            <caption>{t("steps.caption", { currency })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("steps.step")}</th>
                <th scope="col" className="num">
                  {t("steps.sent")}
                </th>
                <th scope="col" className="num">
                  {t("steps.paid")}
                </th>
                <th scope="col" className="num">
                  {t("steps.share")}
                </th>
              </tr>
            </thead>
            <tbody>
              {figures.reminder_steps.map((step) => (
                <tr key={step.step}>
                  <th scope="row">{t("steps.name", { step: step.step + 1 })}</th>
                  <td className="num">{step.sent}</td>
                  <td className="num">{step.paid_within_7_days}</td>
                  <td className="num">{percent(step.share === null ? null : step.share * 100)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </div>
  );
}
