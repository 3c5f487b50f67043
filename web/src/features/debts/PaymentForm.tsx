import { useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { parseMoney } from "../../i18n/format";
import { useFormat } from "../../i18n/useFormat";
import { Button, Field, Notice, errorMessage } from "../../ui";
import { useDebtSaved, type PaymentCreate } from "./api";
import { fieldErrorsOf } from "./fieldErrors";
import type { Debt } from "./types";

const METHODS: PaymentCreate["method"][] = ["bank_transfer", "cheque", "cash", "card_elsewhere", "other"];

const today = () => new Date().toISOString().slice(0, 10);

/** A payment received outside Collectra: amount (up to what is owed, charges included), date, method, reference. */
export function PaymentForm({ debt, onDone }: { debt: Debt; onDone: () => void }) {
  const { t } = useTranslation("debts");
  const format = useFormat();
  const saved = useDebtSaved();
  const [amount, setAmount] = useState("");
  const [receivedOn, setReceivedOn] = useState(today());
  const [method, setMethod] = useState<PaymentCreate["method"]>("bank_transfer");
  const [reference, setReference] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  // With late-payment charges claimed, a payment may settle them too (the API allocates it in the workspace's order).
  const owed = debt.charges ? debt.charges.total_due : debt.amount_outstanding;

  const record = useMutation({
    mutationFn: async (body: PaymentCreate) =>
      unwrap(await api.POST("/debts/{id}/payments", { params: { path: { id: debt.id } }, body })),
    onSuccess: (updated) => {
      saved(updated);
      onDone();
    },
    onError: (error) => setErrors(fieldErrorsOf(error)),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (record.isPending) return;
    const minor = parseMoney(amount, debt.currency);
    const found: Record<string, string> = {};
    if (!amount.trim()) found.amount = t("form.required.amount");
    else if (minor === null || minor <= 0) found.amount = t("form.invalid.amount");
    else if (minor > owed) found.amount = t("payment.tooMuch", { amount: format.money(owed, debt.currency) });
    if (!receivedOn) found.received_on = t("payment.dateRequired");
    setErrors(found);
    if (Object.keys(found).length > 0 || minor === null) return;
    record.mutate({ amount: minor, received_on: receivedOn, method, reference: reference.trim() || null });
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="payment-title">
      <h2 id="payment-title">{t("payment.title")}</h2>
      <p className="muted small">
        {t(debt.charges ? "payment.helpCharges" : "payment.help", { amount: format.money(owed, debt.currency) })}
      </p>
      {record.isError && Object.keys(errors).length === 0 && (
        <Notice tone="danger">{errorMessage(record.error, t("common:error.generic"))}</Notice>
      )}
      <div className="form-grid">
        <Field label={t("payment.amount", { currency: debt.currency })} error={errors.amount}>
          <input className="input" inputMode="decimal" value={amount} onChange={(event) => setAmount(event.target.value)} />
        </Field>
        <Field label={t("payment.receivedOn")} error={errors.received_on}>
          <input type="date" className="input" value={receivedOn} onChange={(event) => setReceivedOn(event.target.value)} />
        </Field>
        <Field label={t("payment.method")} error={errors.method}>
          <select
            className="select"
            value={method}
            onChange={(event) => setMethod(event.target.value as PaymentCreate["method"])}
          >
            {METHODS.map((value) => (
              <option key={value} value={value}>
                {t(`methods.${value ?? "other"}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("payment.reference")} hint={t("form.optional")} error={errors.reference}>
          <input className="input" value={reference} maxLength={120} onChange={(event) => setReference(event.target.value)} />
        </Field>
      </div>
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={record.isPending}>
          {t("payment.submit")}
        </Button>
        <Button onClick={onDone}>{t("common:actions.cancel")}</Button>
      </div>
    </form>
  );
}
