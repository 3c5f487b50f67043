/** The emailed links: each lands on a page that reads `?token=` and, for some, posts it once. */
import type { ReactNode } from "react";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Notice } from "../../ui";
import styles from "./Auth.module.css";

// TokenRequest.token in docs/openapi.json: a link cut short by a mail client is caught here, not sent.
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

/** The link's token, or null when it is missing or cannot be one (a truncated or mangled link). */
export function useLinkToken(): string | null {
  const [params] = useSearchParams();
  const token = params.get("token")?.trim() ?? "";
  return TOKEN.test(token) ? token : null;
}

/**
 * Post a single-use token exactly once, however often the page renders or mounts (React's StrictMode runs
 * effects twice in development; a used token would then answer "invalid" to the second post and hide the
 * first one's success). A query keyed by the token does that: concurrent mounts share the one request, and
 * its answer is kept, never fetched again (no retry, no refetch on focus or mount).
 */
export function useTokenOnce(kind: string, token: string | null, post: (token: string) => Promise<void>) {
  return useQuery({
    queryKey: ["auth-link", kind, token],
    queryFn: async () => {
      await post(token as string);
      return true;
    },
    enabled: token !== null,
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false,
    retryOnMount: false,
    refetchOnMount: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}

export function MissingToken() {
  const { t } = useTranslation("auth");
  return (
    <Outcome title={t("link.missingTitle")}>
      <Notice tone="warning">{t("link.missing")}</Notice>
      <div className={styles.actions}>
        <Link to="/sign-in">{t("signIn.title")}</Link>
      </div>
    </Outcome>
  );
}

/** A link's result: a heading, what happened, then what to do next. */
export function Outcome({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className={styles.result} aria-labelledby="outcome-title">
      <h1 id="outcome-title" className={styles.title}>
        {title}
      </h1>
      {children}
    </section>
  );
}
