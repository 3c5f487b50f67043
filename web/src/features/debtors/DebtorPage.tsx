import { useState } from "react";
import { Link, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/errors";
import { useFormat } from "../../i18n/useFormat";
import { Badge, Button, EmptyState, ErrorState, Loading, Notice, PageHeader } from "../../ui";
import { type Debtor, useDebtor, useDebtorDebts } from "./api";
import { DebtorDebts } from "./DebtorDebts";
import { DebtorEdit } from "./DebtorEdit";
import { DebtorLink } from "./DebtorLink";
import { EraseDebtor } from "./EraseDebtor";
import { DebtorPlans } from "../plans/DebtorPlans";
import { useDebtorPlans } from "../plans/api";
import styles from "./Debtors.module.css";

const SUPPRESSIONS = ["opted_out", "hard_bounce", "invalid_email", "complaint", "unsubscribed"];

/** Why reminders are not emailed, in words (the API's `email_suppressed`), or that they are. */
export function Suppression({ reason }: { reason: string | null }) {
  const { t } = useTranslation("debtors");
  if (!reason) return <Badge>{t("suppression.none")}</Badge>;
  const known = SUPPRESSIONS.includes(reason) ? reason : "other";
  return (
    <span className="stack">
      <span>
        <Badge tone="warning">{t("suppression.stopped")}</Badge>
      </span>
      <span>{t(`suppression.${known}`)}</span>
    </span>
  );
}

function DaysToPay({ figures }: { figures: Debtor["days_to_pay"] }) {
  const { t } = useTranslation("debtors");
  const format = useFormat();
  if (figures.average === null || figures.paid_debts === 0) return <>{t("figures.noPaidDebt")}</>;
  return <>{t("figures.daysToPay", { days: format.number(figures.average), count: figures.paid_debts })}</>;
}

/** Promises kept out of those that came due (withdrawn or replaced ones count as neither). */
function Promises({ figures }: { figures: Debtor["promises"] }) {
  const { t } = useTranslation("debtors");
  const format = useFormat();
  const due = figures.kept + figures.broken;
  if (due === 0) return <>{t("figures.noPromise")}</>;
  return (
    <>{t("figures.promises", { kept: figures.kept, count: due, rate: format.number((figures.kept / due) * 100) })}</>
  );
}

function Details({ debtor }: { debtor: Debtor }) {
  const { t } = useTranslation("debtors");
  const format = useFormat();
  const rows: [string, React.ReactNode][] = [
    [t("fields.email"), debtor.email ? <a href={`mailto:${debtor.email}`}>{debtor.email}</a> : "—"],
    [t("fields.phone"), debtor.phone ? <a href={`tel:${debtor.phone}`}>{debtor.phone}</a> : "—"],
    [t("fields.company"), debtor.company || "—"],
    [t("fields.kind"), t(`kinds.${debtor.kind}`)],
    [t("fields.external_ref"), debtor.external_ref || "—"],
    [t("fields.locale"), t(`locales.${debtor.locale}`, { defaultValue: debtor.locale })],
    [t("fields.time_zone"), debtor.time_zone.replace(/_/g, " ")],
    [t("detail.reminders"), <Suppression key="s" reason={debtor.email_suppressed ?? null} />],
    [t("detail.openDebts"), debtor.open_debts],
    [t("detail.daysToPay"), <DaysToPay key="d" figures={debtor.days_to_pay} />],
    [t("detail.promises"), <Promises key="p" figures={debtor.promises} />],
    [t("detail.added"), format.dateTime(debtor.created_at)],
    [t("detail.updated"), format.dateTime(debtor.updated_at)],
  ];
  return (
    <dl className={styles.details}>
      {rows.map(([label, value]) => (
        <div key={label} className={styles.detail}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export default function DebtorPage() {
  const { t } = useTranslation("debtors");
  const { id = "" } = useParams();
  const query = useDebtor(id);
  useDebtorDebts(id); // their debts are read beside the debtor, not after it (the list below shares the query)
  useDebtorPlans(id); // and their plans
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);

  if (query.isPending) return <Loading />;
  if (query.isError) {
    const error = query.error;
    if (error instanceof ApiError && error.code === "debtor_erased") return <Erased id={id} />;
    if (error instanceof ApiError && error.status === 404) {
      return (
        <EmptyState
          title={t("detail.notFoundTitle")}
          action={
            <Link className="btn" to="/debtors">
              {t("detail.backToList")}
            </Link>
          }
        >
          {error.message}
        </EmptyState>
      );
    }
    return <ErrorState error={error} retry={() => void query.refetch()} />;
  }
  const debtor = query.data;

  return (
    <>
      <p className="small">
        <Link to="/debtors">← {t("detail.backToList")}</Link>
      </p>
      <PageHeader
        title={debtor.name}
        subtitle={debtor.company ?? undefined}
        actions={
          !editing && (
            <Button
              onClick={() => {
                setSaved(false);
                setEditing(true);
              }}
            >
              {t("edit.button")}
            </Button>
          )
        }
      />
      {saved && <Notice tone="success">{t("edit.saved")}</Notice>}
      {editing ? (
        <DebtorEdit
          debtor={debtor}
          onSaved={() => {
            setEditing(false);
            setSaved(true);
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <div className={styles.columns}>
          <section className="card" aria-labelledby="debtor-contact-title">
            <h2 id="debtor-contact-title">{t("detail.contact")}</h2>
            <Details debtor={debtor} />
            {debtor.notes && (
              <>
                <h3>{t("fields.notes")}</h3>
                <p className={styles.preWrap}>{debtor.notes}</p>
              </>
            )}
          </section>
          <DebtorLink debtor={debtor} />
        </div>
      )}
      <DebtorDebts debtorId={debtor.id} canRecord />
      <DebtorPlans debtorId={debtor.id} className={styles.after} />
      <div className={styles.after}>
        <EraseDebtor debtor={debtor} onErased={() => void query.refetch()} />
      </div>
    </>
  );
}

/** What is left of an erased debtor: their debts, kept as accounting records. */
function Erased({ id }: { id: string }) {
  const { t } = useTranslation("debtors");
  return (
    <>
      <p className="small">
        <Link to="/debtors">← {t("detail.backToList")}</Link>
      </p>
      <PageHeader title={t("erased.title")} subtitle={<Badge>{t("erased.badge")}</Badge>} />
      <Notice>{t("erased.text")}</Notice>
      <div className={styles.after}>
        <DebtorDebts debtorId={id} canRecord={false} />
      </div>
    </>
  );
}
