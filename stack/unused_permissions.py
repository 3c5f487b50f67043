"""Permissions that no test exercises, each with the reason it is granted all the same.

Keyed by (function's logical id, action, resource as template.yaml resolves it for the local stack). The
least-privilege proof (tests/iam/test_least_privilege.py) fails on a permission no test used that is not
listed here, and on an entry here that is no longer granted or is used after all.
"""

from __future__ import annotations

UNUSED: dict[tuple[str, str, str], str] = {}
