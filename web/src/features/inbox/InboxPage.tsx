/**
 * The inbox: what needs a person. Filters (state, kind, assignee) and the page are in the URL; each item links
 * to its debtor and debt, can be assigned to a member, marked done or reopened, and a debtor's question can be
 * answered here (the answer is emailed to them and shown on their page; the item then closes itself).
 */
import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../i18n/useFormat";
import { Badge, Button, EmptyState, ErrorState, Field, Loading, Notice, PageHeader, Pager, errorMessage } from "../../ui";
import {
  KINDS,
  useAnswerQuestion,
  useChangeInboxItem,
  useInbox,
  useMembers,
  type InboxItem,
  type InboxKind,
  type InboxQuery,
  type InboxState,
} from "./api";
import { PlanActions } from "../plans/PlanActions";
import styles from "./Inbox.module.css";

export const PAGE_SIZE = 25;
const KIND_TONES: Partial<Record<InboxKind, "danger" | "warning" | "info" | "success">> = {
  question: "info",
  dispute: "danger",
  dispute_lost: "danger",
  already_paid: "success",
  broken_promise: "warning",
  payment_failed: "warning",
  reminder_failed: "warning",
  undeliverable_address: "warning",
  plan_proposed: "info",
  plan_broken: "danger",
  instalment_failed: "warning",
};

interface Member {
  id: string;
  name: string | null;
  email: string | null;
}

/** The URL's filters as the list's query: open items unless the URL says done (the API lists one state). */
function queryFromParams(params: URLSearchParams): InboxQuery & { state: InboxState } {
  const query: InboxQuery & { state: InboxState } = { state: params.get("state") === "done" ? "done" : "open", limit: PAGE_SIZE };
  const kind = params.get("kind");
  if (kind && (KINDS as readonly string[]).includes(kind)) query.kind = kind as InboxKind;
  const assignee = params.get("assignee");
  if (assignee) query.assignee = assignee.slice(0, 64);
  const cursor = params.get("cursor");
  if (cursor) query.cursor = cursor;
  return query;
}

export default function InboxPage() {
  const { t } = useTranslation("inbox");
  const [params, setParams] = useSearchParams();
  const query = queryFromParams(params);
  const inbox = useInbox(query);
  const members = useMembers();
  const team: Member[] = members.data ?? [];

  const setFilter = (key: "state" | "kind" | "assignee", value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete("cursor");
    setParams(next);
  };

  return (
    <>
      <PageHeader
        title={t("title")}
        subtitle={inbox.data ? t("subtitle", { count: inbox.data.open_count }) : t("subtitleLoading")}
      />
      <section className={`card ${styles.filters}`} aria-labelledby="inbox-filters">
        <h2 id="inbox-filters" className="visually-hidden">
          {t("filters.title")}
        </h2>
        <div className="form-grid">
          <Field label={t("filters.state")}>
            <select
              className="select"
              value={query.state}
              onChange={(event) => setFilter("state", event.target.value === "open" ? "" : event.target.value)}
            >
              <option value="open">{t("state.open")}</option>
              <option value="done">{t("state.done")}</option>
            </select>
          </Field>
          <Field label={t("filters.kind")}>
            <select className="select" value={query.kind ?? ""} onChange={(event) => setFilter("kind", event.target.value)}>
              <option value="">{t("filters.anyKind")}</option>
              {KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`kind.${kind}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("filters.assignee")}>
            <select className="select" value={query.assignee ?? ""} onChange={(event) => setFilter("assignee", event.target.value)}>
              <option value="">{t("filters.anyone")}</option>
              {team.map((member) => (
                <option key={member.id} value={member.id}>
                  {memberName(member)}
                </option>
              ))}
            </select>
          </Field>
        </div>
      </section>

      {inbox.isPending ? (
        <Loading />
      ) : inbox.isError ? (
        <ErrorState error={inbox.error} retry={() => void inbox.refetch()} />
      ) : inbox.data.items.length === 0 && !query.cursor ? (
        <EmptyState title={query.state === "open" && !query.kind && !query.assignee ? t("emptyTitle") : t("noMatchTitle")}>
          {query.state === "open" && !query.kind && !query.assignee ? t("emptyText") : t("noMatchText")}
        </EmptyState>
      ) : (
        <>
          <ul className={styles.items} aria-label={t("listLabel")}>
            {inbox.data.items.map((item) => (
              <Item key={item.id} item={item} team={members.data} />
            ))}
          </ul>
          <Pager nextCursor={inbox.data.next_cursor} label={t("pages")} />
        </>
      )}
    </>
  );
}

function memberName(member: Member): string {
  return member.name || member.email || member.id;
}

/** What the item's `detail` says in words (what the debtor wrote, why something failed); ids are not words. */
function detailTexts(detail: Record<string, unknown>): string[] {
  return Object.entries(detail)
    .filter(([key]) => key !== "id" && !key.endsWith("_id"))
    .map(([, value]) => value)
    .filter((value): value is string => typeof value === "string" && value.trim() !== "");
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/**
 * A payment plan item's detail in words: the proposal's instalments and total, what a broken plan had been paid,
 * which instalment a charge failed for and the bank's reason. Null for other kinds (their detail is words already).
 */
function planDetail(item: InboxItem, t: Translate, money: (minor: number, currency: string) => string): string | null {
  const detail = item.detail;
  const number = (key: string) => (typeof detail[key] === "number" ? (detail[key] as number) : null);
  const currency = typeof detail.currency === "string" ? detail.currency : null;
  const total = number("total");
  switch (item.kind) {
    case "plan_proposed":
      return total !== null && currency && number("instalments") !== null
        ? t("plan.proposed", { count: number("instalments"), total: money(total, currency) })
        : null;
    case "plan_broken":
      return total !== null && currency && number("paid") !== null
        ? t("plan.broken", { paid: money(number("paid")!, currency), total: money(total, currency) })
        : null;
    case "instalment_failed": {
      const reason = typeof detail.reason === "string" && detail.reason ? detail.reason.replace(/_/g, " ") : t("plan.noReason");
      return t("plan.failed", { number: number("number") ?? "?", reason });
    }
    default:
      return null;
  }
}

/** The plan a plan item is about (its detail names it). */
function planIdOf(item: InboxItem): string | null {
  const id = item.detail.plan_id;
  return typeof id === "string" && id ? id : null;
}

/** An item; `team` is undefined while the members load (the assignee cannot be chosen until they have). */
function Item({ item, team }: { item: InboxItem; team: Member[] | undefined }) {
  const { t } = useTranslation("inbox");
  const format = useFormat();
  const change = useChangeInboxItem();
  const [answering, setAnswering] = useState(false);
  const open = item.state === "open";
  const titleId = `inbox-item-${item.id}`;
  const planId = planIdOf(item);
  const planText = planDetail(item, t, format.money);
  const assigneeKnown = !item.assignee_id || !team || team.some((member) => member.id === item.assignee_id);

  return (
    <li className={styles.item}>
      <div className={styles.head}>
        <Badge tone={KIND_TONES[item.kind]}>{t(`kind.${item.kind}`)}</Badge>
        <h2 id={titleId} className={styles.title}>
          <Link to={`/debtors/${encodeURIComponent(item.debtor_id)}`}>{item.debtor_name || t("erasedDebtor")}</Link>
        </h2>
        {item.debt_id && (
          <Link to={`/debts/${encodeURIComponent(item.debt_id)}`}>
            {t("invoice", { number: item.invoice_number ?? item.debt_id })}
          </Link>
        )}
        <span className="muted small">{t("opened", { at: format.dateTime(item.created_at) })}</span>
      </div>
      {(planText !== null ? [planText] : detailTexts(item.detail)).map((text) => (
        <p key={text} className={styles.detail}>
          {text}
        </p>
      ))}
      {!open && (
        <p className="muted small">
          {t("done", {
            at: format.dateTime(item.closed_at),
            reason: t(`reason.${item.closed_reason ?? "closed"}`, { defaultValue: t("reason.other") }),
          })}
        </p>
      )}
      <div className={styles.actions}>
        <label className={styles.assign}>
          <span>{t("assignee")}</span>
          <select
            className="select"
            value={item.assignee_id ?? ""}
            disabled={change.isPending || !team}
            onChange={(event) => change.mutate({ id: item.id, change: { assignee_id: event.target.value || null } })}
          >
            <option value="">{t("nobody")}</option>
            {!assigneeKnown && <option value={item.assignee_id ?? ""}>{t("formerMember")}</option>}
            {!team && item.assignee_id && <option value={item.assignee_id}>{t("common:loading")}</option>}
            {(team ?? []).map((member) => (
              <option key={member.id} value={member.id}>
                {memberName(member)}
              </option>
            ))}
          </select>
        </label>
        {open && item.kind === "question" && !answering && (
          <Button small variant="primary" onClick={() => setAnswering(true)}>
            {t("answer.open")}
          </Button>
        )}
        <Button
          small
          busy={change.isPending && change.variables?.change.state !== undefined}
          onClick={() => change.mutate({ id: item.id, change: { state: open ? "done" : "open" } })}
        >
          {open ? t("markDone") : t("reopen")}
        </Button>
      </div>
      {change.isError && <Notice tone="danger">{errorMessage(change.error, t("common:error.generic"))}</Notice>}
      {open && item.kind === "plan_proposed" && planId && <PlanActions planId={planId} status="proposed" small />}
      {answering && open && <AnswerForm item={item} onCancel={() => setAnswering(false)} />}
    </li>
  );
}

function AnswerForm({ item, onCancel }: { item: InboxItem; onCancel: () => void }) {
  const { t } = useTranslation("inbox");
  const answer = useAnswerQuestion();
  const [message, setMessage] = useState("");
  const [missing, setMissing] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (answer.isPending) return;
    if (!message.trim()) {
      setMissing(true);
      return;
    }
    answer.mutate({ id: item.id, message: message.trim() });
  };

  const fieldError = missing ? t("answer.required") : answer.error ? errorMessage(answer.error, t("common:error.generic")) : undefined;
  return (
    <form className={styles.answer} onSubmit={submit} noValidate>
      <Field label={t("answer.label")} hint={t("answer.hint")} error={fieldError}>
        <textarea
          className="textarea"
          rows={4}
          maxLength={4000}
          value={message}
          onChange={(event) => {
            setMessage(event.target.value);
            setMissing(false);
          }}
        />
      </Field>
      <div className="row">
        <Button type="submit" variant="primary" busy={answer.isPending}>
          {t("answer.send")}
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={answer.isPending}>
          {t("common:actions.cancel")}
        </Button>
      </div>
    </form>
  );
}
