"""The Brevo stand-in's outbox as a web page.

Every value is escaped; an email's HTML is shown only inside a sandboxed iframe (no scripts, no
same-origin access), since it is exactly the kind of content that must not run on the page.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #222; }
header { display: flex; justify-content: space-between; align-items: center; }
article { border: 1px solid #ccc; border-radius: 6px; margin: 1rem 0; padding: 1rem; }
dl { display: grid; grid-template-columns: 6rem 1fr; margin: 0 0 1rem; }
dt { color: #666; } dd { margin: 0; }
iframe { width: 100%; height: 24rem; border: 1px solid #ddd; }
pre { white-space: pre-wrap; background: #f6f6f6; padding: .75rem; }
"""

_CLEAR = "<button onclick=\"fetch('/outbox',{method:'DELETE'}).then(()=>location.reload())\">Clear</button>"


def _address(contact: Mapping[str, Any] | None) -> str:
    if not contact:
        return ""
    if "email" not in contact:
        return f"sender #{contact.get('id')}"
    name = contact.get("name")
    return f"{name} <{contact['email']}>" if name else str(contact["email"])


def _addresses(contacts: Iterable[Mapping[str, Any]]) -> str:
    return ", ".join(_address(contact) for contact in contacts)


def _message(message: Mapping[str, Any]) -> str:
    rows = [
        ("From", _address(message.get("sender"))),
        ("To", _addresses(message.get("to") or [])),
        ("Cc", _addresses(message.get("cc") or [])),
        ("Subject", message.get("subject") or ""),
        ("Date", message.get("date") or ""),
        ("Template", "" if message.get("templateId") is None else str(message["templateId"])),
        ("Tags", ", ".join(message.get("tags") or [])),
    ]
    parts = ["<article>", "<dl>"]
    parts += [f"<dt>{label}</dt><dd>{escape(str(value))}</dd>" for label, value in rows if value]
    parts.append("</dl>")
    if message.get("htmlContent"):
        # srcdoc is an attribute, so escaping with quote=True is what keeps the HTML inside it.
        srcdoc = escape(message["htmlContent"], quote=True)
        parts.append(f'<iframe sandbox="" referrerpolicy="no-referrer" srcdoc="{srcdoc}"></iframe>')
    if message.get("textContent"):
        parts.append(f"<pre>{escape(message['textContent'])}</pre>")
    if message.get("params"):
        parts.append(
            f"<details><summary>params</summary><pre>{escape(json.dumps(message['params'], indent=2))}</pre></details>"
        )
    parts.append("</article>")
    return "\n".join(parts)


def render_outbox(messages: Iterable[Mapping[str, Any]]) -> str:
    """The page for `messages`, in the order given (the outbox passes them newest first)."""
    items = [_message(message) for message in messages]
    body = "\n".join(items) if items else "<p>No messages yet.</p>"
    return (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width'>"
        f"<title>Outbox ({len(items)})</title><style>{_STYLE}</style></head><body>"
        f"<header><h1>Outbox ({len(items)})</h1>{_CLEAR}</header>\n{body}\n</body></html>\n"
    )
