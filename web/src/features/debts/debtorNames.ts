/** How the debts screens name a debtor (the debtors themselves are read through ../debtors/api). */

/** "Name (Company)". */
export function debtorLabel(debtor: { name: string; company?: string | null }): string {
  return debtor.company ? `${debtor.name} (${debtor.company})` : debtor.name;
}

/** The labels of the debtors a list answer names (`GET /debts?include=debtors`), by id. */
export function debtorNames(debtors: Record<string, { name: string; company?: string | null }>): Record<string, string> {
  return Object.fromEntries(Object.entries(debtors).map(([id, debtor]) => [id, debtorLabel(debtor)]));
}
