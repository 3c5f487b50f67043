"""Accounts, passwords, sessions and access tokens."""
