/**
 * "Offer a payment plan" on a debt's screen: which of the debtor's open invoices in the debt's currency it covers
 * (this one by default), how many instalments from which day and how often; the schedule previewed with equal
 * amounts (the last taking the rounding), each date and amount editable. POST /debtors/{id}/plans: the plan is
 * offered, and the debtor accepts it on their page.
 */
import { useMemo, useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { ApiError, unwrap } from "../../api/errors";
import { useSession } from "../../app/session";
import { minorUnitsPerMajor, parseMoney } from "../../i18n/format";
import { useFormat } from "../../i18n/useFormat";
import { Button, Field, Notice, TableScroll, errorMessage } from "../../ui";
import type { DebtListQuery } from "../debts/api";
import type { Debt } from "../debts/types";
import { useOfferPlan } from "./api";
import {
  EVERY,
  MAX_INSTALMENTS,
  MAX_PLAN_DEBTS,
  MIN_INSTALMENTS,
  preview,
  problemsOf,
  todayIn,
  type Every,
  type Problem,
  type Row,
} from "./schedule";
import { planOf, type PlanCreate, type PlanView } from "./types";
import styles from "./Plans.module.css";

const COLLECTIBLE = ["open", "partially_paid"];

/** A debt that can join a plan: collectible, nothing on its way, something left to pay. */
export function canJoinPlan(debt: Debt): boolean {
  return COLLECTIBLE.includes(debt.status) && !debt.payment_processing && debt.amount_outstanding > 0 && !planOf(debt);
}

/** An amount in minor units as a person types it ("33.33"; "3333" for a currency without decimals). */
function amountText(minor: number, currency: string): string {
  const per = minorUnitsPerMajor(currency);
  return per === 1 ? String(minor) : (minor / per).toFixed(2);
}

interface Edits {
  dates: string[];
  amounts: string[];
}

/** Where the API's 422 puts each problem: `body.instalments[2].due_on` at that row, the rest above the form. */
function apiProblems(error: unknown): { rows: Record<number, { due_on?: string; amount?: string }>; form: string | null } {
  const rows: Record<number, { due_on?: string; amount?: string }> = {};
  if (!(error instanceof ApiError)) return { rows, form: error ? "" : null };
  let placed = false;
  if (error.status === 422 && Array.isArray(error.details)) {
    for (const item of error.details as unknown[]) {
      if (!item || typeof item !== "object") continue;
      const { field, loc, message, msg } = item as Record<string, unknown>;
      const path = typeof field === "string" ? field : Array.isArray(loc) ? loc.map(String).join(".") : "";
      const match = /instalments(?:\[|\.)(\d+)\]?\.(due_on|amount)/.exec(path);
      if (!match) continue;
      const text = error.code === "invalid_input" && typeof (message ?? msg) === "string" ? String(message ?? msg) : error.message;
      const row = (rows[Number(match[1])] ??= {});
      row[match[2] as "due_on" | "amount"] = text;
      placed = true;
    }
  }
  return { rows, form: placed ? null : error.message };
}

interface Props {
  debt: Debt;
  onDone: (plan: PlanView) => void;
  onCancel: () => void;
}

export function OfferPlanForm({ debt, onDone, onCancel }: Props) {
  const { t } = useTranslation("plans");
  const format = useFormat();
  const session = useSession();
  const today = todayIn(session.data?.workspace.time_zone);
  const offer = useOfferPlan(debt.debtor_id);

  // The debtor's other open invoices in this currency (read when the form opens, not with the screen).
  const others = useQuery({
    queryKey: ["debts", "list", { debtor_id: debt.debtor_id, currency: debt.currency, limit: 100, for: "plan" }],
    queryFn: async () =>
      unwrap(
        await api.GET("/debts", {
          params: { query: { debtor_id: debt.debtor_id, currency: debt.currency as DebtListQuery["currency"], limit: 100 } },
        }),
      ),
  });
  const candidates = useMemo(() => {
    const found = (others.data?.items ?? []).filter((item) => item.id !== debt.id && canJoinPlan(item));
    return [debt, ...found];
  }, [others.data, debt]);

  const [chosen, setChosen] = useState<string[]>([debt.id]);
  const [count, setCount] = useState("3");
  const [first, setFirst] = useState(today);
  const [every, setEvery] = useState<Every>("month");
  const [edits, setEdits] = useState<Edits | null>(null);
  const [note, setNote] = useState("");
  const [checked, setChecked] = useState(false);

  const total = candidates.filter((item) => chosen.includes(item.id)).reduce((sum, item) => sum + item.amount_outstanding, 0);
  const countNumber = Number(count);
  const countValid = Number.isInteger(countNumber) && countNumber >= MIN_INSTALMENTS && countNumber <= MAX_INSTALMENTS;
  const generated = countValid ? preview(total, countNumber, first, every) : [];
  const rows: Row[] = edits
    ? edits.dates.map((due_on, index) => ({ due_on, amount: parseMoney(edits.amounts[index] ?? "", debt.currency) ?? NaN }))
    : generated;
  const problems = countValid ? problemsOf(rows, total, today) : [{ kind: "count", min: MIN_INSTALMENTS, max: MAX_INSTALMENTS } as Problem];
  const fromApi = apiProblems(offer.error);

  const restart = () => {
    setEdits(null);
    setChecked(false);
    offer.reset();
  };
  const edit = (index: number, key: keyof Edits, value: string) => {
    offer.reset();
    setEdits((current) => {
      const base = current ?? {
        dates: generated.map((row) => row.due_on),
        amounts: generated.map((row) => amountText(row.amount, debt.currency)),
      };
      const next = { dates: [...base.dates], amounts: [...base.amounts] };
      next[key][index] = value;
      return next;
    });
  };
  const toggle = (id: string, on: boolean) => {
    restart();
    setChosen((current) => (on ? [...current, id] : current.filter((item) => item !== id)));
  };

  const rowProblem = (index: number, field: "due_on" | "amount"): string | undefined => {
    if (checked) {
      const problem = problems.find(
        (item) =>
          "index" in item &&
          item.index === index &&
          (field === "amount" ? item.kind === "amountInvalid" : item.kind !== "amountInvalid"),
      );
      if (problem) return problemText(problem);
    }
    return fromApi.rows[index]?.[field];
  };
  const problemText = (problem: Problem): string => {
    if (problem.kind === "sum") {
      return t("offer.problems.sum", { sum: format.money(problem.sum, debt.currency), total: format.money(problem.total, debt.currency) });
    }
    return t(`offer.problems.${problem.kind}`, { ...problem });
  };
  const debtsError = checked && chosen.length === 0 ? t("offer.noDebt") : chosen.length > MAX_PLAN_DEBTS ? t("offer.tooManyDebts", { max: MAX_PLAN_DEBTS }) : null;
  const wholeProblems = checked ? problems.filter((problem) => !("index" in problem) && problem.kind !== "count") : [];
  const countError = checked && problems.some((problem) => problem.kind === "count")
    ? t("offer.problems.count", { min: MIN_INSTALMENTS, max: MAX_INSTALMENTS })
    : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (offer.isPending || problems.length > 0 || chosen.length === 0 || chosen.length > MAX_PLAN_DEBTS) return;
    const amountsChanged = edits !== null && rows.some((row, index) => row.amount !== generated[index]?.amount);
    const body: PlanCreate = {
      debt_ids: candidates.filter((item) => chosen.includes(item.id)).map((item) => item.id),
      instalments: rows.map((row) => (amountsChanged ? { due_on: row.due_on, amount: row.amount } : { due_on: row.due_on })),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    offer.mutate(body, { onSuccess: onDone });
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="offer-plan-title">
      <h2 id="offer-plan-title">{t("offer.title")}</h2>
      <p className="muted small">{t("offer.help")}</p>
      {fromApi.form !== null && (
        <Notice tone="danger">{fromApi.form || errorMessage(offer.error, t("common:error.generic"))}</Notice>
      )}
      {wholeProblems.map((problem) => (
        <Notice key={problem.kind} tone="danger">
          {problemText(problem)}
        </Notice>
      ))}
      <fieldset className={styles.debts}>
        <legend>{t("offer.debts")}</legend>
        <p className="small muted">{t("offer.debtsHint", { currency: debt.currency, max: MAX_PLAN_DEBTS })}</p>
        {candidates.map((item) => (
          <label key={item.id} className="checkbox">
            <input type="checkbox" checked={chosen.includes(item.id)} onChange={(event) => toggle(item.id, event.target.checked)} />
            <span>
              {t("offer.debtLabel", {
                invoice: item.invoice_number,
                amount: format.money(item.amount_outstanding, item.currency),
                due: format.date(item.due_on),
              })}
            </span>
          </label>
        ))}
        {debtsError && <p className="field-error">{debtsError}</p>}
      </fieldset>
      <div className="form-grid">
        <Field label={t("offer.count")} hint={`${MIN_INSTALMENTS}–${MAX_INSTALMENTS}`} error={countError}>
          <input
            className="input"
            type="number"
            inputMode="numeric"
            min={MIN_INSTALMENTS}
            max={MAX_INSTALMENTS}
            value={count}
            onChange={(event) => {
              restart();
              setCount(event.target.value);
            }}
          />
        </Field>
        <Field label={t("offer.first")}>
          <input
            className="input"
            type="date"
            min={today}
            value={first}
            onChange={(event) => {
              restart();
              setFirst(event.target.value);
            }}
          />
        </Field>
        <Field label={t("offer.every")}>
          <select
            className="select"
            value={every}
            onChange={(event) => {
              restart();
              setEvery(event.target.value as Every);
            }}
          >
            {EVERY.map((option) => (
              <option key={option} value={option}>
                {t(`offer.everyOptions.${option}`)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {rows.length > 0 && (
        <>
          <h3 className={styles.scheduleTitle}>{t("offer.preview")}</h3>
          <TableScroll>
            <table className={`table ${styles.rows}`}>
              <caption className="visually-hidden">{t("offer.previewCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("number")}</th>
                  <th scope="col">{t("dueOn")}</th>
                  <th scope="col">{t("amount")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row, index) => {
                  const number = index + 1;
                  const dateError = rowProblem(index, "due_on");
                  const amountError = rowProblem(index, "amount");
                  return (
                    <tr key={index}>
                      <td>{number}</td>
                      <td>
                        <input
                          className="input"
                          type="date"
                          aria-label={t("offer.rowDate", { number })}
                          aria-invalid={dateError ? true : undefined}
                          aria-describedby={dateError ? `plan-row-${index}-date` : undefined}
                          value={edits ? edits.dates[index] : row.due_on}
                          onChange={(event) => edit(index, "dates", event.target.value)}
                        />
                        {dateError && (
                          <span className="field-error" id={`plan-row-${index}-date`}>
                            {dateError}
                          </span>
                        )}
                      </td>
                      <td>
                        <input
                          className="input"
                          inputMode="decimal"
                          aria-label={t("offer.rowAmount", { number, currency: debt.currency })}
                          aria-invalid={amountError ? true : undefined}
                          aria-describedby={amountError ? `plan-row-${index}-amount` : undefined}
                          value={edits ? edits.amounts[index] : amountText(row.amount, debt.currency)}
                          onChange={(event) => edit(index, "amounts", event.target.value)}
                        />
                        {amountError && (
                          <span className="field-error" id={`plan-row-${index}-amount`}>
                            {amountError}
                          </span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableScroll>
          <p className={styles.total}>{t("offer.total", { amount: format.money(total, debt.currency) })}</p>
          {edits && (
            <Button small onClick={restart}>
              {t("offer.reset")}
            </Button>
          )}
        </>
      )}
      <Field label={t("offer.note")} hint={t("reasonHint")}>
        <textarea className="textarea" rows={2} maxLength={500} value={note} onChange={(event) => setNote(event.target.value)} />
      </Field>
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={offer.isPending}>
          {t("offer.submit")}
        </Button>
        <Button onClick={onCancel}>{t("common:actions.cancel")}</Button>
      </div>
    </form>
  );
}
