import { useEffect, useId, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { Button } from "../../ui";
import type { Debtor } from "../debtors/api";
import styles from "./DebtorPicker.module.css";

interface DebtorPickerProps {
  label: string;
  /** The debtor chosen, or null. */
  value: Pick<Debtor, "id" | "name" | "company" | "email"> | null;
  onChange: (debtor: Debtor | null) => void;
  error?: string | null;
  /** Offer a link to create a debtor when none matches. */
  offerCreate?: boolean;
  /** List debtors before anything is typed (a form); a filter lists them only once the person types. */
  listBeforeTyping?: boolean;
}

/** Search-as-you-type choice of a debtor (GET /debtors?search=), keyboard-usable: a search box, then buttons. */
export function DebtorPicker({ label, value, onChange, error, offerCreate, listBeforeTyping }: DebtorPickerProps) {
  const { t } = useTranslation("debts");
  const id = useId();
  const [text, setText] = useState("");
  const [search, setSearch] = useState("");

  useEffect(() => {
    const timer = setTimeout(() => setSearch(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);

  const results = useQuery({
    queryKey: ["debtors", "search", search],
    queryFn: async () =>
      unwrap(await api.GET("/debtors", { params: { query: { search: search || undefined, limit: 8 } } })),
    enabled: !value && (listBeforeTyping || search !== ""),
    staleTime: 30_000,
  });

  if (value) {
    return (
      <div className="field">
        <span className="field-label" id={`${id}-label`}>
          {label}
        </span>
        <div className={`row ${styles.chosen}`} aria-labelledby={`${id}-label`} role="group">
          <strong>{value.name}</strong>
          {value.company && <span className="muted">{value.company}</span>}
          {value.email && <span className="muted small">{value.email}</span>}
          <Button small variant="ghost" onClick={() => onChange(null)}>
            {t("picker.change")}
          </Button>
        </div>
        {error && <span className="field-error">{error}</span>}
      </div>
    );
  }

  const items = results.data?.items ?? [];
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        type="search"
        className="input"
        value={text}
        placeholder={t("picker.placeholder")}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-results${error ? ` ${id}-error` : ""}`}
        onChange={(event) => setText(event.target.value)}
      />
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
      <div id={`${id}-results`} aria-live="polite" className={styles.results}>
        {!listBeforeTyping && search === "" ? null : results.isFetching && items.length === 0 ? (
          <span className="muted small">{t("picker.searching")}</span>
        ) : results.isError ? (
          <span className="field-error">{t("picker.failed")}</span>
        ) : items.length === 0 ? (
          <span className="muted small">
            {search ? t("picker.none", { search }) : t("picker.noDebtors")}{" "}
            {offerCreate && <Link to="/debtors/new">{t("picker.create")}</Link>}
          </span>
        ) : (
          <ul className={styles.list} aria-label={t("picker.matches")}>
            {items.map((debtor) => (
              <li key={debtor.id}>
                <button type="button" className={styles.option} onClick={() => onChange(debtor)}>
                  <strong>{debtor.name}</strong>
                  {debtor.company && <span className="muted"> · {debtor.company}</span>}
                  {debtor.email && <span className="muted small"> · {debtor.email}</span>}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
