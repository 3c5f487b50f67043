/** The workspace's own settings (PATCH /workspace): owners and admins change them, members read them. */
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { can, type Session } from "../../app/session";
import { Button, Field, Notice } from "../../ui";
import { useSaveWorkspace, type Workspace, type WorkspaceUpdate } from "./api";
import { formErrors, looksLikeEmail } from "./forms";
import { WorkspaceSettingsCard } from "./WorkspaceSettingsCard";
import styles from "./AccountPage.module.css";

const LANGUAGES = ["en", "fr", "de"] as const;
const FIELDS = [
  "name",
  "legal_name",
  "sender_name",
  "reply_to",
  "default_currency",
  "time_zone",
  "locale",
  "promise_max_days",
  "refund_overpayments",
  "postal_address",
] as const;

interface Draft {
  name: string;
  legal_name: string;
  sender_name: string;
  reply_to: string;
  default_currency: string;
  time_zone: string;
  locale: string;
  promise_max_days: string;
  refund_overpayments: boolean;
  line1: string;
  line2: string;
  postal_code: string;
  city: string;
  region: string;
  country: string;
}

function draftOf(workspace: Workspace): Draft {
  const address = workspace.postal_address;
  return {
    name: workspace.name,
    legal_name: workspace.legal_name ?? "",
    sender_name: workspace.sender_name ?? "",
    reply_to: workspace.reply_to ?? "",
    default_currency: workspace.default_currency,
    time_zone: workspace.time_zone,
    locale: workspace.locale,
    promise_max_days: String(workspace.promise_max_days),
    refund_overpayments: workspace.refund_overpayments,
    line1: address?.line1 ?? "",
    line2: address?.line2 ?? "",
    postal_code: address?.postal_code ?? "",
    city: address?.city ?? "",
    region: address?.region ?? "",
    country: address?.country ?? "",
  };
}

/** Only what changed: an emptied optional field is cleared (null); the required ones are never sent empty. */
function changesOf(before: Draft, after: Draft): WorkspaceUpdate {
  const body: Record<string, unknown> = {};
  const text = (key: "name" | "legal_name" | "sender_name" | "reply_to", optional: boolean) => {
    if (after[key].trim() !== before[key].trim()) body[key] = after[key].trim() || (optional ? null : undefined);
  };
  text("name", false);
  text("legal_name", true);
  text("sender_name", true);
  text("reply_to", true);
  if (after.default_currency.trim().toUpperCase() !== before.default_currency) {
    body.default_currency = after.default_currency.trim().toUpperCase();
  }
  if (after.time_zone.trim() !== before.time_zone) body.time_zone = after.time_zone.trim();
  if (after.locale !== before.locale) body.locale = after.locale;
  if (after.promise_max_days !== before.promise_max_days) body.promise_max_days = Number(after.promise_max_days);
  if (after.refund_overpayments !== before.refund_overpayments) body.refund_overpayments = after.refund_overpayments;
  const addressKeys = ["line1", "line2", "postal_code", "city", "region", "country"] as const;
  if (addressKeys.some((key) => after[key].trim() !== before[key].trim())) {
    body.postal_address = addressKeys.every((key) => !after[key].trim())
      ? null
      : {
          line1: after.line1.trim(),
          line2: after.line2.trim(),
          postal_code: after.postal_code.trim(),
          city: after.city.trim(),
          region: after.region.trim(),
          country: after.country.trim().toUpperCase(),
        };
  }
  return body as WorkspaceUpdate;
}

function check(draft: Draft, t: (key: string) => string): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!draft.name.trim()) problems.name = t("workspace.required");
  if (draft.reply_to.trim() && !looksLikeEmail(draft.reply_to)) problems.reply_to = t("profile.emailInvalid");
  if (!/^[A-Za-z]{3}$/.test(draft.default_currency.trim())) problems.default_currency = t("workspace.currencyInvalid");
  const days = Number(draft.promise_max_days);
  if (!Number.isInteger(days) || days < 1 || days > 180) problems.promise_max_days = t("workspace.daysInvalid");
  const address = [draft.line1, draft.line2, draft.postal_code, draft.city, draft.region, draft.country];
  if (address.some((part) => part.trim())) {
    if (!draft.line1.trim() || !draft.city.trim() || !/^[A-Za-z]{2}$/.test(draft.country.trim())) {
      problems.postal_address = t("workspace.addressIncomplete");
    }
  }
  return problems;
}

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return [];
  }
}

export function WorkspaceSection({ session }: { session: Session }) {
  const { t } = useTranslation("account");
  const manager = can(session.role, "workspace:update");
  return (
    <WorkspaceSettingsCard
      id="workspace-title"
      title={t("workspace.title")}
      lead={!manager && <Notice>{t("workspace.memberNotice")}</Notice>}
      saved={t("workspace.saved")}
      form={(workspace, onSaved) => (
        <WorkspaceForm key={workspace.updated_at} workspace={workspace} readOnly={!manager} onSaved={onSaved} />
      )}
    />
  );
}

interface WorkspaceFormProps {
  workspace: Workspace;
  readOnly: boolean;
  onSaved: (version: string) => void;
}

function WorkspaceForm({ workspace, readOnly, onSaved }: WorkspaceFormProps) {
  const { t } = useTranslation("account");
  const initial = draftOf(workspace);
  const [draft, setDraft] = useState<Draft>(initial);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [zones] = useState(timeZones);
  const save = useSaveWorkspace();
  const errors = formErrors(save.error, t("common:error.generic"), FIELDS);
  const changes = changesOf(initial, draft);
  const dirty = Object.keys(changes).length > 0;

  function set<K extends keyof Draft>(key: K, value: Draft[K]) {
    save.reset();
    setDraft((current) => ({ ...current, [key]: value }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const problems = check(draft, t);
    setLocal(problems);
    if (Object.keys(problems).length === 0 && dirty && !save.isPending) {
      save.mutate(changes, { onSuccess: (updated) => onSaved(updated.updated_at) });
    }
  }

  const error = (field: string) => local[field] ?? errors.fields[field];
  const text = (key: "name" | "legal_name" | "sender_name", label: string, hint?: string, max = 120) => (
    <Field label={label} hint={hint} error={error(key)}>
      <input
        className="input"
        value={draft[key]}
        maxLength={max}
        readOnly={readOnly}
        onChange={(event) => set(key, event.target.value)}
      />
    </Field>
  );

  return (
    <form onSubmit={submit} noValidate>
      {errors.form && <Notice tone="danger">{errors.form}</Notice>}
      <div className="form-grid">
        {text("name", t("workspace.name"))}
        {text("legal_name", t("workspace.legalName"), t("workspace.legalNameHint"), 200)}
        {text("sender_name", t("workspace.senderName"), t("workspace.senderNameHint"))}
        <Field label={t("workspace.replyTo")} hint={t("workspace.replyToHint")} error={error("reply_to")}>
          <input
            className="input"
            type="email"
            maxLength={254}
            value={draft.reply_to}
            readOnly={readOnly}
            onChange={(event) => set("reply_to", event.target.value)}
          />
        </Field>
        <Field label={t("workspace.currency")} hint={t("workspace.currencyHint")} error={error("default_currency")}>
          <input
            className="input"
            maxLength={3}
            autoCapitalize="characters"
            value={draft.default_currency}
            readOnly={readOnly}
            onChange={(event) => set("default_currency", event.target.value.toUpperCase())}
          />
        </Field>
        <Field label={t("workspace.timeZone")} error={error("time_zone")}>
          <input
            className="input"
            list="workspace-time-zones"
            value={draft.time_zone}
            readOnly={readOnly}
            onChange={(event) => set("time_zone", event.target.value)}
          />
        </Field>
        <Field label={t("workspace.locale")} hint={t("workspace.localeHint")} error={error("locale")}>
          <select
            className="select"
            value={draft.locale}
            disabled={readOnly}
            onChange={(event) => set("locale", event.target.value)}
          >
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {t(`workspace.languages.${language}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("workspace.promiseDays")} hint={t("workspace.promiseDaysHint")} error={error("promise_max_days")}>
          <input
            className="input"
            type="number"
            inputMode="numeric"
            min={1}
            max={180}
            value={draft.promise_max_days}
            readOnly={readOnly}
            onChange={(event) => set("promise_max_days", event.target.value)}
          />
        </Field>
      </div>
      <datalist id="workspace-time-zones">
        {zones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <label className={`checkbox ${styles.checkbox}`}>
        <input
          type="checkbox"
          checked={draft.refund_overpayments}
          disabled={readOnly}
          onChange={(event) => set("refund_overpayments", event.target.checked)}
        />
        <span>{t("workspace.refund")}</span>
      </label>
      {error("refund_overpayments") && <p className="field-error">{error("refund_overpayments")}</p>}

      <fieldset className={styles.fieldset}>
        <legend>{t("workspace.address")}</legend>
        <p className="small muted">{t("workspace.addressHint")}</p>
        {error("postal_address") && (
          <p className="field-error" role="alert">
            {error("postal_address")}
          </p>
        )}
        <div className="form-grid">
          {(["line1", "line2", "postal_code", "city", "region", "country"] as const).map((key) => (
            <Field key={key} label={t(`workspace.addressParts.${key}`)}>
              <input
                className="input"
                value={draft[key]}
                maxLength={key === "country" ? 2 : key === "postal_code" ? 20 : 200}
                readOnly={readOnly}
                autoComplete={ADDRESS_AUTOCOMPLETE[key]}
                onChange={(event) => set(key, key === "country" ? event.target.value.toUpperCase() : event.target.value)}
              />
            </Field>
          ))}
        </div>
      </fieldset>
      {!readOnly && (
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={save.isPending} disabled={!dirty}>
            {t("workspace.save")}
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

const ADDRESS_AUTOCOMPLETE = {
  line1: "address-line1",
  line2: "address-line2",
  postal_code: "postal-code",
  city: "address-level2",
  region: "address-level1",
  country: "country",
} as const;
