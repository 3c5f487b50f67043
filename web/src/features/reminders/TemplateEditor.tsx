/**
 * The wording of each template, per language (en/fr/de tabs), with the variables the renderer accepts
 * (templates.py `VARIABLES`) and a live preview beside it. A template without the business's own wording in a
 * language uses the workspace's wording in another language if it has one, else Collectra's built-in text
 * (templates.py `source_of`): the panel says which.
 */
import { useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { Badge, Button, ConfirmDialog, Field } from "../../ui";
import { usePreferences } from "../../prefs/PreferencesProvider";
import {
  BUILT_IN_TEMPLATES,
  TEMPLATE_LOCALES,
  TEMPLATE_NAME,
  TONES,
  type FieldErrors,
  type BuiltInWording,
  type PolicyDraft,
  type StepDraft,
  type TemplateLocale,
  type Tone,
  type Wording,
} from "./policyForm";
import { TemplatePreview } from "./TemplatePreview";
import styles from "./Reminders.module.css";

type Templates = PolicyDraft["templates"];

/** Each variable a template may use, as the renderer names it; the two links are required in the text. */
const VARIABLES = [
  "debtor_name",
  "creditor_name",
  "creditor_address",
  "total_outstanding",
  "pay_link",
  "contact_link",
  "opt_out_link",
] as const;
const REQUIRED = new Set(["pay_link", "opt_out_link"]);
const INVOICE_LOOP =
  "{% for invoice in invoices %}- {{ invoice.number }}: {{ invoice.outstanding }} ({{ invoice.due_label }} {{ invoice.due_date }})\n{% endfor %}";

/** The language names as their speakers write them. */
const LANGUAGE_NAMES: Record<TemplateLocale, string> = { en: "English", fr: "Français", de: "Deutsch" };

interface Props {
  templates: Templates;
  /** The workspace's wording as saved (what a preview without a draft renders). */
  savedTemplates: Templates;
  /** Collectra's own wording, from the API: where a business's own starts. */
  builtInWording: BuiltInWording;
  steps: StepDraft[];
  errors: FieldErrors;
  readOnly: boolean;
  onChange: (templates: Templates) => void;
}

export function TemplateEditor({ templates, savedTemplates, builtInWording, steps, errors, readOnly, onChange }: Props) {
  const { t } = useTranslation("reminders");
  const { preferences } = usePreferences();
  // In a sentence a language is named in the reader's language ("French"); its tab keeps its own name.
  const spoken = new Intl.DisplayNames([preferences.locale], { type: "language" });
  const languageName = (code: string) => spoken.of(code) ?? code;
  const [name, setName] = useState<string>(steps[0]?.template ?? "friendly");
  const [locale, setLocale] = useState<TemplateLocale>(preferences.locale);
  const [newName, setNewName] = useState("");
  const [newNameError, setNewNameError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<null | "language" | "template">(null);
  const textArea = useRef<HTMLTextAreaElement>(null);
  const tabs = useRef<Record<string, HTMLButtonElement | null>>({});

  const names = [...new Set([...BUILT_IN_TEMPLATES, ...Object.keys(templates), ...steps.map((step) => step.template)])];
  const builtIn = BUILT_IN_TEMPLATES.includes(name);
  const own = templates[name] ?? {};
  const wording = own[locale];
  // Unchanged wording is previewed as saved (no draft), the same request the screen starts with the policy's read.
  const savedWording = savedTemplates[name]?.[locale];
  const sameAsSaved =
    wording === undefined ? savedWording === undefined : JSON.stringify(wording) === JSON.stringify(savedWording);
  const usedBy = steps.flatMap((step, index) => (step.template === name ? [index + 1] : []));
  const label = (template: string) => (BUILT_IN_TEMPLATES.includes(template) ? t(`tones.${template}`) : template);
  const errorIn = (template: string, language: string) =>
    Object.keys(errors).some((key) => key.startsWith(`templates.${template}.${language}.`));

  // A refused save shows the first template it names, so its error is in view (state adjusted while rendering).
  const [shownErrors, setShownErrors] = useState(errors);
  if (shownErrors !== errors) {
    setShownErrors(errors);
    const first = Object.keys(errors).find((key) => key.startsWith("templates."));
    const [, template, language] = first?.split(".") ?? [];
    if (template) setName(template);
    if (language && (TEMPLATE_LOCALES as readonly string[]).includes(language)) setLocale(language as TemplateLocale);
  }

  const setWording = (next: Wording | undefined) => {
    const texts = { ...own };
    if (next) texts[locale] = next;
    else delete texts[locale];
    const result = { ...templates };
    if (Object.keys(texts).length || !builtIn) result[name] = texts;
    else delete result[name];
    onChange(result);
  };

  const starter = (template: string): Wording => {
    const tone: Tone = (TONES as readonly string[]).includes(template) ? (template as Tone) : "friendly";
    const wording = builtInWording[locale]?.[tone] ?? builtInWording.en?.[tone];
    return { subject: wording?.subject ?? "", text: wording?.text ?? "" };
  };

  const insert = (snippet: string) => {
    if (!wording) return;
    const area = textArea.current;
    const start = area?.selectionStart ?? wording.text.length;
    const end = area?.selectionEnd ?? start;
    const text = wording.text.slice(0, start) + snippet + wording.text.slice(end);
    setWording({ ...wording, text });
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(start + snippet.length, start + snippet.length);
    });
  };

  const addTemplate = () => {
    const wanted = newName.trim().toLowerCase();
    if (!TEMPLATE_NAME.test(wanted)) return setNewNameError(t("templates.nameInvalid"));
    if (names.includes(wanted)) return setNewNameError(t("templates.nameTaken"));
    setNewNameError(null);
    setNewName("");
    onChange({ ...templates, [wanted]: { [locale]: starter("friendly") } });
    setName(wanted);
  };

  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    const index = TEMPLATE_LOCALES.indexOf(locale);
    const move = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!move) return;
    event.preventDefault();
    const next = TEMPLATE_LOCALES[(index + move + TEMPLATE_LOCALES.length) % TEMPLATE_LOCALES.length]!;
    setLocale(next);
    tabs.current[next]?.focus();
  };

  // Which wording a debtor reading `locale` gets when the template has none of the business's own in it.
  const fallback = Object.keys(own).find((language) => own[language as TemplateLocale]) as TemplateLocale | undefined;

  return (
    <section className="card" aria-labelledby="wording-title">
      <h2 id="wording-title">{t("templates.title")}</h2>
      <p className="muted">{t("templates.intro")}</p>
      <div className={styles.templatePicker}>
        <Field label={t("templates.template")} hint={usedBy.length ? t("templates.usedBy", { steps: usedBy.join(", ") }) : t("templates.unused")}>
          <select className="select" value={name} onChange={(event) => setName(event.target.value)}>
            {names.map((template) => (
              <option key={template} value={template}>
                {label(template)}
                {TEMPLATE_LOCALES.some((language) => errorIn(template, language)) ? ` ⚠ ${t("templates.hasErrors")}` : ""}
              </option>
            ))}
          </select>
        </Field>
        {!readOnly && (
          <div className={styles.addTemplate}>
            <Field label={t("templates.newName")} hint={t("templates.newNameHint")} error={newNameError}>
              <input
                className="input"
                value={newName}
                maxLength={40}
                onChange={(event) => setNewName(event.target.value)}
                onKeyDown={(event) => {
                  if (event.key === "Enter") {
                    event.preventDefault();
                    addTemplate();
                  }
                }}
              />
            </Field>
            <Button onClick={addTemplate} className={styles.addTemplateButton}>
              {t("templates.add")}
            </Button>
          </div>
        )}
      </div>

      <div role="tablist" aria-label={t("templates.languages")} className={styles.tabs}>
        {TEMPLATE_LOCALES.map((language) => (
          <button
            key={language}
            ref={(element) => {
              tabs.current[language] = element;
            }}
            type="button"
            role="tab"
            id={`wording-tab-${language}`}
            aria-controls="wording-panel"
            aria-selected={language === locale}
            tabIndex={language === locale ? 0 : -1}
            className={styles.tab}
            onClick={() => setLocale(language)}
            onKeyDown={onTabKey}
          >
            {LANGUAGE_NAMES[language]}
            {own[language] && <span className="visually-hidden">{` (${t("templates.ownShort")})`}</span>}
            {own[language] && <span className={styles.tabDot} aria-hidden="true" />}
            {errorIn(name, language) && <Badge tone="danger">!</Badge>}
          </button>
        ))}
      </div>

      <div className={styles.wordingLayout}>
        <div role="tabpanel" id="wording-panel" aria-labelledby={`wording-tab-${locale}`} className={styles.wordingPanel}>
          {wording ? (
            <>
              <Field label={t("templates.subject")} error={errors[`templates.${name}.${locale}.subject`]}>
                <input
                  className="input"
                  value={wording.subject}
                  readOnly={readOnly}
                  maxLength={200}
                  onChange={(event) => setWording({ ...wording, subject: event.target.value })}
                />
              </Field>
              <Field
                label={t("templates.text")}
                hint={t("templates.textHint")}
                error={errors[`templates.${name}.${locale}.text`]}
              >
                <textarea
                  ref={textArea}
                  className={`textarea ${styles.wordingText}`}
                  value={wording.text}
                  readOnly={readOnly}
                  maxLength={10_000}
                  rows={14}
                  onChange={(event) => setWording({ ...wording, text: event.target.value })}
                />
              </Field>
              {!readOnly && (
                <div className="row">
                  <Button small onClick={() => setConfirm("language")}>
                    {builtIn && !fallbackOther(own, locale) ? t("templates.useBuiltIn") : t("templates.removeLanguage")}
                  </Button>
                </div>
              )}
            </>
          ) : (
            <div className={styles.noWording}>
              <p>
                {fallback
                  ? t("templates.fallsBackToOwn", { language: languageName(locale), other: languageName(fallback) })
                  : builtIn
                    ? t("templates.builtInUsed", { language: languageName(locale) })
                    : t("templates.customFallsBack", { language: languageName(locale) })}
              </p>
              {!readOnly && (
                <Button variant="primary" onClick={() => setWording(starter(name))}>
                  {t("templates.write")}
                </Button>
              )}
            </div>
          )}

          <details className={styles.variables} open={!!wording && !readOnly}>
            <summary>{t("variables.title")}</summary>
            <p className="muted small">{t("variables.intro")}</p>
            <ul className={styles.variableList}>
              {VARIABLES.map((variable) => (
                <li key={variable}>
                  <code>{`{{ ${variable} }}`}</code>
                  {REQUIRED.has(variable) && <Badge tone="warning">{t("variables.required")}</Badge>}
                  <span className="muted small">{t(`variables.${variable}`)}</span>
                  {wording && !readOnly && (
                    <Button small variant="ghost" onClick={() => insert(`{{ ${variable} }}`)} aria-label={t("variables.insertNamed", { name: variable })}>
                      {t("variables.insert")}
                    </Button>
                  )}
                </li>
              ))}
              <li>
                <code>{"{% for invoice in invoices %} … {% endfor %}"}</code>
                <span className="muted small">{t("variables.invoices")}</span>
                {wording && !readOnly && (
                  <Button small variant="ghost" onClick={() => insert(INVOICE_LOOP)} aria-label={t("variables.insertNamed", { name: "invoices" })}>
                    {t("variables.insert")}
                  </Button>
                )}
              </li>
            </ul>
          </details>

          {!readOnly && !builtIn && (
            <div className={styles.deleteTemplate}>
              <Button small variant="danger" disabled={usedBy.length > 0} onClick={() => setConfirm("template")}>
                {t("templates.delete")}
              </Button>
              {usedBy.length > 0 && <span className="muted small">{t("templates.deleteUsed")}</span>}
            </div>
          )}
        </div>
        <TemplatePreview template={name} locale={locale} wording={sameAsSaved ? undefined : wording} />
      </div>

      <ConfirmDialog
        open={confirm !== null}
        title={confirm === "template" ? t("templates.deleteTitle", { name }) : t("templates.removeTitle", { language: languageName(locale) })}
        confirmLabel={confirm === "template" ? t("templates.delete") : t("templates.removeConfirm")}
        danger
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          if (confirm === "template") {
            const result = { ...templates };
            delete result[name];
            onChange(result);
            setName("friendly");
          } else {
            setWording(undefined);
          }
          setConfirm(null);
        }}
      >
        <p>{confirm === "template" ? t("templates.deleteText") : t("templates.removeText")}</p>
      </ConfirmDialog>
    </section>
  );
}

function fallbackOther(own: Partial<Record<TemplateLocale, Wording>>, locale: TemplateLocale): boolean {
  return Object.keys(own).some((language) => language !== locale && own[language as TemplateLocale]);
}
