"""Promises to pay: made by a debtor on their page or recorded by the business, then kept or broken."""
