/**
 * Late payment: whether the workspace claims the statutory interest and fixed compensation on overdue debts,
 * under which law, and how money in is allocated. Saved whole (the API takes the object, not a part of it).
 */
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { can, type Session } from "../../app/session";
import { Button, Field, Notice, errorMessage } from "../../ui";
import { ALLOCATIONS, JURISDICTIONS, latePaymentOf, useSaveWorkspace, type LatePayment } from "./api";
import { apiFieldError, draftOf, problemsOf, termsOf, type LatePaymentDraft } from "./latePayment";
import { WorkspaceSettingsCard } from "./WorkspaceSettingsCard";
import styles from "./AccountPage.module.css";

export function LatePaymentSection({ session }: { session: Session }) {
  const { t } = useTranslation("account");
  const manager = can(session.role, "workspace:update");
  return (
    <WorkspaceSettingsCard
      id="late-payment-title"
      title={t("latePayment.title")}
      lead={<p className="small muted">{t("latePayment.intro")}</p>}
      saved={t("latePayment.saved")}
      form={(workspace, onSaved) => (
        <LatePaymentForm
          key={workspace.updated_at}
          terms={latePaymentOf(workspace)}
          readOnly={!manager}
          onSaved={onSaved}
        />
      )}
    />
  );
}

interface FormProps {
  terms: LatePayment;
  readOnly: boolean;
  onSaved: (version: string) => void;
}

function LatePaymentForm({ terms, readOnly, onSaved }: FormProps) {
  const { t } = useTranslation("account");
  const initial = draftOf(terms);
  const [draft, setDraft] = useState<LatePaymentDraft>(initial);
  const [local, setLocal] = useState<ReturnType<typeof problemsOf>>({});
  const save = useSaveWorkspace();
  const dirty = JSON.stringify(termsOf(draft)) !== JSON.stringify(termsOf(initial));

  function set<K extends keyof LatePaymentDraft>(key: K, value: LatePaymentDraft[K]) {
    save.reset();
    setLocal({});
    setDraft((current) => ({ ...current, [key]: value }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const problems = problemsOf(draft);
    setLocal(problems);
    if (Object.keys(problems).length === 0 && dirty && !save.isPending) {
      save.mutate({ late_payment: termsOf(draft) }, { onSuccess: (updated) => onSaved(updated.updated_at) });
    }
  }

  const rateError = (local.contractual_rate && t(`latePayment.${local.contractual_rate}`)) || apiFieldError(save.error, "contractual_rate");
  const graceError = (local.grace_days && t(`latePayment.${local.grace_days}`)) || apiFieldError(save.error, "grace_days");
  const formError = save.isError && !rateError && !graceError ? errorMessage(save.error, t("common:error.generic")) : null;

  const checkbox = (key: "enabled" | "claim_interest" | "claim_compensation" | "pause_while_disputed") => (
    <label className={`checkbox ${styles.checkbox}`}>
      <input
        type="checkbox"
        checked={draft[key]}
        disabled={readOnly}
        onChange={(event) => set(key, event.target.checked)}
      />
      <span>{t(`latePayment.${key}`)}</span>
    </label>
  );

  return (
    <form onSubmit={submit} noValidate>
      {formError && <Notice tone="danger">{formError}</Notice>}
      {checkbox("enabled")}
      <div className="form-grid">
        <Field label={t("latePayment.jurisdiction")} hint={t(`latePayment.law.${draft.jurisdiction}`)}>
          <select
            className="select"
            value={draft.jurisdiction}
            disabled={readOnly}
            onChange={(event) => set("jurisdiction", event.target.value as LatePayment["jurisdiction"])}
          >
            {JURISDICTIONS.map((code) => (
              <option key={code} value={code}>
                {t(`latePayment.jurisdictions.${code}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("latePayment.contractualRate")} hint={t("latePayment.contractualRateHint")} error={rateError}>
          <input
            className="input"
            inputMode="decimal"
            maxLength={9}
            value={draft.contractual_rate}
            readOnly={readOnly}
            onChange={(event) => set("contractual_rate", event.target.value)}
          />
        </Field>
        <Field label={t("latePayment.graceDays")} hint={t("latePayment.graceDaysHint")} error={graceError}>
          <input
            className="input"
            type="number"
            inputMode="numeric"
            min={0}
            max={90}
            value={draft.grace_days}
            readOnly={readOnly}
            onChange={(event) => set("grace_days", event.target.value)}
          />
        </Field>
      </div>
      {checkbox("claim_interest")}
      {checkbox("claim_compensation")}
      {checkbox("pause_while_disputed")}
      <fieldset className={styles.fieldset}>
        <legend>{t("latePayment.allocation")}</legend>
        {ALLOCATIONS.map((order) => (
          <label key={order} className={`checkbox ${styles.checkbox}`}>
            <input
              type="radio"
              name="late-payment-allocation"
              value={order}
              checked={draft.allocation === order}
              disabled={readOnly}
              onChange={() => set("allocation", order)}
            />
            <span>{t(`latePayment.allocations.${order}`)}</span>
          </label>
        ))}
        <p className="small muted">{t("latePayment.statutoryExplained")}</p>
      </fieldset>
      {!readOnly && (
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={save.isPending} disabled={!dirty}>
            {t("latePayment.save")}
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
