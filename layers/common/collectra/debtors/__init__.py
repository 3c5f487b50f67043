"""Debtors: the business's customers who owe it money."""
