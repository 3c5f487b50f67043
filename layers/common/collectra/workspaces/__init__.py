"""Workspaces: a business using Collectra, its identity and defaults."""
