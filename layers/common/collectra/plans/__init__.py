"""Payment plans: instalments a debtor and a business agree on."""
