"""The business's home screen: what needs attention today, across debts, payments and reminders.

A package of its own, above the features it reads, so that workspaces need not import them.
"""
