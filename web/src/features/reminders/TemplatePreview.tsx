/**
 * The email as a debtor would get it, rendered by the API (POST /workspace/reminder-templates/preview) with
 * sample data, a moment after the wording stops changing. The HTML comes from the server and is shown in a
 * sandboxed iframe (`sandbox=""`: no script, no form, no navigation), so it can never run anything.
 */
import { useEffect, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { Loading, Notice, errorMessage } from "../../ui";
import type { TemplateLocale, Wording } from "./policyForm";
import styles from "./Reminders.module.css";

export const PREVIEW_DELAY_MS = 500;

/** `value` once it has not changed for `delay` ms (compared by content, so a new object with the same text waits). */
export function useDebounced<T>(value: T, delay: number): T {
  const serial = JSON.stringify(value);
  const [settled, setSettled] = useState(serial);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(serial), delay);
    return () => clearTimeout(timer);
  }, [serial, delay]);
  return JSON.parse(settled) as T;
}

export interface PreviewRequest {
  template: string;
  locale: TemplateLocale;
  /** Unsaved wording to try; null renders what the workspace uses today (the saved or built-in wording). */
  draft: Wording | null;
}

/** The preview query, also started by the screen beside the policy's own read (no waterfall). */
export function previewQuery(request: PreviewRequest) {
  return {
    queryKey: ["reminder-preview", request] as const,
    queryFn: async () =>
      unwrap(
        await api.POST("/workspace/reminder-templates/preview", {
          body: { template: request.template, locale: request.locale, draft: request.draft },
        }),
      ),
    retry: false,
    staleTime: 5 * 60_000,
  };
}

interface Props {
  template: string;
  locale: TemplateLocale;
  /** The wording being edited, when it differs from the saved one; undefined previews what is used today. */
  wording: Wording | undefined;
}

export function TemplatePreview({ template, locale, wording }: Props) {
  const { t } = useTranslation("reminders");
  const request = useDebounced({ template, locale, draft: wording ?? null }, PREVIEW_DELAY_MS);
  const incomplete = !!request.draft && (!request.draft.subject.trim() || !request.draft.text.trim());
  const preview = useQuery({
    ...previewQuery(request),
    enabled: !incomplete,
    placeholderData: keepPreviousData,
  });
  const waiting = JSON.stringify(request) !== JSON.stringify({ template, locale, draft: wording ?? null });

  return (
    <section className={styles.preview} aria-labelledby="preview-title">
      <div className={styles.previewHeader}>
        <h3 id="preview-title">{t("preview.title")}</h3>
        <span className="muted small" aria-live="polite">
          {waiting || preview.isFetching ? t("preview.updating") : ""}
        </span>
      </div>
      <p className="muted small">{t("preview.sample")}</p>
      {incomplete ? (
        <Notice>{t("preview.incomplete")}</Notice>
      ) : preview.isError ? (
        <Notice tone="danger">
          <strong>{t("preview.cannotSend")}</strong> {errorMessage(preview.error, t("common:error.generic"))}
        </Notice>
      ) : null}
      {preview.data ? (
        <div className={styles.previewBody} aria-busy={preview.isFetching || undefined}>
          <p className={styles.previewSubject}>
            <span className="muted small">{t("preview.subject")}</span>
            <strong data-testid="preview-subject">{preview.data.subject}</strong>
          </p>
          <iframe
            className={styles.previewFrame}
            title={t("preview.frameTitle")}
            sandbox=""
            srcDoc={preview.data.html}
            referrerPolicy="no-referrer"
          />
        </div>
      ) : preview.isPending && !incomplete ? (
        <Loading label={t("preview.loading")} />
      ) : null}
    </section>
  );
}
