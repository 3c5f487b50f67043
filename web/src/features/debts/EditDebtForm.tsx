import { useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { ApiError, unwrap } from "../../api/errors";
import { minorUnitsPerMajor, parseMoney } from "../../i18n/format";
import { useFormat } from "../../i18n/useFormat";
import { Button, Field, Notice, errorMessage } from "../../ui";
import { useDebtSaved, type DebtUpdate } from "./api";
import { fieldErrorsOf } from "./fieldErrors";
import { LineItemsEditor, readLines, type LineDraft } from "./LineItemsEditor";
import type { Debt } from "./types";
import styles from "./DebtPage.module.css";
import { TableScroll } from "../../ui";

interface Draft {
  invoice_number: string;
  amount: string;
  issued_on: string;
  due_on: string;
  description: string;
  lines: LineDraft[];
}

const FIELDS = ["invoice_number", "amount", "issued_on", "due_on", "description", "line_items"] as const;
type EditField = (typeof FIELDS)[number];

let lineKey = 1_000_000;

function draftOf(debt: Debt): Draft {
  const units = minorUnitsPerMajor(debt.currency);
  return {
    invoice_number: debt.invoice_number,
    amount: String(debt.amount / units),
    issued_on: debt.issued_on ?? "",
    due_on: debt.due_on,
    description: debt.description ?? "",
    lines: (debt.line_items ?? []).map((line) => ({
      key: lineKey++,
      description: line.description,
      quantity: String(line.quantity ?? 1),
      unitAmount: String(line.unit_amount / units),
    })),
  };
}

/** The lines as the API would store them, to compare two drafts. */
function linesKey(draft: Draft, currency: string): string {
  return JSON.stringify(readLines(draft.lines, currency).lines);
}

function same(field: EditField, a: Draft, b: Draft, currency: string): boolean {
  return field === "line_items" ? linesKey(a, currency) === linesKey(b, currency) : a[field] === b[field];
}

/** The PATCH body: only what differs from `base`, with `base`'s version; null when an amount cannot be read. */
function changesFrom(base: Debt, draft: Draft): DebtUpdate | null {
  const body: DebtUpdate = { version: base.version };
  const lines = readLines(draft.lines, base.currency);
  if (Object.keys(lines.errors).length > 0) return null;
  const amount = draft.lines.length > 0 ? lines.total : parseMoney(draft.amount, base.currency);
  if (amount === null) return null;
  if (!same("line_items", draft, draftOf(base), base.currency)) body.line_items = lines.lines.length ? lines.lines : null;
  if (draft.invoice_number.trim() !== base.invoice_number) body.invoice_number = draft.invoice_number.trim();
  if (amount !== base.amount) body.amount = amount;
  if ((draft.issued_on || null) !== (base.issued_on ?? null)) body.issued_on = draft.issued_on || null;
  if (draft.due_on !== base.due_on) body.due_on = draft.due_on;
  if ((draft.description.trim() || null) !== (base.description ?? null)) body.description = draft.description.trim() || null;
  return body;
}

/**
 * Correct a debt (PATCH with the version read). When someone else saved first (409 version_conflict), the
 * debt as saved now is read and shown beside the person's values; they can save theirs on top of the new
 * version, or take the saved ones.
 */
export function EditDebtForm({ debt, onDone }: { debt: Debt; onDone: () => void }) {
  const { t } = useTranslation("debts");
  const format = useFormat();
  const saved = useDebtSaved();
  const [base, setBase] = useState<Debt>(debt);
  const [draft, setDraft] = useState<Draft>(() => draftOf(debt));
  const [conflict, setConflict] = useState<Debt | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [lineErrors, setLineErrors] = useState<Record<number, string>>({});

  const save = useMutation({
    mutationFn: async (body: DebtUpdate) =>
      unwrap(await api.PATCH("/debts/{id}", { params: { path: { id: debt.id } }, body })),
    onSuccess: (updated) => {
      saved(updated);
      onDone();
    },
    onError: async (error) => {
      if (error instanceof ApiError && error.status === 409 && error.code === "version_conflict") {
        try {
          const current = unwrap(await api.GET("/debts/{id}", { params: { path: { id: debt.id } } }));
          saved(current);
          setConflict(current);
        } catch {
          setErrors({}); // the 409's own message is shown
        }
        return;
      }
      if (error instanceof ApiError && error.code === "invoice_number_taken") {
        setErrors({ invoice_number: error.message });
        return;
      }
      setErrors(fieldErrorsOf(error));
    },
  });

  const submitOn = (on: Debt, values: Draft) => {
    const found: Record<string, string> = {};
    if (!values.invoice_number.trim()) found.invoice_number = t("form.required.invoice");
    const lines = readLines(values.lines, on.currency);
    setLineErrors(lines.errors);
    if (Object.keys(lines.errors).length > 0) found.line_items = t("form.invalid.lines");
    const amount = values.lines.length > 0 ? lines.total : parseMoney(values.amount, on.currency);
    if (amount === null || amount <= 0) found.amount = t("form.invalid.amount");
    if (!values.due_on) found.due_on = t("form.required.dueOn");
    if (values.issued_on && values.due_on && values.issued_on > values.due_on) found.issued_on = t("form.invalid.issuedAfterDue");
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const body = changesFrom(on, values);
    if (!body) return;
    if (Object.keys(body).length === 1) {
      onDone(); // nothing changed
      return;
    }
    save.mutate(body);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    submitOn(base, draft);
  };

  /** The fields this person changed since they read the debt. */
  const mine = FIELDS.filter((field) => !same(field, draft, draftOf(base), base.currency));

  /** My changes on top of the version saved now: the other person's changes to other fields stay. */
  const retryOnSaved = () => {
    if (!conflict || save.isPending) return;
    const values = { ...draftOf(conflict) };
    for (const field of mine) {
      if (field === "line_items") values.lines = draft.lines;
      else values[field] = draft[field];
    }
    setBase(conflict);
    setDraft(values);
    setConflict(null);
    submitOn(conflict, values);
  };

  const takeSaved = () => {
    if (!conflict) return;
    setBase(conflict);
    setDraft(draftOf(conflict));
    setConflict(null);
    save.reset();
  };

  const shown = (field: EditField, values: Draft, currency: string): string => {
    if (field === "line_items") {
      const count = readLines(values.lines, currency).lines.length;
      return count ? t("timeline.lines", { count }) : "—";
    }
    const value = values[field];
    if (!value) return "—";
    if (field === "amount") {
      const minor = parseMoney(value, currency);
      return minor === null ? value : format.money(minor, currency);
    }
    if (field === "issued_on" || field === "due_on") return format.date(value);
    return value;
  };

  const set = (field: Exclude<EditField, "line_items">) => (event: { target: { value: string } }) =>
    setDraft((current) => ({ ...current, [field]: event.target.value }));

  /** New lines; the amount follows their total while they can be read. */
  const setLines = (lines: LineDraft[]) =>
    setDraft((current) => {
      const read = readLines(lines, debt.currency);
      const amount =
        lines.length > 0 && Object.keys(read.errors).length === 0
          ? String(read.total / minorUnitsPerMajor(debt.currency))
          : current.amount;
      return { ...current, lines, amount };
    });

  const otherError = save.isError && !conflict && Object.keys(errors).length === 0;
  return (
    <form onSubmit={submit} noValidate aria-labelledby="edit-title">
      <h2 id="edit-title">{t("edit.title")}</h2>
      {conflict && (
        <div className={styles.conflict} role="alert">
          <h3>{t("common:conflict.title")}</h3>
          <p>{t("common:conflict.text")}</p>
          <p className="small">{t("edit.retryHelp")}</p>
          <TableScroll>
            <table className="table">
              <caption className="visually-hidden">{t("edit.compare")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("edit.field")}</th>
                  <th scope="col">{t("edit.yours")}</th>
                  <th scope="col">{t("edit.savedNow")}</th>
                </tr>
              </thead>
              <tbody>
                {FIELDS.filter(
                  (field) => mine.includes(field) || !same(field, draftOf(conflict), draftOf(base), conflict.currency),
                ).map((field) => {
                    const yours = shown(field, draft, conflict.currency);
                    const theirs = shown(field, draftOf(conflict), conflict.currency);
                    return (
                      <tr key={field} className={yours !== theirs ? styles.differs : undefined}>
                        <th scope="row">{t(`fields.${field}`)}</th>
                        <td>{yours}</td>
                        <td>{theirs}</td>
                      </tr>
                    );
                  })}
              </tbody>
            </table>
          </TableScroll>
          <div className="form-actions">
            <Button variant="primary" busy={save.isPending} onClick={retryOnSaved}>
              {t("edit.saveMine")}
            </Button>
            <Button onClick={takeSaved}>{t("edit.takeSaved")}</Button>
          </div>
        </div>
      )}
      {otherError && <Notice tone="danger">{errorMessage(save.error, t("common:error.generic"))}</Notice>}
      <div className="form-grid">
        <Field label={t("fields.invoice_number")} error={errors.invoice_number}>
          <input className="input" value={draft.invoice_number} maxLength={64} onChange={set("invoice_number")} />
        </Field>
        <Field
          label={t("payment.amount", { currency: debt.currency })}
          hint={draft.lines.length > 0 ? t("form.amountFromLines") : undefined}
          error={errors.amount}
        >
          <input
            className="input"
            inputMode="decimal"
            value={draft.amount}
            readOnly={draft.lines.length > 0}
            onChange={set("amount")}
          />
        </Field>
        <Field label={t("fields.issued_on")} hint={t("form.optional")} error={errors.issued_on}>
          <input type="date" className="input" value={draft.issued_on} onChange={set("issued_on")} />
        </Field>
        <Field label={t("fields.due_on")} error={errors.due_on}>
          <input type="date" className="input" value={draft.due_on} onChange={set("due_on")} />
        </Field>
      </div>
      <Field label={t("fields.description")} hint={t("form.optional")} error={errors.description}>
        <textarea className="textarea" rows={3} maxLength={500} value={draft.description} onChange={set("description")} />
      </Field>
      <LineItemsEditor lines={draft.lines} onChange={setLines} errors={lineErrors} />
      {errors.line_items && <p className="field-error">{errors.line_items}</p>}
      {!conflict && (
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={save.isPending}>
            {t("common:actions.save")}
          </Button>
          <Button onClick={onDone}>{t("common:actions.cancel")}</Button>
        </div>
      )}
    </form>
  );
}
