/**
 * Screen 7: the workspace's Stripe connection (GET /workspace/stripe). Payments go straight to the business's own
 * Stripe account (Connect, direct charges); Collectra keeps its platform fee (`platform_fee_basis_points`).
 * "Connect Stripe" asks for an onboarding link (POST /workspace/stripe/connect) and leaves for it; Stripe sends
 * the business back here with ?stripe=return (or ?stripe=refresh when the link expired). The account's state is
 * only what Stripe's events told the API, so after a return the page asks again for a short while.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { api } from "../../api/client";
import { ApiError, unwrap } from "../../api/errors";
import { can, useSession } from "../../app/session";
import { useFormat } from "../../i18n/useFormat";
import { usePreferences } from "../../prefs/PreferencesProvider";
import { Badge, Button, ErrorState, Loading, Notice, PageHeader } from "../../ui";
import styles from "./Payments.module.css";

export const stripeKey = ["stripe-connection"] as const;
const POLL_MS = 3_000;
const POLLS = 20; // a minute

/** Where the browser goes: a seam for tests (jsdom cannot navigate). */
export const navigation = { assign: (url: string) => window.location.assign(url) };

function feeText(basisPoints: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 }).format(basisPoints / 10_000);
}

export default function PaymentsPage() {
  const { t } = useTranslation("payments");
  const format = useFormat();
  const { preferences } = usePreferences();
  const session = useSession();
  const [params] = useSearchParams();
  const back = params.get("stripe"); // "return" or "refresh" when Stripe sent the business back here
  const canConnect = can(session.data?.role, "workspace:update");

  const connection = useQuery({
    queryKey: stripeKey,
    queryFn: async () => unwrap(await api.GET("/workspace/stripe")),
    // Back from Stripe, its account.updated event may still be on its way: look again for a minute.
    refetchInterval: (query) =>
      back === "return" && !query.state.data?.charges_enabled && query.state.dataUpdateCount < POLLS
        ? POLL_MS
        : false,
  });

  const connect = useMutation({
    mutationFn: async () => unwrap(await api.POST("/workspace/stripe/connect")),
    onSuccess: (link) => navigation.assign(link.url),
  });
  // The button stays busy from the click until the browser has left for Stripe.
  const leaving = connect.isPending || connect.isSuccess;

  const header = <PageHeader title={t("title")} subtitle={t("subtitle")} />;
  if (connection.isPending || session.isPending) {
    return (
      <>
        {header}
        <Loading />
      </>
    );
  }
  if (connection.isError) {
    return (
      <>
        {header}
        <ErrorState error={connection.error} retry={() => void connection.refetch()} />
      </>
    );
  }

  const state = connection.data;
  const fee = state.platform_fee_basis_points;
  const complete = state.connected && state.details_submitted && state.charges_enabled && state.payouts_enabled;
  const still: string[] = [];
  if (state.connected) {
    if (!state.details_submitted) still.push(t("still.details"));
    if (state.details_submitted && !state.charges_enabled) still.push(t("still.charges"));
    if (!state.payouts_enabled) still.push(t("still.payouts"));
  }

  const connectButton = canConnect && (
    <Button variant="primary" busy={leaving} onClick={() => connect.mutate()}>
      {state.connected ? t("continue") : t("connect")}
    </Button>
  );

  return (
    <>
      {header}
      {back === "refresh" && state.connected && !complete && <Notice tone="warning">{t("back.refresh")}</Notice>}
      {back === "return" && !state.charges_enabled && <Notice>{t("back.waiting")}</Notice>}
      {back === "return" && state.charges_enabled && <Notice tone="success">{t("back.ready")}</Notice>}
      {connect.isError && (
        <Notice tone="danger">
          {connect.error instanceof ApiError ? connect.error.message : t("common:error.generic")}
        </Notice>
      )}

      <section className="card" aria-labelledby="how-title">
        <h2 id="how-title">{t("how.title")}</h2>
        <ul className={styles.points}>
          <li>{t("how.direct")}</li>
          <li>{t("how.link")}</li>
          <li>{t("how.settled")}</li>
          <li>
            <strong>
              {fee > 0 ? t("how.fee", { fee: feeText(fee, preferences.locale) }) : t("how.noFee")}
            </strong>{" "}
            {t("how.feeStripe")}
          </li>
        </ul>
      </section>

      <section className="card" aria-labelledby="account-title">
        <div className={styles.accountHeader}>
          <h2 id="account-title">{t("account.title")}</h2>
          {!state.connected ? (
            <Badge>{t("badge.notConnected")}</Badge>
          ) : complete ? (
            <Badge tone="success">{t("badge.ready")}</Badge>
          ) : state.charges_enabled ? (
            <Badge tone="info">{t("badge.acceptsPayments")}</Badge>
          ) : (
            <Badge tone="warning">{t("badge.incomplete")}</Badge>
          )}
        </div>

        {!state.connected ? (
          <>
            <p>{t("account.notConnected")}</p>
            {canConnect ? (
              <p className="muted small">{t("account.connectHint")}</p>
            ) : (
              <Notice>{t("account.memberNotConnected")}</Notice>
            )}
          </>
        ) : (
          <>
            <p>
              {complete
                ? t("account.complete")
                : state.charges_enabled
                  ? t("account.chargesOnly")
                  : t("account.incomplete")}
            </p>
            <dl className={styles.checks}>
              {(
                [
                  ["details_submitted", state.details_submitted],
                  ["charges_enabled", state.charges_enabled],
                  ["payouts_enabled", state.payouts_enabled],
                ] as const
              ).map(([name, done]) => (
                <div key={name} className={styles.check}>
                  <dt>{t(`checks.${name}`)}</dt>
                  <dd>
                    <Badge tone={done ? "success" : "warning"}>{done ? t("checks.yes") : t("checks.no")}</Badge>
                    <span className="muted small">{t(`checks.${name}_${done ? "yes" : "no"}`)}</span>
                  </dd>
                </div>
              ))}
            </dl>
            {still.length > 0 && (
              <>
                <h3>{t("still.title")}</h3>
                <ul>
                  {still.map((item) => (
                    <li key={item}>{item}</li>
                  ))}
                </ul>
              </>
            )}
            <p className="muted small">
              {t("account.id", { id: state.account_id })}
              {state.updated_at ? ` · ${t("account.updated", { when: format.dateTime(state.updated_at) })}` : ""}
            </p>
            {!canConnect && !complete && <Notice>{t("account.memberIncomplete")}</Notice>}
          </>
        )}
        {(!state.connected || !complete) && connectButton && <div className="form-actions">{connectButton}</div>}
        {state.connected && complete && canConnect && (
          <p className="muted small">
            {t("account.manage")}{" "}
            <a href="https://dashboard.stripe.com/" target="_blank" rel="noreferrer noopener">
              {t("account.dashboard")}
            </a>
          </p>
        )}
      </section>
    </>
  );
}
