import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../i18n/useFormat";
import { DebtStatusBadge } from "./DebtStatusBadge";
import type { Debt } from "./types";
import styles from "./DebtsTable.module.css";
import { TableScroll } from "../../ui";

export interface DebtSelection {
  /** The ids ticked. */
  selected: ReadonlySet<string>;
  /** Called with the whole new selection. */
  onChange: (next: Set<string>) => void;
}

interface DebtsTableProps {
  items: readonly Debt[];
  /** Adds a debtor column (the home screen and the debts list; not the debtor's own screen). */
  showDebtor?: boolean;
  /** Debtor names by id, when the caller knows them; otherwise the column links to the debtor. */
  debtorNames?: Readonly<Record<string, string>>;
  /** Adds a checkbox per row and a "select all on this page" checkbox. */
  selection?: DebtSelection;
  /** The table's accessible name. */
  caption?: string;
}

/** Debts as a table: invoice (links to the debt), debtor, due date, amount, outstanding, status. */
export function DebtsTable({ items, showDebtor, debtorNames, selection, caption }: DebtsTableProps) {
  const { t } = useTranslation("debts");
  const format = useFormat();
  const allSelected = !!selection && items.length > 0 && items.every((debt) => selection.selected.has(debt.id));
  const someSelected = !!selection && items.some((debt) => selection.selected.has(debt.id));

  const toggleAll = () => {
    if (!selection) return;
    const next = new Set(selection.selected);
    for (const debt of items) {
      if (allSelected) next.delete(debt.id);
      else next.add(debt.id);
    }
    selection.onChange(next);
  };

  const toggle = (id: string) => {
    if (!selection) return;
    const next = new Set(selection.selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    selection.onChange(next);
  };

  return (
    <TableScroll>
      <table className="table">
        <caption className="visually-hidden">{caption ?? t("table.caption")}</caption>
        <thead>
          <tr>
            {selection && (
              <th scope="col" className={styles.check}>
                <input
                  type="checkbox"
                  className="checkbox"
                  aria-label={t("table.selectAll")}
                  checked={allSelected}
                  ref={(element) => {
                    if (element) element.indeterminate = someSelected && !allSelected;
                  }}
                  onChange={toggleAll}
                />
              </th>
            )}
            <th scope="col">{t("table.invoice")}</th>
            {showDebtor && <th scope="col">{t("table.debtor")}</th>}
            <th scope="col">{t("table.dueOn")}</th>
            <th scope="col" className="num">
              {t("table.amount")}
            </th>
            <th scope="col" className="num">
              {t("table.outstanding")}
            </th>
            <th scope="col">{t("table.status")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((debt) => (
            <tr key={debt.id}>
              {selection && (
                <td className={styles.check}>
                  <input
                    type="checkbox"
                    className="checkbox"
                    aria-label={t("table.select", { invoice: debt.invoice_number })}
                    checked={selection.selected.has(debt.id)}
                    onChange={() => toggle(debt.id)}
                  />
                </td>
              )}
              <td>
                <Link to={`/debts/${encodeURIComponent(debt.id)}`}>{debt.invoice_number}</Link>
              </td>
              {showDebtor && (
                <td>
                  <Link to={`/debtors/${encodeURIComponent(debt.debtor_id)}`}>
                    {debtorNames?.[debt.debtor_id] ?? t("table.viewDebtor")}
                  </Link>
                </td>
              )}
              <td className={styles.nowrap}>
                {format.date(debt.due_on)}
                {debt.days_overdue > 0 && debt.amount_outstanding > 0 && (
                  <span className={`small ${styles.overdue}`}>
                    {" "}
                    {t("table.daysOverdue", { count: debt.days_overdue })}
                  </span>
                )}
              </td>
              <td className="num">{format.money(debt.amount, debt.currency)}</td>
              <td className="num">{format.money(debt.amount_outstanding, debt.currency)}</td>
              <td>
                <DebtStatusBadge status={debt.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

export default DebtsTable;
