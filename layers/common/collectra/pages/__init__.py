"""The debtor's public page: what a debtor sees at `/p/{token}`, rendered server-side to HTML.

Importing this package does not import Jinja2; the first page rendered in a process does.
"""

from collectra.pages.formatting import format_date, format_money
from collectra.pages.render import (
    Creditor,
    DebtorPage,
    PageDebt,
    PageReply,
    PaymentNote,
    content_security_policy,
    new_style_nonce,
    render_debtor_page,
    render_not_found,
    render_rate_limited,
)

__all__ = [
    "Creditor",
    "DebtorPage",
    "PageDebt",
    "PageReply",
    "PaymentNote",
    "content_security_policy",
    "format_date",
    "format_money",
    "new_style_nonce",
    "render_debtor_page",
    "render_not_found",
    "render_rate_limited",
]
