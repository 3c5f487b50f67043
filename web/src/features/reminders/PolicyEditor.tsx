/**
 * The reminder policy form: the steps on their timeline, repeats, sending hours and days, the weekly limit, BCC
 * and the wording (TemplateEditor). One Save sends the whole policy (PUT /workspace/reminder-policy); a 422
 * lands at the input it names. Read-only for members.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useBlocker } from "react-router";
import { api } from "../../api/client";
import { ApiError, unwrap } from "../../api/errors";
import { Button, ConfirmDialog, Field, Notice } from "../../ui";
import { usePreferences } from "../../prefs/PreferencesProvider";
import {
  MAX_OFFSET,
  MAX_STEPS,
  MIN_OFFSET,
  TONES,
  BUILT_IN_TEMPLATES,
  newStepKey,
  parseWhole,
  policyErrors,
  sortSteps,
  toDraft,
  toInput,
  validate,
  type FieldErrors,
  type PolicyView,
  type PolicyDraft,
  type StepDraft,
  type Tone,
} from "./policyForm";
import { StepsTimeline } from "./StepsTimeline";
import { TemplateEditor } from "./TemplateEditor";
import styles from "./Reminders.module.css";

export const policyKey = ["reminder-policy"] as const;

const HOURS_FROM = Array.from({ length: 24 }, (_, hour) => hour);
const HOURS_UNTIL = Array.from({ length: 24 }, (_, hour) => hour + 1);
const DAYS = [0, 1, 2, 3, 4, 5, 6];

const hourLabel = (hour: number) => `${String(hour).padStart(2, "0")}:00`;

function weekdayName(day: number, locale: string): string {
  // 2024-01-01 was a Monday: the API counts Monday as 0.
  return new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" }).format(Date.UTC(2024, 0, 1 + day));
}

interface Props {
  policy: PolicyView;
  readOnly: boolean;
}

export function PolicyEditor({ policy, readOnly }: Props) {
  const { t } = useTranslation("reminders");
  const { preferences } = usePreferences();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(policy);
  const [draft, setDraft] = useState<PolicyDraft>(() => toDraft(policy));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const [justSaved, setJustSaved] = useState(false);
  const errorSummary = useRef<HTMLDivElement>(null);
  // A double click submits twice before React re-renders the busy button: the second submit must see the first.
  const sending = useRef(false);

  const dirty = useMemo(
    () => JSON.stringify(toInput(draft)) !== JSON.stringify(toInput(toDraft(saved))),
    [draft, saved],
  );

  // Leaving with unsaved changes asks first (inside the app), and the browser asks on reload or close.
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && !readOnly && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (!dirty || readOnly) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty, readOnly]);

  const save = useMutation({
    mutationFn: async (draftToSave: PolicyDraft) =>
      unwrap(await api.PUT("/workspace/reminder-policy", { body: toInput(draftToSave) })),
    onSuccess: (answer) => {
      // PUT answers the policy alone; Collectra's own wording does not change.
      const result: PolicyView = { ...answer, built_in_templates: policy.built_in_templates };
      queryClient.setQueryData(policyKey, result);
      setSaved(result);
      setDraft(toDraft(result));
      setErrors({});
      setJustSaved(true);
    },
    onError: (error) => setErrors(policyErrors(error)),
    onSettled: () => {
      sending.current = false;
    },
  });

  useEffect(() => {
    if (Object.keys(errors).length || save.isError) errorSummary.current?.focus();
  }, [errors, save.isError]);

  const change = (update: Partial<PolicyDraft>) => {
    setJustSaved(false);
    setDraft((current) => ({ ...current, ...update }));
  };
  const changeStep = (key: string, update: Partial<StepDraft>) => {
    setJustSaved(false);
    setDraft((current) => ({
      ...current,
      steps: current.steps.map((step) => (step.key === key ? { ...step, ...update } : step)),
    }));
  };

  const messages = {
    offsetWhole: t("errors.offsetWhole"),
    offsetRange: t("errors.offsetRange", { min: MIN_OFFSET, max: MAX_OFFSET }),
    offsetTwice: t("errors.offsetTwice"),
    window: t("errors.window"),
    noDay: t("errors.noDay"),
    maxPerWeek: t("errors.maxPerWeek"),
    repeatEvery: t("errors.repeatEvery"),
    repeatTimes: t("errors.repeatTimes"),
    bcc: t("errors.bcc"),
    unknownTemplate: t("errors.unknownTemplate"),
    subjectRequired: t("errors.subjectRequired"),
    textRequired: t("errors.textRequired"),
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (readOnly || sending.current) return;
    // The API takes steps in order of offset: sort first, so that its errors name the steps as shown.
    const sorted = { ...draft, steps: sortSteps(draft.steps) };
    setDraft(sorted);
    const found = validate(sorted, messages);
    setErrors(found);
    save.reset();
    if (Object.keys(found).length === 0) {
      sending.current = true;
      save.mutate(sorted);
    }
  };

  const addStep = () => {
    const last = draft.steps[draft.steps.length - 1];
    const lastOffset = last ? (parseWhole(last.offset) ?? 0) : -1;
    const step: StepDraft = {
      key: newStepKey(),
      offset: String(Math.min(lastOffset + 7, MAX_OFFSET)),
      tone: last?.tone ?? "friendly",
      template: last?.template ?? "friendly",
    };
    setFocusKey(step.key);
    change({ steps: [...draft.steps, step] });
  };

  const removeStep = (key: string) => change({ steps: draft.steps.filter((step) => step.key !== key) });

  const templateNames = useMemo(
    () => [...new Set([...BUILT_IN_TEMPLATES, ...Object.keys(draft.templates), ...draft.steps.map((s) => s.template)])],
    [draft.templates, draft.steps],
  );

  const repeatEvery = draft.repeat ? parseWhole(draft.repeatEvery) : null;
  const repeatTimes = draft.repeat ? (parseWhole(draft.repeatTimes) ?? 0) : 0;
  const unplaced = Object.entries(errors).filter(([key]) => key === "form");
  const hasErrors = Object.keys(errors).length > 0;

  return (
    <form onSubmit={submit} noValidate aria-labelledby="policy-title" className={styles.policyForm}>
      <h2 id="policy-title" className="visually-hidden">
        {t("policy.title")}
      </h2>
      {readOnly && <Notice>{t("policy.readOnly")}</Notice>}

      <section className="card" aria-labelledby="steps-title">
        <h2 id="steps-title">{t("steps.title")}</h2>
        <p className="muted">{t("steps.intro")}</p>
        <StepsTimeline steps={draft.steps} repeatEvery={repeatEvery} repeatTimes={repeatTimes} />
        {errors.steps && (
          <p className="field-error" role="alert">
            {errors.steps}
          </p>
        )}
        <fieldset disabled={readOnly} className={styles.plainFieldset}>
          <legend className="visually-hidden">{t("steps.title")}</legend>
          <ol className={styles.stepList}>
            {draft.steps.map((step, index) => {
              const offset = parseWhole(step.offset);
              return (
                <li key={step.key} className={`${styles.step} ${styles[`tone_${step.tone}`]}`}>
                  <fieldset className={styles.stepFields}>
                    <legend className={styles.stepLegend}>
                      <span>{t("steps.number", { number: index + 1 })}</span>
                      <span className="muted small">
                        {offset === null
                          ? ""
                          : offset === 0
                            ? t("steps.onDue")
                            : offset < 0
                              ? t("steps.before", { count: -offset })
                              : t("steps.after", { count: offset })}
                      </span>
                    </legend>
                    <div className={styles.stepGrid}>
                      <Field
                        label={t("steps.offset")}
                        hint={index === 0 ? t("steps.offsetHint") : undefined}
                        error={errors[`steps.${index}.offset_days`]}
                      >
                        <input
                          className="input"
                          type="number"
                          inputMode="numeric"
                          step={1}
                          min={MIN_OFFSET}
                          max={MAX_OFFSET}
                          value={step.offset}
                          autoFocus={focusKey === step.key}
                          onChange={(event) => changeStep(step.key, { offset: event.target.value })}
                        />
                      </Field>
                      <Field label={t("steps.tone")} error={errors[`steps.${index}.tone`]}>
                        <select
                          className="select"
                          value={step.tone}
                          onChange={(event) => {
                            const tone = event.target.value as Tone;
                            // A step that used its tone's template keeps doing so.
                            const template = step.template === step.tone ? tone : step.template;
                            changeStep(step.key, { tone, template });
                          }}
                        >
                          {TONES.map((tone) => (
                            <option key={tone} value={tone}>
                              {t(`tones.${tone}`)}
                            </option>
                          ))}
                        </select>
                      </Field>
                      <Field label={t("steps.template")} error={errors[`steps.${index}.template`]}>
                        <select
                          className="select"
                          value={step.template}
                          onChange={(event) => changeStep(step.key, { template: event.target.value })}
                        >
                          {templateNames.map((name) => (
                            <option key={name} value={name}>
                              {BUILT_IN_TEMPLATES.includes(name) ? t(`tones.${name}`) : name}
                            </option>
                          ))}
                        </select>
                      </Field>
                      {!readOnly && (
                        <div className={styles.stepRemove}>
                          <Button
                            small
                            variant="ghost"
                            disabled={draft.steps.length <= 1}
                            aria-label={t("steps.removeNamed", { number: index + 1 })}
                            onClick={() => removeStep(step.key)}
                          >
                            {t("steps.remove")}
                          </Button>
                        </div>
                      )}
                    </div>
                  </fieldset>
                </li>
              );
            })}
          </ol>
          {!readOnly && (
            <Button onClick={addStep} disabled={draft.steps.length >= MAX_STEPS}>
              {t("steps.add")}
            </Button>
          )}
          {draft.steps.length >= MAX_STEPS && <p className="muted small">{t("steps.max", { max: MAX_STEPS })}</p>}

          <div className={styles.repeat}>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={draft.repeat}
                onChange={(event) => change({ repeat: event.target.checked })}
              />
              {t("repeat.label")}
            </label>
            {draft.repeat && (
              <div className="form-grid">
                <Field label={t("repeat.every")} hint={t("repeat.everyHint")} error={errors.repeat_every_days}>
                  <input
                    className="input"
                    type="number"
                    inputMode="numeric"
                    min={1}
                    max={90}
                    value={draft.repeatEvery}
                    onChange={(event) => change({ repeatEvery: event.target.value })}
                  />
                </Field>
                <Field label={t("repeat.times")} hint={t("repeat.timesHint")} error={errors.repeat_times}>
                  <input
                    className="input"
                    type="number"
                    inputMode="numeric"
                    min={1}
                    max={24}
                    value={draft.repeatTimes}
                    onChange={(event) => change({ repeatTimes: event.target.value })}
                  />
                </Field>
              </div>
            )}
          </div>
        </fieldset>
      </section>

      <section className="card" aria-labelledby="sending-title">
        <h2 id="sending-title">{t("sending.title")}</h2>
        <p className="muted">{t("sending.intro")}</p>
        <fieldset disabled={readOnly} className={styles.plainFieldset}>
          <legend className="visually-hidden">{t("sending.title")}</legend>
          <div className="form-grid">
            <Field label={t("sending.from")} hint={t("sending.timeZoneHint")} error={errors.window_start_hour}>
              <select
                className="select"
                value={draft.windowStart}
                onChange={(event) => change({ windowStart: Number(event.target.value) })}
              >
                {HOURS_FROM.map((hour) => (
                  <option key={hour} value={hour}>
                    {hourLabel(hour)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t("sending.until")} hint={t("sending.untilHint")} error={errors.window_end_hour}>
              <select
                className="select"
                value={draft.windowEnd}
                onChange={(event) => change({ windowEnd: Number(event.target.value) })}
              >
                {HOURS_UNTIL.map((hour) => (
                  <option key={hour} value={hour}>
                    {hourLabel(hour)}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <fieldset
            className={styles.days}
            aria-describedby={errors.sending_days ? "sending-days-error" : undefined}
          >
            <legend className="field-label">{t("sending.days")}</legend>
            <div className={styles.dayList}>
              {DAYS.map((day) => (
                <label key={day} className="checkbox">
                  <input
                    type="checkbox"
                    checked={draft.sendingDays.includes(day)}
                    onChange={(event) =>
                      change({
                        sendingDays: event.target.checked
                          ? [...draft.sendingDays, day].sort((a, b) => a - b)
                          : draft.sendingDays.filter((d) => d !== day),
                      })
                    }
                  />
                  {weekdayName(day, preferences.locale)}
                </label>
              ))}
            </div>
            {errors.sending_days && (
              <span className="field-error" id="sending-days-error">
                {errors.sending_days}
              </span>
            )}
          </fieldset>
          <div className="form-grid">
            <Field label={t("sending.maxPerWeek")} hint={t("sending.maxPerWeekHint")} error={errors.max_per_week}>
              <input
                className="input"
                type="number"
                inputMode="numeric"
                min={1}
                max={7}
                value={draft.maxPerWeek}
                onChange={(event) => change({ maxPerWeek: event.target.value })}
              />
            </Field>
            <Field label={t("sending.bcc")} hint={t("sending.bccHint")} error={errors.bcc}>
              <input
                className="input"
                type="email"
                autoComplete="email"
                value={draft.bcc}
                onChange={(event) => change({ bcc: event.target.value })}
              />
            </Field>
          </div>
        </fieldset>
      </section>

      <TemplateEditor
        templates={draft.templates}
        savedTemplates={toDraft(saved).templates}
        builtInWording={policy.built_in_templates}
        steps={draft.steps}
        errors={errors}
        readOnly={readOnly}
        onChange={(templates) => change({ templates })}
      />

      {!readOnly && (
        <div className={styles.saveBar}>
          <div ref={errorSummary} tabIndex={-1} className={styles.saveMessages}>
            {hasErrors && (
              <Notice tone="danger">
                {save.error instanceof ApiError && save.error.code !== "invalid_input"
                  ? save.error.message
                  : t("policy.fixErrors")}
                {unplaced.map(([key, message]) => (
                  <span key={key} className={styles.block}>
                    {message}
                  </span>
                ))}
              </Notice>
            )}
            {save.isError && !hasErrors && (
              <Notice tone="danger">
                {save.error instanceof ApiError ? save.error.message : t("common:error.generic")}
              </Notice>
            )}
            {justSaved && !dirty && <Notice tone="success">{t("policy.saved")}</Notice>}
          </div>
          <div className="row">
            <Button type="submit" variant="primary" busy={save.isPending}>
              {save.isPending ? t("common:actions.saving") : t("policy.save")}
            </Button>
            <Button disabled={!dirty || save.isPending} onClick={() => setConfirmDiscard(true)}>
              {t("policy.discard")}
            </Button>
            {dirty && <span className="muted small">{t("policy.unsaved")}</span>}
          </div>
        </div>
      )}
      <ConfirmDialog
        open={confirmDiscard}
        title={t("policy.discardTitle")}
        confirmLabel={t("policy.discardConfirm")}
        danger
        onConfirm={() => {
          setDraft(toDraft(saved));
          setErrors({});
          save.reset();
          setConfirmDiscard(false);
        }}
        onCancel={() => setConfirmDiscard(false)}
      >
        <p>{t("policy.discardText")}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={blocker.state === "blocked"}
        title={t("policy.leaveTitle")}
        confirmLabel={t("policy.leaveConfirm")}
        danger
        onConfirm={() => blocker.proceed?.()}
        onCancel={() => blocker.reset?.()}
      >
        <p>{t("policy.leaveText")}</p>
      </ConfirmDialog>
    </form>
  );
}
