"""Reminders: a workspace's policy, when a debt's next reminder is due, and sending it exactly once."""
