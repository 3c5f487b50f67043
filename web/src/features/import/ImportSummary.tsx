import { useTranslation } from "react-i18next";
import type { ImportResult } from "./api";
import styles from "./Import.module.css";
import { TableScroll } from "../../ui";

/** What an import did, or a dry run would do: the counts in words, then each rejected row. */
export function ImportSummary({ result }: { result: ImportResult }) {
  const { t } = useTranslation("import");
  const tense = result.dry_run ? "would" : "did";
  const counts = [
    { key: "created", value: result.created },
    { key: "updated", value: result.updated },
    { key: "unchanged", value: result.unchanged },
    { key: "rejected", value: result.rejected },
  ] as const;

  return (
    <div className="stack">
      <ul className={styles.counts}>
        {counts.map(({ key, value }) => (
          <li key={key} className={`${styles.count} ${key === "rejected" && value > 0 ? styles.rejected : ""}`}>
            <span className={styles.countValue}>{value}</span>{" "}
            {t(`counts.${tense}.${key}`, { count: value })}
          </li>
        ))}
      </ul>
      {result.errors.length > 0 && (
        <>
          <h3>{t("rejected.title", { count: result.rejected })}</h3>
          <p className="muted">{result.dry_run ? t("rejected.dryRun") : t("rejected.done")}</p>
          <TableScroll>
            <table className="table">
              <caption className="visually-hidden">{t("rejected.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t("rejected.row")}
                  </th>
                  <th scope="col">{t("rejected.column")}</th>
                  <th scope="col">{t("rejected.reason")}</th>
                </tr>
              </thead>
              <tbody>
                {result.errors.map((error, index) => (
                  <tr key={`${error.row}-${error.column}-${index}`}>
                    <td className="num">{error.row}</td>
                    <td>{error.column || "—"}</td>
                    <td className={styles.reason}>{error.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </div>
  );
}
