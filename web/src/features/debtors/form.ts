/** The debtor form's values (all text, as typed) and how they become the API's bodies. */
import { type Debtor, type DebtorCreate, type DebtorKind, type DebtorLocale, type DebtorUpdate, type TimeZone } from "./api";

export const FIELDS = ["name", "company", "kind", "email", "phone", "locale", "time_zone", "external_ref", "notes"] as const;
export type FieldName = (typeof FIELDS)[number];
export type FormValues = Record<FieldName, string>;
export type FormErrors = Partial<Record<FieldName, string>>;

export const LOCALES: readonly DebtorLocale[] = ["en", "fr", "de"];
/** Late-payment law treats them apart: a consumer owes other interest, and no fixed compensation. */
export const KINDS: readonly DebtorKind[] = ["business", "consumer"];
const OPTIONAL: ReadonlySet<FieldName> = new Set(["company", "phone", "external_ref", "notes"]);

export function emptyValues(defaults: { locale?: string; time_zone?: string }): FormValues {
  return {
    name: "",
    company: "",
    kind: "business",
    email: "",
    phone: "",
    locale: defaults.locale && (LOCALES as readonly string[]).includes(defaults.locale) ? defaults.locale : "en",
    time_zone: defaults.time_zone ?? "UTC",
    external_ref: "",
    notes: "",
  };
}

export function valuesOf(debtor: Debtor): FormValues {
  return {
    name: debtor.name,
    company: debtor.company ?? "",
    kind: debtor.kind,
    email: debtor.email ?? "",
    phone: debtor.phone ?? "",
    locale: debtor.locale,
    time_zone: debtor.time_zone,
    external_ref: debtor.external_ref ?? "",
    notes: debtor.notes ?? "",
  };
}

/** The checks worth making before the API does: what is required and the address's shape (keys of messages). */
export function validate(values: FormValues): Partial<Record<FieldName, "required" | "email" | "phone">> {
  const errors: Partial<Record<FieldName, "required" | "email" | "phone">> = {};
  if (!values.name.trim()) errors.name = "required";
  const email = values.email.trim();
  if (!email) errors.email = "required";
  else if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) errors.email = "email";
  const phone = values.phone.trim();
  if (phone && !/^\+?[0-9 ().-]{4,32}$/.test(phone)) errors.phone = "phone";
  return errors;
}

function cleaned(values: FormValues, field: FieldName): string | null {
  const value = field === "notes" ? values.notes : values[field].trim();
  return value.trim() === "" ? null : value;
}

export function createBody(values: FormValues): DebtorCreate {
  return {
    name: values.name.trim(),
    email: values.email.trim(),
    company: cleaned(values, "company"),
    phone: cleaned(values, "phone"),
    external_ref: cleaned(values, "external_ref"),
    notes: cleaned(values, "notes"),
    kind: values.kind as DebtorKind,
    locale: values.locale as DebtorLocale,
    time_zone: values.time_zone as TimeZone,
  };
}

/** The fields whose value differs between two versions of the form (trimmed as the API stores them). */
export function changedFields(before: FormValues, after: FormValues): FieldName[] {
  return FIELDS.filter((field) => normalised(before, field) !== normalised(after, field));
}

function normalised(values: FormValues, field: FieldName): string {
  return field === "notes" ? values.notes.trim() : values[field].trim();
}

/** A PATCH with only the given fields (an emptied optional one is cleared with null) and the version read. */
export function updateBody(values: FormValues, fields: readonly FieldName[], version: number): DebtorUpdate {
  const body: Record<string, unknown> = { version };
  for (const field of fields) {
    body[field] = OPTIONAL.has(field) ? cleaned(values, field) : values[field].trim();
  }
  return body as DebtorUpdate;
}
