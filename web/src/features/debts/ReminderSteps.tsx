import { useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { Button, ConfirmDialog, Field, Notice, errorMessage } from "../../ui";
import { useDebtSaved, useWorkspacePolicy, type DebtReminderSteps, type PolicyStep } from "./api";
import type { Debt } from "./types";
import styles from "./DebtPage.module.css";

const TONES: PolicyStep["tone"][] = ["friendly", "firm", "final"];
const BUILT_IN_TEMPLATES = ["friendly", "firm", "final"];

interface OwnSteps {
  steps: PolicyStep[];
  repeat_every_days?: number | null;
  repeat_times?: number;
}

function ownSteps(debt: Debt): OwnSteps | null {
  const value = debt.reminder_steps as Partial<OwnSteps> | null;
  return value && Array.isArray(value.steps) ? (value as OwnSteps) : null;
}

/** "3 days after the due date: firm tone (template firm)" */
function StepList({ steps }: { steps: readonly PolicyStep[] }) {
  const { t } = useTranslation("debts");
  return (
    <ol className={styles.steps}>
      {steps.map((step, index) => (
        <li key={index}>
          {step.offset_days === 0
            ? t("steps.onDue")
            : step.offset_days < 0
              ? t("steps.before", { count: -step.offset_days })
              : t("steps.after", { count: step.offset_days })}
          {": "}
          {t("steps.toneTemplate", { tone: t(`tones.${step.tone}`), template: step.template })}
        </li>
      ))}
    </ol>
  );
}

/** The debt's own reminder steps, or the workspace's it follows; set them, or go back to the workspace's. */
export function ReminderSteps({ debt, editable, className }: { debt: Debt; editable: boolean; className?: string }) {
  const { t } = useTranslation("debts");
  const saved = useDebtSaved();
  const own = ownSteps(debt);
  const [editing, setEditing] = useState(false);
  const [confirmReset, setConfirmReset] = useState(false);
  const policy = useWorkspacePolicy();

  const reset = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.DELETE("/debts/{id}/reminder-steps", {
          params: { path: { id: debt.id }, query: { version: debt.version } },
        }),
      ),
    onSuccess: (updated) => {
      saved(updated);
      setConfirmReset(false);
    },
  });

  const templates = [
    ...BUILT_IN_TEMPLATES,
    ...Object.keys(policy.data?.templates ?? {}).filter((name) => !BUILT_IN_TEMPLATES.includes(name)),
  ];
  const effective = own?.steps ?? policy.data?.steps ?? [];

  return (
    <section className={className ? `card ${className}` : "card"} aria-labelledby="steps-title">
      <h2 id="steps-title">{t("steps.title")}</h2>
      {editing ? (
        <StepsEditor
          debt={debt}
          initial={own ?? { steps: effective.length ? effective : [{ offset_days: 0, tone: "friendly", template: "friendly" }] }}
          templates={templates}
          onDone={() => setEditing(false)}
        />
      ) : (
        <>
          <p>{own ? t("steps.own") : t("steps.workspace")}</p>
          {policy.isError && !own ? (
            <p className="muted small">{errorMessage(policy.error, t("common:error.generic"))}</p>
          ) : (
            <StepList steps={effective} />
          )}
          {own && own.repeat_every_days ? (
            <p className="small muted">
              {t("steps.repeats", { days: own.repeat_every_days, count: own.repeat_times ?? 0 })}
            </p>
          ) : null}
          {reset.isError && <Notice tone="danger">{errorMessage(reset.error, t("common:error.generic"))}</Notice>}
          {editable ? (
            <div className="form-actions">
              <Button onClick={() => setEditing(true)}>{own ? t("steps.edit") : t("steps.setOwn")}</Button>
              {own && <Button onClick={() => setConfirmReset(true)}>{t("steps.useWorkspace")}</Button>}
            </div>
          ) : (
            <p className="muted small">{t("steps.notEditable")}</p>
          )}
        </>
      )}
      <ConfirmDialog
        open={confirmReset}
        title={t("steps.resetTitle")}
        confirmLabel={t("steps.useWorkspace")}
        busy={reset.isPending}
        onConfirm={() => reset.mutate()}
        onCancel={() => setConfirmReset(false)}
      >
        <p>{t("steps.resetText")}</p>
      </ConfirmDialog>
    </section>
  );
}

interface StepDraft {
  key: number;
  offset: string;
  tone: PolicyStep["tone"];
  template: string;
}

let stepKey = 1;

function StepsEditor({
  debt,
  initial,
  templates,
  onDone,
}: {
  debt: Debt;
  initial: OwnSteps;
  templates: string[];
  onDone: () => void;
}) {
  const { t } = useTranslation("debts");
  const saved = useDebtSaved();
  const [steps, setSteps] = useState<StepDraft[]>(() =>
    initial.steps.map((step) => ({ key: stepKey++, offset: String(step.offset_days), tone: step.tone, template: step.template })),
  );
  const [repeatEvery, setRepeatEvery] = useState(initial.repeat_every_days ? String(initial.repeat_every_days) : "");
  const [repeatTimes, setRepeatTimes] = useState(String(initial.repeat_times ?? 0));
  const [problem, setProblem] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: async (body: DebtReminderSteps) =>
      unwrap(await api.PUT("/debts/{id}/reminder-steps", { params: { path: { id: debt.id } }, body })),
    onSuccess: (updated) => {
      saved(updated);
      onDone();
    },
  });

  const update = (key: number, change: Partial<StepDraft>) =>
    setSteps((current) => current.map((step) => (step.key === key ? { ...step, ...change } : step)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    const parsed: PolicyStep[] = [];
    for (const [index, step] of steps.entries()) {
      const offset = Number(step.offset);
      if (step.offset.trim() === "" || !Number.isInteger(offset) || offset < -30 || offset > 365) {
        setProblem(t("steps.badOffset", { number: index + 1 }));
        return;
      }
      parsed.push({ offset_days: offset, tone: step.tone, template: step.template });
    }
    const every = repeatEvery.trim() ? Number(repeatEvery) : null;
    const times = Number(repeatTimes || "0");
    if (every !== null && (!Number.isInteger(every) || every < 1 || every > 90)) {
      setProblem(t("steps.badRepeatEvery"));
      return;
    }
    if (!Number.isInteger(times) || times < 0 || times > 24) {
      setProblem(t("steps.badRepeatTimes"));
      return;
    }
    setProblem(null);
    save.mutate({ steps: parsed, repeat_every_days: every, repeat_times: times, version: debt.version });
  };

  return (
    <form onSubmit={submit} noValidate>
      <p className="muted small">{t("steps.editorHelp")}</p>
      {problem && <Notice tone="danger">{problem}</Notice>}
      {save.isError && <Notice tone="danger">{errorMessage(save.error, t("common:error.generic"))}</Notice>}
      {steps.map((step, index) => {
        const number = index + 1;
        return (
          <fieldset key={step.key} className={styles.stepRow}>
            <legend className="small">{t("steps.step", { number })}</legend>
            <Field label={t("steps.offset")} hint={t("steps.offsetHint")}>
              <input
                className="input"
                inputMode="numeric"
                value={step.offset}
                onChange={(event) => update(step.key, { offset: event.target.value })}
              />
            </Field>
            <Field label={t("steps.tone")}>
              <select
                className="select"
                value={step.tone}
                onChange={(event) => update(step.key, { tone: event.target.value as PolicyStep["tone"] })}
              >
                {TONES.map((tone) => (
                  <option key={tone} value={tone}>
                    {t(`tones.${tone}`)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t("steps.template")}>
              <select className="select" value={step.template} onChange={(event) => update(step.key, { template: event.target.value })}>
                {[...new Set([...templates, step.template])].map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </Field>
            <Button
              small
              variant="ghost"
              disabled={steps.length <= 1}
              onClick={() => setSteps((current) => current.filter((other) => other.key !== step.key))}
            >
              {t("steps.remove", { number })}
            </Button>
          </fieldset>
        );
      })}
      <Button
        small
        disabled={steps.length >= 20}
        onClick={() =>
          setSteps((current) => [
            ...current,
            { key: stepKey++, offset: String((Number(current.at(-1)?.offset) || 0) + 7), tone: "firm", template: "firm" },
          ])
        }
      >
        {t("steps.add")}
      </Button>
      <div className="form-grid">
        <Field label={t("steps.repeatEvery")} hint={t("steps.repeatEveryHint")}>
          <input className="input" inputMode="numeric" value={repeatEvery} onChange={(event) => setRepeatEvery(event.target.value)} />
        </Field>
        <Field label={t("steps.repeatTimes")}>
          <input className="input" inputMode="numeric" value={repeatTimes} onChange={(event) => setRepeatTimes(event.target.value)} />
        </Field>
      </div>
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={save.isPending}>
          {t("steps.save")}
        </Button>
        <Button onClick={onDone}>{t("common:actions.cancel")}</Button>
      </div>
    </form>
  );
}
