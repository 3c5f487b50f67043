"""Telling the team: each member's notification choices, the daily digest at 08:00 in their time zone, the
alert when a debtor disputes, and the one-click way out of every one of those emails."""
