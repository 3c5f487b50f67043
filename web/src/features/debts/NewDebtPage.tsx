import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { ApiError, unwrap } from "../../api/errors";
import { useSession } from "../../app/session";
import { minorUnitsPerMajor, parseMoney } from "../../i18n/format";
import { Button, Field, Notice, PageHeader, errorMessage } from "../../ui";
import { debtKeys, type DebtCreate } from "./api";
import { DebtorPicker } from "./DebtorPicker";
import { fieldErrorsOf, formMessages } from "./fieldErrors";
import { LineItemsEditor, readLines, type LineDraft } from "./LineItemsEditor";
import { CURRENCIES_LIST_ID, CurrencyOptions } from "./currencies";
import type { Debtor } from "../debtors/api";
import styles from "./NewDebtPage.module.css";

type Errors = Partial<Record<"debtor_id" | "invoice_number" | "amount" | "currency" | "due_on" | "issued_on" | "description" | "line_items", string>>;

/** Record a debt: who owes it, the invoice, how much and when; the API's refusals at their fields. */
export default function NewDebtPage() {
  const { t } = useTranslation("debts");
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const session = useSession().data;
  const [debtor, setDebtor] = useState<Debtor | null>(null);
  const [invoice, setInvoice] = useState("");
  const [amount, setAmount] = useState("");
  const [currency, setCurrency] = useState<string | null>(null);
  const [issuedOn, setIssuedOn] = useState("");
  const [dueOn, setDueOn] = useState("");
  const [description, setDescription] = useState("");
  const [lines, setLines] = useState<LineDraft[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  const [lineErrors, setLineErrors] = useState<Record<number, string>>({});

  const chosenCurrency = (currency ?? session?.workspace.default_currency ?? "EUR").toUpperCase();
  const lineRead = readLines(lines, chosenCurrency);

  const create = useMutation({
    mutationFn: async (body: DebtCreate) => unwrap(await api.POST("/debts", { body })),
    onSuccess: (debt) => {
      queryClient.setQueryData(debtKeys.one(debt.id), debt);
      void queryClient.invalidateQueries({ queryKey: debtKeys.all });
      void queryClient.invalidateQueries({ queryKey: ["debtors"] });
      void navigate(`/debts/${encodeURIComponent(debt.id)}`);
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return;
      if (error.status === 422) setErrors(fieldErrorsOf(error) as Errors);
      else if (error.code === "invoice_number_taken") setErrors({ invoice_number: error.message });
      else if (error.code === "debtor_not_found" || error.code === "debtor_erased") setErrors({ debtor_id: error.message });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (create.isPending) return;
    const found: Errors = {};
    if (!debtor) found.debtor_id = t("form.required.debtor");
    if (!invoice.trim()) found.invoice_number = t("form.required.invoice");
    if (!/^[A-Z]{3}$/.test(chosenCurrency)) found.currency = t("form.invalid.currency");
    let minor: number | null;
    if (lines.length > 0) {
      setLineErrors(lineRead.errors);
      if (Object.keys(lineRead.errors).length > 0) found.line_items = t("form.invalid.lines");
      minor = lineRead.total;
      if (!found.line_items && minor <= 0) found.amount = t("form.invalid.amount");
    } else {
      setLineErrors({});
      minor = parseMoney(amount, chosenCurrency);
      if (!amount.trim()) found.amount = t("form.required.amount");
      else if (minor === null || minor <= 0) found.amount = t("form.invalid.amount");
    }
    if (!dueOn) found.due_on = t("form.required.dueOn");
    if (issuedOn && dueOn && issuedOn > dueOn) found.issued_on = t("form.invalid.issuedAfterDue");
    setErrors(found);
    if (Object.keys(found).length > 0 || !debtor || minor === null) return;
    create.mutate({
      debtor_id: debtor.id,
      invoice_number: invoice.trim(),
      amount: minor,
      currency: chosenCurrency as DebtCreate["currency"],
      due_on: dueOn,
      issued_on: issuedOn || null,
      description: description.trim() || null,
      line_items: lines.length > 0 ? lineRead.lines : null,
    });
  };

  const fieldErrorShown = Object.keys(errors).length > 0;
  return (
    <>
      <PageHeader title={t("new.title")} subtitle={t("new.subtitle")} />
      <form className={`card ${styles.form}`} onSubmit={submit} noValidate>
        {create.isError && !fieldErrorShown && (
          <Notice tone="danger">
            {formMessages(create.error).join(" ") || errorMessage(create.error, t("common:error.generic"))}
          </Notice>
        )}
        <DebtorPicker
          label={t("form.debtor")}
          value={debtor}
          onChange={(value) => {
            setDebtor(value);
            setErrors((current) => ({ ...current, debtor_id: undefined }));
          }}
          error={errors.debtor_id}
          offerCreate
          listBeforeTyping
        />
        <p className="small">
          <Link to="/debtors/new">{t("form.newDebtor")}</Link>
        </p>
        <div className={styles.fields}>
          <Field label={t("form.invoice")} error={errors.invoice_number}>
            <input
              className="input"
              value={invoice}
              maxLength={64}
              required
              onChange={(event) => setInvoice(event.target.value)}
            />
          </Field>
          <div className={styles.amountRow}>
            <Field
              label={t("form.amount")}
              hint={lines.length > 0 ? t("form.amountFromLines") : undefined}
              error={errors.amount}
            >
              <input
                className="input"
                inputMode="decimal"
                value={lines.length > 0 ? (lineRead.total / minorUnitsPerMajor(chosenCurrency)).toString() : amount}
                readOnly={lines.length > 0}
                required
                onChange={(event) => setAmount(event.target.value)}
              />
            </Field>
            <Field label={t("form.currency")} error={errors.currency}>
              <input
                className="input"
                list={CURRENCIES_LIST_ID}
                value={chosenCurrency}
                maxLength={3}
                autoComplete="off"
                onChange={(event) => setCurrency(event.target.value.toUpperCase())}
              />
            </Field>
          </div>
          <Field label={t("form.issuedOn")} hint={t("form.optional")} error={errors.issued_on}>
            <input type="date" className="input" value={issuedOn} onChange={(event) => setIssuedOn(event.target.value)} />
          </Field>
          <Field label={t("form.dueOn")} error={errors.due_on}>
            <input type="date" className="input" value={dueOn} required onChange={(event) => setDueOn(event.target.value)} />
          </Field>
        </div>
        <CurrencyOptions />
        <Field label={t("form.description")} hint={t("form.optional")} error={errors.description}>
          <textarea
            className="textarea"
            value={description}
            maxLength={500}
            rows={3}
            onChange={(event) => setDescription(event.target.value)}
          />
        </Field>
        <LineItemsEditor lines={lines} onChange={setLines} errors={lineErrors} />
        {errors.line_items && (
          <p className="field-error" role="alert">
            {errors.line_items}
          </p>
        )}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={create.isPending}>
            {t("new.submit")}
          </Button>
          <Link className="btn" to="/debts">
            {t("common:actions.cancel")}
          </Link>
        </div>
      </form>
    </>
  );
}
