"""The one-click way out of a member's notification emails: a signed link that turns one choice off.

Every digest and dispute alert carries `/n/<token>` in its text and in its `List-Unsubscribe` header (RFC 8058:
a mail provider POSTs there, with no cookie and no form token). The token names one member of one workspace
and one choice, signed with the page-link key under a purpose of its own (a debtor's opt-out token, signed
with the same key, cannot be replayed here, nor the reverse). Nothing is stored to make it, and it needs no
sign-in: the member may be reading on a phone where they never signed in. Opening it (GET) changes nothing,
so a mail scanner following links turns nothing off; POST does it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from collectra import config, store
from collectra.digest import settings
from collectra.digest.settings import Setting
from collectra.secrets import secret
from collectra.store import keys
from collectra.workspaces.lifecycle import is_closed

_CODES: dict[Setting, str] = {"daily_digest": "d", "disputes_at_once": "a"}
_SETTING_OF = {code: setting for setting, code in _CODES.items()}
_MAX_TOKEN = 160


def _mac(workspace_id: str, user_id: str, code: str) -> str:
    key = secret(config.page_link_secret_name()).encode()
    mac = hmac.new(key, f"member-notice:{workspace_id}.{user_id}.{code}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:24]).decode()


def token(workspace_id: str, user_id: str, setting: Setting) -> str:
    code = _CODES[setting]
    return f"{workspace_id}.{user_id}.{code}.{_mac(workspace_id, user_id, code)}"


def link(workspace_id: str, user_id: str, setting: Setting) -> str:
    return f"{config.public_base_url()}/n/{token(workspace_id, user_id, setting)}"


def headers(unsubscribe_link: str) -> dict[str, str]:
    """RFC 8058's pair: the link, and that a POST to it is the one-click unsubscribe."""
    return {"List-Unsubscribe": f"<{unsubscribe_link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


@dataclass(frozen=True)
class Unsubscribe:
    """Whose link was opened, for which choice, and whether it is on."""

    workspace_id: str
    user_id: str
    setting: Setting
    workspace: dict[str, Any]
    membership: dict[str, Any] | None  # None: they left the workspace (nothing is sent to them any more)

    @property
    def locale(self) -> str:
        return str(self.workspace.get("locale") or "en")

    @property
    def workspace_name(self) -> str:
        return str(self.workspace.get("name") or "")

    @property
    def is_on(self) -> bool:
        return self.membership is not None and bool(settings.choices(self.membership)[self.setting])


def open_link(value: str, *, consistent: bool = False) -> Unsubscribe | None:
    """What a token names, or None: forged, malformed, or a workspace that is gone."""
    parts = value.split(".")
    if len(value) > _MAX_TOKEN or len(parts) != 4 or parts[2] not in _SETTING_OF:
        return None
    workspace_id, user_id, code, _ = parts
    if not hmac.compare_digest(token(workspace_id, user_id, _SETTING_OF[code]), value):
        return None
    workspace, membership = store.batch_get(
        [keys.workspace(workspace_id), keys.membership(workspace_id, user_id)], consistent=consistent
    )
    if workspace is None or is_closed(workspace):
        return None
    return Unsubscribe(workspace_id, user_id, _SETTING_OF[code], workspace, membership)


def confirm(link_opened: Unsubscribe, *, now: datetime) -> bool:
    """Turn the choice off; False when it already was (or the member left): nothing is written then."""
    if not link_opened.is_on:
        return False
    return settings.switch_off(link_opened.workspace_id, link_opened.user_id, link_opened.setting, now=now)
