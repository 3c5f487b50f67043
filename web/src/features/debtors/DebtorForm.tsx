import { useMemo, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button, Field } from "../../ui";
import { KINDS, LOCALES, type FieldName, type FormErrors, type FormValues } from "./form";
import { timeZones } from "./timeZones";
import styles from "./Debtors.module.css";

interface DebtorFormProps {
  values: FormValues;
  onChange: (values: FormValues) => void;
  errors: FormErrors;
  onSubmit: () => void;
  submitLabel: string;
  busy: boolean;
  /** Shown above the actions: the API's message for an error no field holds. */
  message?: ReactNode;
  secondaryAction?: ReactNode;
}

/** The debtor's details, for a new debtor and for a correction: one input per field the API takes. */
export function DebtorForm({ values, onChange, errors, onSubmit, submitLabel, busy, message, secondaryAction }: DebtorFormProps) {
  const { t } = useTranslation("debtors");
  const zones = useMemo(() => timeZones(values.time_zone), [values.time_zone]);

  const set = (field: FieldName) => (event: { target: { value: string } }) =>
    onChange({ ...values, [field]: event.target.value });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy) onSubmit();
  };

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <div className="form-grid">
        <Field label={t("fields.name")} error={errors.name}>
          <input className="input" value={values.name} onChange={set("name")} autoComplete="off" required maxLength={200} />
        </Field>
        <Field label={t("fields.company")} hint={t("optional")} error={errors.company}>
          <input className="input" value={values.company} onChange={set("company")} autoComplete="off" maxLength={200} />
        </Field>
        <Field label={t("fields.kind")} hint={t("hints.kind")} error={errors.kind}>
          <select className="select" value={values.kind} onChange={set("kind")}>
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`kinds.${kind}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("fields.email")} hint={t("hints.email")} error={errors.email}>
          <input
            className="input"
            type="email"
            value={values.email}
            onChange={set("email")}
            autoComplete="off"
            required
            maxLength={254}
          />
        </Field>
        <Field label={t("fields.phone")} hint={t("optional")} error={errors.phone}>
          <input className="input" type="tel" value={values.phone} onChange={set("phone")} autoComplete="off" />
        </Field>
        <Field label={t("fields.locale")} hint={t("hints.locale")} error={errors.locale}>
          <select className="select" value={values.locale} onChange={set("locale")}>
            {LOCALES.map((locale) => (
              <option key={locale} value={locale}>
                {t(`locales.${locale}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("fields.time_zone")} hint={t("hints.time_zone")} error={errors.time_zone}>
          <select className="select" value={values.time_zone} onChange={set("time_zone")}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, " ")}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("fields.external_ref")} hint={t("hints.external_ref")} error={errors.external_ref}>
          <input className="input" value={values.external_ref} onChange={set("external_ref")} autoComplete="off" maxLength={64} />
        </Field>
      </div>
      <div className={styles.notes}>
        <Field label={t("fields.notes")} hint={t("hints.notes")} error={errors.notes}>
          <textarea className="textarea" value={values.notes} onChange={set("notes")} rows={4} maxLength={2000} />
        </Field>
      </div>
      {message}
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          {submitLabel}
        </Button>
        {secondaryAction}
      </div>
    </form>
  );
}
