/**
 * Payment plans: whether debtors may propose instalments on their page and within which rules (how many, over how
 * long, the first at least which share), whether such a proposal starts at once, and the grace days before a
 * missed instalment breaks a plan. The business can always offer a plan from a debt. Saved whole.
 */
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { can, type Session } from "../../app/session";
import { Button, Field, Notice, errorMessage } from "../../ui";
import { useSaveWorkspace } from "./api";
import { apiFieldError } from "./latePayment";
import { BOUNDS, NUMBERS, draftOf, paymentPlansOf, problemsOf, rulesOf, type NumberField, type PaymentPlansDraft } from "./paymentPlans";
import type { PaymentPlans } from "../plans/types";
import { WorkspaceSettingsCard } from "./WorkspaceSettingsCard";
import styles from "./AccountPage.module.css";

export function PaymentPlansSection({ session }: { session: Session }) {
  const { t } = useTranslation("account");
  const manager = can(session.role, "workspace:update");
  return (
    <WorkspaceSettingsCard
      id="payment-plans-title"
      title={t("paymentPlans.title")}
      lead={<p className="small muted">{t("paymentPlans.intro")}</p>}
      saved={t("paymentPlans.saved")}
      form={(workspace, onSaved) => (
        <PaymentPlansForm
          key={workspace.updated_at}
          rules={paymentPlansOf(workspace)}
          readOnly={!manager}
          onSaved={onSaved}
        />
      )}
    />
  );
}

interface FormProps {
  rules: PaymentPlans;
  readOnly: boolean;
  onSaved: (version: string) => void;
}

function PaymentPlansForm({ rules, readOnly, onSaved }: FormProps) {
  const { t } = useTranslation("account");
  const initial = draftOf(rules);
  const [draft, setDraft] = useState<PaymentPlansDraft>(initial);
  const [local, setLocal] = useState<ReturnType<typeof problemsOf>>({});
  const save = useSaveWorkspace();
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial);

  function set<K extends keyof PaymentPlansDraft>(key: K, value: PaymentPlansDraft[K]) {
    save.reset();
    setLocal({});
    setDraft((current) => ({ ...current, [key]: value }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const problems = problemsOf(draft);
    setLocal(problems);
    if (Object.keys(problems).length === 0 && dirty && !save.isPending) {
      save.mutate({ payment_plans: rulesOf(draft) }, { onSuccess: (updated) => onSaved(updated.updated_at) });
    }
  }

  const fieldError = (field: NumberField): string | null => {
    const bounds = local[field];
    if (bounds) return t("paymentPlans.outOfBounds", { min: bounds[0], max: bounds[1] });
    return apiFieldError(save.error, field, "payment_plans");
  };
  const shownErrors = NUMBERS.some((field) => fieldError(field));
  const formError = save.isError && !shownErrors ? errorMessage(save.error, t("common:error.generic")) : null;

  const checkbox = (key: "enabled" | "auto_approve") => (
    <label className={`checkbox ${styles.checkbox}`}>
      <input type="checkbox" checked={draft[key]} disabled={readOnly} onChange={(event) => set(key, event.target.checked)} />
      <span>{t(`paymentPlans.${key}`)}</span>
    </label>
  );

  return (
    <form onSubmit={submit} noValidate>
      {formError && <Notice tone="danger">{formError}</Notice>}
      {checkbox("enabled")}
      <div className="form-grid">
        {NUMBERS.map((field) => (
          <Field
            key={field}
            label={t(`paymentPlans.fields.${field}`)}
            hint={t(`paymentPlans.hints.${field}`, { min: BOUNDS[field][0], max: BOUNDS[field][1] })}
            error={fieldError(field)}
          >
            <input
              className="input"
              type="number"
              inputMode="numeric"
              min={BOUNDS[field][0]}
              max={BOUNDS[field][1]}
              value={draft[field]}
              readOnly={readOnly}
              onChange={(event) => set(field, event.target.value)}
            />
          </Field>
        ))}
      </div>
      {checkbox("auto_approve")}
      {!readOnly && (
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={save.isPending} disabled={!dirty}>
            {t("paymentPlans.save")}
          </Button>
          {dirty && (
            <Button
              onClick={() => {
                setDraft(initial);
                setLocal({});
                save.reset();
              }}
            >
              {t("workspace.discard")}
            </Button>
          )}
        </div>
      )}
    </form>
  );
}
