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
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">{t("columns.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("columns.field")}</th>
              <th scope="col">{t("columns.headers")}</th>
            </tr>
          </thead>
          <tbody>
            {COLUMNS.map((column) => (
              <tr key={column.field}>
                <th scope="row">
                  {t(`fields.${column.field}`)}
                  <div className="muted small">
                    {column.required ? t("columns.required") : t(`optional.${column.field}`)}
                  </div>
                </th>
                <td className={styles.headers}>
                  {column.headers.map((header, index) => (
                    <span key={header}>
                      <code>{header}</code>
                      {index < column.headers.length - 1 && " "}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">{t("columns.matching")}</p>
    </section>
  );
}
