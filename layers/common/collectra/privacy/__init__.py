"""Erasing personal data (an account, a workspace, one debtor), and what accounting law keeps, for how long."""
