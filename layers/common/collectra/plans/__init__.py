"""Payment plans: instalments a debtor proposes or a business offers, over one or more debts of one debtor."""
