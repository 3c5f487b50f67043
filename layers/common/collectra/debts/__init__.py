"""Debts: what a debtor owes a business, its state, its ledger and its timeline."""
