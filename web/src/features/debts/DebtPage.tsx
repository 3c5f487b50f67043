import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { useFormat } from "../../i18n/useFormat";
import { Button, ConfirmDialog, ErrorState, Field, Loading, Notice, PageHeader, errorMessage } from "../../ui";
import { type DebtAction, type DebtShown, useDebt, useDebtAction, useTimeline, useWorkspacePolicy } from "./api";
import { DebtStatusBadge } from "./DebtStatusBadge";
import { EditDebtForm } from "./EditDebtForm";
import { LatePaymentCharges } from "./LatePaymentCharges";
import { PaymentForm } from "./PaymentForm";
import { reasonText } from "./reasons";
import { ReminderSteps } from "./ReminderSteps";
import { Timeline } from "./Timeline";
import { debtorLabel } from "./debtorNames";
import { DebtPlan } from "../plans/DebtPlan";
import { OfferPlanForm, canJoinPlan } from "../plans/OfferPlanForm";
import { planOf } from "../plans/types";
import styles from "./DebtPage.module.css";
import { TableScroll } from "../../ui";

const COLLECTIBLE = ["open", "partially_paid"];
const OPEN_STATES = ["open", "partially_paid", "disputed"];

type Panel = "payment" | "dispute" | "edit" | "plan" | null;
type Confirm = "cancel" | "write-off" | null;

export default function DebtPage() {
  const { id = "" } = useParams();
  const debt = useDebt(id);
  // Read beside the debt, not after it (the timeline and the reminder steps below share these queries).
  useTimeline(id);
  useWorkspacePolicy();

  if (debt.isPending) return <Loading />;
  if (debt.isError) return <ErrorState error={debt.error} retry={() => void debt.refetch()} />;
  return <DebtView debt={debt.data} />;
}

function DebtView({ debt }: { debt: DebtShown }) {
  const { t } = useTranslation(["debts", "plans"]);
  const format = useFormat();
  const [panel, setPanel] = useState<Panel>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [note, setNote] = useState("");
  const [offered, setOffered] = useState(false);
  const action = useDebtAction(debt.id);
  const panelRef = useRef<HTMLElement>(null);

  // An opened form takes the focus (and comes into view on a phone, where it sits below the actions).
  useEffect(() => {
    if (panel) panelRef.current?.querySelector<HTMLElement>("input, textarea, select")?.focus();
  }, [panel]);

  const remind = useMutation({
    mutationFn: async () => unwrap(await api.POST("/debts/{id}/remind", { params: { path: { id: debt.id } } })),
  });

  const collectible = COLLECTIBLE.includes(debt.status);
  // A debt in a payment plan (shown as in_plan) takes payments; changing it waits until the plan is cancelled.
  const inPlan = planOf(debt) !== null;
  const open = OPEN_STATES.includes(debt.status);
  // A debt whose invoice amount is paid may still owe its late-payment charges: their payment is recorded on it.
  const chargesOwed = debt.status === "paid" && (debt.charges?.total_due ?? 0) > 0;
  const payable = ((collectible || inPlan) && debt.amount_outstanding > 0) || chargesOwed;
  const offerable = canJoinPlan(debt);
  const why = chargesOwed ? "paidChargesOwed" : inPlan ? "in_plan" : debt.status;
  const reason = open && !inPlan && debt.status !== "disputed" ? null : t(`actions.why.${why}`, { defaultValue: "" }) || null;
  const reasonId = reason ? "debt-actions-reason" : undefined;

  const run = (name: DebtAction, withNote?: string) => {
    if (action.isPending) return;
    action.mutate(
      { action: name, note: withNote?.trim() || undefined },
      {
        onSuccess: () => {
          setConfirm(null);
          setPanel(null);
          setNote("");
        },
      },
    );
  };

  const submitDispute = (event: FormEvent) => {
    event.preventDefault();
    run("dispute", note);
  };

  const debtorName = debt.debtor ? debtorLabel(debt.debtor) : undefined;
  return (
    <>
      <p className="small">
        <Link to="/debts">{t("detail.back")}</Link>
      </p>
      <PageHeader
        title={t("detail.title", { invoice: debt.invoice_number })}
        subtitle={
          <>
            <DebtStatusBadge status={debt.status} />{" "}
            <Link to={`/debtors/${encodeURIComponent(debt.debtor_id)}`}>{debtorName ?? t("table.viewDebtor")}</Link>
          </>
        }
      />

      {action.isError && <Notice tone="danger">{errorMessage(action.error, t("common:error.generic"))}</Notice>}
      {remind.isError && <Notice tone="danger">{errorMessage(remind.error, t("common:error.generic"))}</Notice>}
      {remind.data &&
        (remind.data.queued ? (
          <Notice tone="success">
            {remind.data.step !== null && remind.data.step !== undefined
              ? t("detail.remindQueuedStep", { step: remind.data.step + 1 })
              : t("detail.remindQueued")}
          </Notice>
        ) : (
          <Notice tone="warning">{t("detail.remindRefused", { reason: reasonText(t, remind.data.reason) })}</Notice>
        ))}
      {debt.payment_processing && <Notice tone="info">{t("detail.processing")}</Notice>}
      {offered && <Notice tone="success">{t("plans:offer.sent")}</Notice>}

      <div className={styles.layout}>
        <div className={styles.column}>
          <section className={`card ${styles.summary}`} aria-labelledby="debt-summary">
            <h2 id="debt-summary">{t("detail.summary")}</h2>
            <dl className={styles.amounts}>
              <div>
                <dt>{t("detail.total")}</dt>
                <dd>{format.money(debt.amount, debt.currency)}</dd>
              </div>
              <div>
                <dt>{t("detail.paid")}</dt>
                <dd>{format.money(debt.amount_paid, debt.currency)}</dd>
              </div>
              <div>
                <dt>{t("detail.outstanding")}</dt>
                <dd>{format.money(debt.amount_outstanding, debt.currency)}</dd>
              </div>
              {(debt.overpayment_refunded ?? 0) > 0 && (
                <div>
                  <dt>{t("detail.overpaymentRefunded")}</dt>
                  <dd>{format.money(debt.overpayment_refunded ?? 0, debt.currency)}</dd>
                </div>
              )}
            </dl>
            <dl className={styles.facts}>
              <dt>{t("detail.status")}</dt>
              <dd>
                <DebtStatusBadge status={debt.status} />
              </dd>
              <dt>{t("fields.due_on")}</dt>
              <dd>
                {format.date(debt.due_on)}
                {debt.days_overdue > 0 && collectible && (
                  <span className={styles.overdue}> · {t("table.daysOverdue", { count: debt.days_overdue })}</span>
                )}
              </dd>
              {debt.issued_on && (
                <>
                  <dt>{t("fields.issued_on")}</dt>
                  <dd>{format.date(debt.issued_on)}</dd>
                </>
              )}
              <dt>{t("table.debtor")}</dt>
              <dd>
                <Link to={`/debtors/${encodeURIComponent(debt.debtor_id)}`}>{debtorName ?? t("table.viewDebtor")}</Link>
              </dd>
              <dt>{t("detail.reminders")}</dt>
              <dd>
                {inPlan
                  ? t("detail.remindersPlan")
                  : debt.reminders_paused
                    ? t("detail.remindersPaused")
                    : t("detail.remindersActive")}
              </dd>
              {debt.description && (
                <>
                  <dt>{t("fields.description")}</dt>
                  <dd>{debt.description}</dd>
                </>
              )}
              <dt>{t("detail.recorded")}</dt>
              <dd>
                {format.dateTime(debt.created_at)} · {t(`detail.source.${debt.source}`, { defaultValue: debt.source })}
              </dd>
            </dl>
          </section>

          <DebtPlan debt={debt} className={styles.later} />

          {debt.charges && <LatePaymentCharges debt={debt} charges={debt.charges} className={styles.later} />}

          {debt.line_items && debt.line_items.length > 0 && (
            <section className={`card ${styles.later}`} aria-labelledby="debt-lines">
              <h2 id="debt-lines">{t("form.lines")}</h2>
              <TableScroll>
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">{t("fields.description")}</th>
                      <th scope="col" className="num">
                        {t("detail.quantity")}
                      </th>
                      <th scope="col" className="num">
                        {t("detail.unitPrice")}
                      </th>
                      <th scope="col" className="num">
                        {t("table.amount")}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {debt.line_items.map((line, index) => (
                      <tr key={index}>
                        <td>{line.description}</td>
                        <td className="num">{line.quantity ?? 1}</td>
                        <td className="num">{format.money(line.unit_amount, debt.currency)}</td>
                        <td className="num">{format.money((line.quantity ?? 1) * line.unit_amount, debt.currency)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            </section>
          )}

          {panel && (
            <section className={`card ${styles.panel}`} ref={panelRef}>
              {panel === "payment" && <PaymentForm debt={debt} onDone={() => setPanel(null)} />}
              {panel === "plan" && (
                <OfferPlanForm
                  debt={debt}
                  onDone={() => {
                    setPanel(null);
                    setOffered(true);
                  }}
                  onCancel={() => setPanel(null)}
                />
              )}
              {panel === "edit" && <EditDebtForm key={debt.id} debt={debt} onDone={() => setPanel(null)} />}
              {panel === "dispute" && (
                <form onSubmit={submitDispute} aria-labelledby="dispute-title">
                  <h2 id="dispute-title">{t("dispute.title")}</h2>
                  <p className="muted small">{t("dispute.help")}</p>
                  <Field label={t("dispute.reason")} hint={t("form.optional")}>
                    <textarea className="textarea" rows={3} maxLength={1000} value={note} onChange={(event) => setNote(event.target.value)} />
                  </Field>
                  <div className="form-actions">
                    <Button type="submit" variant="primary" busy={action.isPending}>
                      {t("dispute.submit")}
                    </Button>
                    <Button onClick={() => setPanel(null)}>{t("common:actions.cancel")}</Button>
                  </div>
                </form>
              )}
            </section>
          )}

          <Timeline debtId={debt.id} currency={debt.currency} className={styles.later} />
        </div>

        <div className={styles.column}>
          <section className={`card ${styles.actionsCard}`} aria-labelledby="debt-actions">
            <h2 id="debt-actions">{t("actions.title")}</h2>
            {reason && (
              <p id={reasonId} className="muted small">
                {reason}
              </p>
            )}
            <div className={styles.actions}>
              <Button
                variant="primary"
                disabled={!payable}
                aria-describedby={reasonId}
                onClick={() => setPanel("payment")}
              >
                {t("actions.payment")}
              </Button>
              <Button
                disabled={!offerable}
                aria-describedby={reasonId}
                onClick={() => {
                  setOffered(false);
                  setPanel("plan");
                }}
              >
                {t("plans:offer.open")}
              </Button>
              <Button
                busy={remind.isPending}
                disabled={!collectible}
                aria-describedby={reasonId}
                onClick={() => remind.mutate()}
              >
                {t("actions.remind")}
              </Button>
              {debt.reminders_paused ? (
                <Button busy={action.isPending && action.variables?.action === "resume"} disabled={!open} aria-describedby={reasonId} onClick={() => run("resume")}>
                  {t("actions.resume")}
                </Button>
              ) : (
                <Button busy={action.isPending && action.variables?.action === "pause"} disabled={!open} aria-describedby={reasonId} onClick={() => run("pause")}>
                  {t("actions.pause")}
                </Button>
              )}
              <Button disabled={!open} aria-describedby={reasonId} onClick={() => setPanel("edit")}>
                {t("actions.edit")}
              </Button>
              {debt.status === "disputed" ? (
                <Button busy={action.isPending && action.variables?.action === "reopen"} onClick={() => run("reopen")}>
                  {t("actions.reopen")}
                </Button>
              ) : (
                <Button disabled={!collectible} aria-describedby={reasonId} onClick={() => setPanel("dispute")}>
                  {t("actions.dispute")}
                </Button>
              )}
              <Button variant="danger" disabled={!open} aria-describedby={reasonId} onClick={() => setConfirm("cancel")}>
                {t("actions.cancel")}
              </Button>
              <Button variant="danger" disabled={!open} aria-describedby={reasonId} onClick={() => setConfirm("write-off")}>
                {t("actions.writeOff")}
              </Button>
            </div>
          </section>
          <ReminderSteps debt={debt} editable={open} className={styles.last} />
        </div>
      </div>

      <ConfirmDialog
        open={confirm !== null}
        title={confirm === "write-off" ? t("confirm.writeOffTitle") : t("confirm.cancelTitle")}
        confirmLabel={confirm === "write-off" ? t("confirm.writeOff") : t("confirm.cancel")}
        danger
        busy={action.isPending}
        onConfirm={() => confirm && run(confirm, note)}
        onCancel={() => {
          setConfirm(null);
          setNote("");
        }}
      >
        <p>
          {confirm === "write-off"
            ? t("confirm.writeOffText", { amount: format.money(debt.amount_outstanding, debt.currency) })
            : t("confirm.cancelText")}
        </p>
        <Field label={t("confirm.note")} hint={t("form.optional")}>
          <textarea className="textarea" rows={2} maxLength={1000} value={note} onChange={(event) => setNote(event.target.value)} />
        </Field>
      </ConfirmDialog>
    </>
  );
}
