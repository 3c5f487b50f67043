"""The display name of every email Collectra sends for a workspace: "<workspace> via Collectra".

A workspace's name is whatever its owner typed ("PayPal Security", say). Said as "... via Collectra", the
recipient sees who really sends it, and a name cannot pose as an address or a second header.
"""

from __future__ import annotations

_NAME_MAX = 60  # characters of the workspace's name; the rest is cut


def via_collectra(workspace_name: str) -> str:
    """One line, without quotes, angle brackets or backslashes, then " via Collectra"."""
    cleaned = "".join(
        " " if char.isspace() or char in '"<>\\' or not char.isprintable() else char for char in workspace_name
    )
    name = " ".join(cleaned.split())[:_NAME_MAX].strip()
    return f"{name} via Collectra" if name else "Collectra"
