"""A debtor and the claim on its external reference as stored, and where a debtor sits in the indexes.

A debtor is listed by name (gsi1, accents and case folded away so that "Émile" finds "emile") and, when it has
an address, by email (gsi2); `index_fields` writes both from the debtor's own fields.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any, NotRequired, TypedDict

from collectra.store import keys


class Debtor(TypedDict):
    pk: str
    sk: str
    id: str
    workspace_id: str
    name: str
    email: str | None
    phone: str | None
    company: str | None
    locale: str
    time_zone: str
    external_ref: str | None
    notes: str | None
    kind: NotRequired[str]  # "business" | "consumer"; absent (debtors older than kinds) is "business"
    open_debts: int  # moved by ADD with each debt's status, never by a whole-item write
    paid_debts: NotRequired[int]  # likewise: how many of their debts are paid (`debts.service.DebtorChange`)
    days_to_pay_total: NotRequired[int]  # likewise: the sum of those debts' days to pay
    days_late_total: NotRequired[int]  # likewise: the sum of their days paid after the due date
    created_at: str
    updated_at: str
    version: int
    email_suppressed: NotRequired[str | None]  # why no email goes to the address ("opted_out", "hard_bounce"...)
    opted_out_at: NotRequired[str]
    link_hash: NotRequired[str]  # the hash of the secret of the link to the debtor's page
    link_nonce: NotRequired[str]
    page_view_recorded_at: NotRequired[int]
    recent_reminders: NotRequired[list[Any]]  # the weekly limit's window
    checkouts: NotRequired[dict[str, dict[str, Any]]]  # open Checkout Sessions, by attempt id
    checkout_version: NotRequired[int]
    correction_pending: NotRequired[dict[str, Any]]  # a correction whose timeline entries are still being written
    page_replies: NotRequired[
        list[dict[str, str]]
    ]  # the business's latest answers, shown on the page (`at`, `message`)
    erased: NotRequired[bool]
    erased_at: NotRequired[str]
    promises_kept: NotRequired[int]  # moved by ADD when a promise is decided (collectra.promises), like open_debts
    promises_broken: NotRequired[int]
    gsi1pk: NotRequired[str]
    gsi1sk: NotRequired[str]
    gsi2pk: NotRequired[str]
    gsi2sk: NotRequired[str]


class ExternalRefClaim(TypedDict):
    """A business's own customer reference taken within a workspace, pointing at its debtor."""

    pk: str
    sk: str
    debtor_id: str


def kind_of(debtor: Mapping[str, Any]) -> str:
    """ "business" or "consumer": a debtor recorded before debtors had a kind is a business."""
    return "consumer" if debtor.get("kind") == "consumer" else "business"


def name_key(name: str) -> str:
    """A name as it sorts and is searched: accents and case folded away ("Émile" finds "emile")."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def index_fields(workspace_id: str, debtor_id: str, name: str, email: str | None) -> dict[str, str]:
    """The debtor's index fields: by name always, by email when it has one (drop gsi2's when it has none)."""
    fields = {"gsi1pk": keys.debtors_by_name(workspace_id), "gsi1sk": f"{name_key(name)}#{debtor_id}"}
    if email:
        fields |= {"gsi2pk": keys.debtors_by_email(workspace_id), "gsi2sk": f"{email}#{debtor_id}"}
    return fields


def external_ref_claim(workspace_id: str, reference: str, debtor_id: str) -> ExternalRefClaim:
    key = keys.external_ref(workspace_id, reference)
    return {"pk": key["pk"], "sk": key["sk"], "debtor_id": debtor_id}
