import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button, ConfirmDialog, Notice, errorMessage } from "../../ui";
import { useNewLink, useRevokeLink, type Debtor } from "./api";
import { useSingleFlight } from "./singleFlight";
import styles from "./Debtors.module.css";

type Confirming = "rotate" | "revoke" | null;

/**
 * The debtor's secret page link. Collectra keeps only a hash of it, so its URL is known only in the answer of
 * the POST that made it: shown here until the user leaves the screen. Rotating makes a new one (the old one
 * stops working) and revoking ends it; both are confirmed first.
 */
export function DebtorLink({ debtor }: { debtor: Debtor }) {
  const { t } = useTranslation("debtors");
  const make = useNewLink(debtor.id);
  const revoke = useRevokeLink(debtor.id);
  const [url, setUrl] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const [done, setDone] = useState<"created" | "rotated" | "revoked" | null>(null);
  const inputId = useId();
  const once = useSingleFlight();

  useEffect(() => {
    if (copied !== "yes") return;
    const timer = window.setTimeout(() => setCopied(null), 4000);
    return () => window.clearTimeout(timer);
  }, [copied]);

  const newLink = (kind: "created" | "rotated") =>
    once((done) =>
      make.mutate(undefined, {
        onSettled: done,
        onSuccess: (link) => {
          setUrl(link.url);
          setCopied(null);
          setDone(kind);
          setConfirming(null);
        },
        onError: () => setConfirming(null),
      }),
    );

  const end = () =>
    once((done) =>
      revoke.mutate(undefined, {
        onSettled: done,
        onSuccess: () => {
          setUrl(null);
          setDone("revoked");
          setConfirming(null);
        },
        onError: () => setConfirming(null),
      }),
    );

  const copy = async () => {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  };

  const error = make.error ?? revoke.error;

  return (
    <section className="card" aria-labelledby="debtor-link-title">
      <h2 id="debtor-link-title">{t("link.title")}</h2>
      <p className="muted">{t("link.about")}</p>
      {error && <Notice tone="danger">{errorMessage(error, t("common:error.generic"))}</Notice>}
      {done === "revoked" && <Notice tone="success">{t("link.revoked")}</Notice>}

      {url ? (
        <div className="stack">
          <Notice tone="success">{done === "rotated" ? t("link.rotated") : t("link.created")}</Notice>
          <label className="field-label" htmlFor={inputId}>
            {t("link.url")}
          </label>
          <div className={styles.linkBox}>
            <input id={inputId} className="input" readOnly value={url} onFocus={(event) => event.target.select()} />
            <Button variant="primary" onClick={() => void copy()}>
              {t("link.copy")}
            </Button>
            <span role="status" className={copied === "yes" ? styles.copied : "small"}>
              {copied === "yes" ? t("common:actions.copied") : copied === "failed" ? t("link.copyFailed") : ""}
            </span>
          </div>
          <p className="muted small">{t("link.onlyOnce")}</p>
        </div>
      ) : debtor.has_link ? (
        <p>{t("link.exists")}</p>
      ) : (
        <p>{t("link.none")}</p>
      )}

      <div className="form-actions">
        {debtor.has_link ? (
          <>
            <Button onClick={() => setConfirming("rotate")}>{t("link.rotate")}</Button>
            <Button variant="danger" onClick={() => setConfirming("revoke")}>
              {t("link.revoke")}
            </Button>
          </>
        ) : (
          <Button variant="primary" busy={make.isPending} onClick={() => newLink("created")}>
            {t("link.create")}
          </Button>
        )}
      </div>

      <ConfirmDialog
        open={confirming === "rotate"}
        title={t("link.rotateTitle")}
        confirmLabel={t("link.rotateConfirm")}
        busy={make.isPending}
        onConfirm={() => newLink("rotated")}
        onCancel={() => setConfirming(null)}
      >
        <p>{t("link.rotateText")}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirming === "revoke"}
        title={t("link.revokeTitle")}
        confirmLabel={t("link.revokeConfirm")}
        danger
        busy={revoke.isPending}
        onConfirm={end}
        onCancel={() => setConfirming(null)}
      >
        <p>{t("link.revokeText")}</p>
      </ConfirmDialog>
    </section>
  );
}
