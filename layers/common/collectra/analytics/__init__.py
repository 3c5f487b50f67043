"""Where the money is: aging, DSO, CEI, days to pay and the cash forecast, read from the ledger and the debts' history.

A package of its own, above debts and debtors, so that reports read the features without the features knowing them.
"""
