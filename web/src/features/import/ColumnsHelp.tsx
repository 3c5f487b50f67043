import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { COLUMNS, sampleCsv } from "./columns";
import styles from "./Import.module.css";

/** A link to a file made in the page (a Blob URL; a data: URL where the browser has none). */
function useDownloadUrl(text: string): string {
  const url = useMemo(() => {
    if (typeof URL.createObjectURL !== "function") return `data:text/csv;charset=utf-8,${encodeURIComponent(text)}`;
    return URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  }, [text]);
  useEffect(
    () => () => {
      if (url.startsWith("blob:")) URL.revokeObjectURL(url);
    },
    [url],
  );
  return url;
}

/** Which columns are understood, under which headers (en, fr, de), and a sample file. */
export function ColumnsHelp({ language }: { language: string }) {
  const { t } = useTranslation("import");
  const sampleUrl = useDownloadUrl(sampleCsv(language));

  return (
    <section className="card" aria-labelledby="import-columns-title">
      <h2 id="import-columns-title">{t("columns.title")}</h2>
      <p>{t("columns.intro")}</p>
      <p>
        <a className="btn" href={sampleUrl} download={t("columns.sampleName")}>
          {t("columns.sample")}
        </a>
      </p>
      <dl className={styles.columnList} aria-label={t("columns.caption")}>
        {COLUMNS.map((column) => (
          <div key={column.field} className={styles.column}>
            <dt>
              <strong>{t(`fields.${column.field}`)}</strong>
              <span className="muted small">
                {column.required ? t("columns.required") : t(`optional.${column.field}`)}
              </span>
            </dt>
            <dd className={styles.headers}>
              {column.headers.map((header) => (
                <code key={header}>{header}</code>
              ))}
            </dd>
          </div>
        ))}
      </dl>
      <p className="muted small">{t("columns.matching")}</p>
    </section>
  );
}
