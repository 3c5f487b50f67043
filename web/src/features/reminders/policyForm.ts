/**
 * The reminder policy as the form edits it, and back: GET/PUT /workspace/reminder-policy
 * (layers/common/collectra/reminders/models.py `ReminderPolicy`). Numbers are kept as typed (strings) until
 * saved, so a half-typed "-" is not lost; errors are keyed by the API's own field paths without "body."
 * ("steps.1.offset_days", "window_start_hour", "templates.friendly.fr.text") so a 422 lands on its input.
 */
import { ApiError } from "../../api/errors";
import type { components } from "../../api/schema";

export type Policy = components["schemas"]["ReminderPolicy-Output"];
/** GET's answer: the policy, and Collectra's own wording (the starting point of the business's). */
export type PolicyView = components["schemas"]["ReminderPolicyView"];
export type BuiltInWording = PolicyView["built_in_templates"];
export type PolicyInput = components["schemas"]["ReminderPolicy-Input"];
export type Tone = "friendly" | "firm" | "final";
export type TemplateLocale = "en" | "fr" | "de";
export interface Wording {
  subject: string;
  text: string;
}

export const TONES: readonly Tone[] = ["friendly", "firm", "final"];
export const TEMPLATE_LOCALES: readonly TemplateLocale[] = ["en", "fr", "de"];
/** The built-in templates (templates.py `BUILT_IN_NAMES`): a workspace's wording under these names replaces them. */
export const BUILT_IN_TEMPLATES: readonly string[] = TONES;
export const MIN_OFFSET = -30;
export const MAX_OFFSET = 365;
export const MAX_STEPS = 20;
export const TEMPLATE_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export interface StepDraft {
  /** A stable React key: steps move when they are sorted. */
  key: string;
  offset: string;
  tone: Tone;
  template: string;
}

export interface PolicyDraft {
  steps: StepDraft[];
  repeat: boolean;
  repeatEvery: string;
  repeatTimes: string;
  windowStart: number;
  windowEnd: number;
  sendingDays: number[];
  maxPerWeek: string;
  bcc: string;
  templates: Record<string, Partial<Record<TemplateLocale, Wording>>>;
}

export type FieldErrors = Record<string, string>;

let nextKey = 0;
export const newStepKey = () => `step-${++nextKey}`;

export function toDraft(policy: Policy): PolicyDraft {
  const templates: PolicyDraft["templates"] = {};
  for (const [name, texts] of Object.entries(policy.templates ?? {})) {
    templates[name] = { ...(texts as Partial<Record<TemplateLocale, Wording>>) };
  }
  return {
    steps: policy.steps.map((step) => ({
      key: newStepKey(),
      offset: String(step.offset_days),
      tone: step.tone,
      template: step.template,
    })),
    repeat: policy.repeat_every_days != null && (policy.repeat_times ?? 0) > 0,
    repeatEvery: String(policy.repeat_every_days ?? 30),
    repeatTimes: String(policy.repeat_times || 3),
    windowStart: policy.window_start_hour ?? 8,
    windowEnd: policy.window_end_hour ?? 21,
    sendingDays: [...(policy.sending_days ?? [0, 1, 2, 3, 4])].sort((a, b) => a - b),
    maxPerWeek: String(policy.max_per_week ?? 3),
    bcc: policy.bcc ?? "",
    templates,
  };
}

export function parseWhole(text: string): number | null {
  const trimmed = text.trim().replace(/^\+/, "").replace("−", "-");
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : null;
}

/** Steps in the order the API requires (by offset); steps whose offset is not a number stay last. */
export function sortSteps(steps: StepDraft[]): StepDraft[] {
  return [...steps].sort((a, b) => (parseWhole(a.offset) ?? Infinity) - (parseWhole(b.offset) ?? Infinity));
}

type Messages = {
  offsetWhole: string;
  offsetRange: string;
  offsetTwice: string;
  window: string;
  noDay: string;
  maxPerWeek: string;
  repeatEvery: string;
  repeatTimes: string;
  bcc: string;
  unknownTemplate: string;
  subjectRequired: string;
  textRequired: string;
};

/** What the browser can tell before asking the API (the API checks it all again). */
export function validate(draft: PolicyDraft, messages: Messages): FieldErrors {
  const errors: FieldErrors = {};
  const seen = new Map<number, number>();
  draft.steps.forEach((step, index) => {
    const offset = parseWhole(step.offset);
    if (offset === null) errors[`steps.${index}.offset_days`] = messages.offsetWhole;
    else if (offset < MIN_OFFSET || offset > MAX_OFFSET) errors[`steps.${index}.offset_days`] = messages.offsetRange;
    else if (seen.has(offset)) errors[`steps.${index}.offset_days`] = messages.offsetTwice;
    else seen.set(offset, index);
    const own = Object.values(draft.templates[step.template] ?? {}).some(Boolean);
    if (!BUILT_IN_TEMPLATES.includes(step.template) && !own) {
      errors[`steps.${index}.template`] = messages.unknownTemplate;
    }
  });
  if (draft.windowStart >= draft.windowEnd) errors.window_end_hour = messages.window;
  if (draft.sendingDays.length === 0) errors.sending_days = messages.noDay;
  const perWeek = parseWhole(draft.maxPerWeek);
  if (perWeek === null || perWeek < 1 || perWeek > 7) errors.max_per_week = messages.maxPerWeek;
  if (draft.repeat) {
    const every = parseWhole(draft.repeatEvery);
    if (every === null || every < 1 || every > 90) errors.repeat_every_days = messages.repeatEvery;
    const times = parseWhole(draft.repeatTimes);
    if (times === null || times < 1 || times > 24) errors.repeat_times = messages.repeatTimes;
  }
  if (draft.bcc.trim() && !/^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$/.test(draft.bcc.trim())) errors.bcc = messages.bcc;
  for (const [name, texts] of Object.entries(draft.templates)) {
    for (const [locale, wording] of Object.entries(texts)) {
      if (!wording) continue;
      if (!wording.subject.trim()) errors[`templates.${name}.${locale}.subject`] = messages.subjectRequired;
      if (!wording.text.trim()) errors[`templates.${name}.${locale}.text`] = messages.textRequired;
    }
  }
  return errors;
}

/** The body of PUT /workspace/reminder-policy (call `validate` first). */
export function toInput(draft: PolicyDraft): PolicyInput {
  const templates: PolicyInput["templates"] = {};
  for (const [name, texts] of Object.entries(draft.templates)) {
    const kept = Object.fromEntries(Object.entries(texts).filter(([, wording]) => wording));
    if (Object.keys(kept).length) templates[name] = kept as Record<TemplateLocale, Wording>;
  }
  return {
    steps: draft.steps.map((step) => ({
      offset_days: parseWhole(step.offset) ?? 0,
      tone: step.tone,
      template: step.template,
    })),
    repeat_every_days: draft.repeat ? parseWhole(draft.repeatEvery) : null,
    repeat_times: draft.repeat ? (parseWhole(draft.repeatTimes) ?? 0) : 0,
    window_start_hour: draft.windowStart,
    window_end_hour: draft.windowEnd,
    sending_days: [...draft.sendingDays].sort((a, b) => a - b),
    max_per_week: parseWhole(draft.maxPerWeek) ?? 3,
    bcc: draft.bcc.trim() || null,
    templates,
  };
}

const TEMPLATE_PROBLEM = /^template ([a-z0-9][a-z0-9_-]{0,39}) \((en|fr|de)\): (.*)$/s;

function addError(errors: FieldErrors, key: string, message: string) {
  errors[key] = errors[key] ? `${errors[key]} ${message}` : message;
}

/** A rule across fields (a model-level 422, `field: "body"`): said in one sentence, shown where it is fixed. */
function placeRule(errors: FieldErrors, message: string) {
  // Several templates' problems come joined by "; ", and one problem may hold "; " itself ("...: foo; known: ...").
  for (const part of message.replace(/^Value error,\s*/, "").split(/; (?=template [a-z0-9][a-z0-9_-]* \((?:en|fr|de)\): )/)) {
    const template = TEMPLATE_PROBLEM.exec(part);
    if (template) addError(errors, `templates.${template[1]}.${template[2]}.text`, template[3]!);
    else if (part.startsWith("steps must be")) addError(errors, "steps", part);
    else if (part.startsWith("unknown template")) addError(errors, "steps", part);
    else if (part.includes("window_start_hour")) addError(errors, "window_end_hour", part);
    else if (part.includes("sending_days")) addError(errors, "sending_days", part);
    else addError(errors, "form", part);
  }
}

/**
 * A 422 from PUT /workspace/reminder-policy, keyed like the form's inputs: `invalid_input` details name fields
 * (`body.steps.1.offset_days`, `body.templates.friendly.fr.subject`, or `body` for a rule across fields);
 * `invalid_template` details are sentences "template <name> (<locale>): <problem>".
 */
export function policyErrors(error: unknown): FieldErrors {
  const errors: FieldErrors = {};
  if (!(error instanceof ApiError) || error.status !== 422 || !Array.isArray(error.details)) return errors;
  for (const item of error.details as unknown[]) {
    if (typeof item === "string") {
      placeRule(errors, item);
      continue;
    }
    if (!item || typeof item !== "object") continue;
    const { field, loc, message, msg } = item as Record<string, unknown>;
    const path = typeof field === "string" ? field.split(".") : Array.isArray(loc) ? loc.map(String) : [];
    if (path[0] === "body") path.shift();
    const text = typeof message === "string" ? message : typeof msg === "string" ? msg : "";
    if (!text) continue;
    if (path.length === 0) placeRule(errors, text);
    else if (path[0] === "sending_days") addError(errors, "sending_days", text);
    else if (path[0] === "steps" && path.length === 1) addError(errors, "steps", text);
    else addError(errors, path.join("."), text);
  }
  return errors;
}
