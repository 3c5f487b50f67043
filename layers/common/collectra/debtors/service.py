"""Recording, finding and correcting debtors (erasing one is `collectra.privacy.debtor_erasure`)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any, cast

from collectra import store
from collectra.clock import iso
from collectra.debtors import corrections
from collectra.debtors.records import Debtor, external_ref_claim, index_fields, kind_of, name_key
from collectra.debts.records import Actor, Debt
from collectra.debts.service import listed_debts_of_debtor
from collectra.errors import Conflict, NotFound
from collectra.ids import new_id
from collectra.inbox import items as inbox
from collectra.listing import decode_cursor, encode_cursor
from collectra.store import keys
from collectra.workspaces.records import Workspace

# Suppressions that belong to an address, not to the person: correcting the address lifts them.
_ADDRESS_FAULTS = ("hard_bounce", "invalid_email")


def _claim_reference(workspace_id: str, reference: str, debtor_id: str) -> store.Operation:
    return store.put_op(
        external_ref_claim(workspace_id, reference, debtor_id),
        "attribute_not_exists(pk)",
        name="external_ref",
    )


def new_debtor_item(workspace: Workspace, fields: dict[str, Any], *, now: datetime) -> dict[str, Any]:
    """A debtor ready to write, with the workspace's locale and time zone where none was given."""
    debtor_id = new_id("dbt")
    stamp = iso(now)
    return {
        **keys.debtor(workspace["id"], debtor_id),
        **index_fields(workspace["id"], debtor_id, fields["name"], fields.get("email")),
        "id": debtor_id,
        "workspace_id": workspace["id"],
        "name": fields["name"],
        "email": fields.get("email"),
        "phone": fields.get("phone"),
        "company": fields.get("company"),
        "locale": fields.get("locale") or workspace["locale"],
        "time_zone": fields.get("time_zone") or workspace["time_zone"],
        "external_ref": fields.get("external_ref"),
        "notes": fields.get("notes"),
        "kind": fields.get("kind") or "business",
        "open_debts": 0,
        "created_at": stamp,
        "updated_at": stamp,
        "version": 1,
    }


def create_debtor(workspace: Workspace, fields: dict[str, Any], *, now: datetime) -> dict[str, Any]:
    """Record a debtor (one transaction: the debtor and, if given, the claim on its external reference)."""
    item = new_debtor_item(workspace, fields, now=now)
    operations = [store.put_op(item, "attribute_not_exists(pk)")]
    if item["external_ref"]:
        operations.append(_claim_reference(workspace["id"], item["external_ref"], item["id"]))
    try:
        store.transact(operations)
    except Conflict as error:
        raise Conflict(
            "Another debtor already has this external_ref.",
            code="external_ref_taken",
            details=[{"field": "body.external_ref"}],
        ) from error
    return item


def require_debtor(item: store.Item | None) -> Debtor:
    if item is None:
        raise NotFound("There is no such debtor.", code="debtor_not_found")
    return cast(Debtor, item)


def list_debtors(
    workspace_id: str,
    *,
    search: str | None,
    has_open_debts: bool | None,
    cursor: str | None,
    limit: int,
    descending: bool = False,
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of debtors, by name (A to Z, or Z to A when `descending`: the same index read backwards), or those
    whose name or email starts with `search` (one Query; by email, then one BatchGetItem)."""
    by_email = bool(search and "@" in search)
    index, partition = (
        ("gsi2", keys.debtors_by_email(workspace_id)) if by_email else ("gsi1", keys.debtors_by_name(workspace_id))
    )
    condition = f"{index}pk = :p"
    values: dict[str, Any] = {":p": partition}
    if search:
        condition += f" AND begins_with({index}sk, :prefix)"
        values[":prefix"] = search.strip().lower() if by_email else name_key(search)
    filter_expression = None
    if has_open_debts is not None:
        filter_expression = "open_debts > :zero" if has_open_debts else "open_debts = :zero"
        values[":zero"] = 0
    page = store.query(
        condition,
        values,
        index=index,
        filter_expression=filter_expression,
        limit=limit,
        start_key=decode_cursor(cursor, index=index, partition=partition),
        forward=not descending,
    )
    return store.whole(page.items, index=index), encode_cursor(page.last_key)


def _listed_debts(workspace_id: str, debtor_id: str) -> list[Debt]:
    """The debtor's debts as far as a correction reads them (id, created_at), as their index holds them."""
    return cast(list[Debt], listed_debts_of_debtor(workspace_id, debtor_id))


def _corrected(workspace_id: str, current: Debtor, changed: dict[str, Any], *, now: datetime) -> Debtor:
    updated = cast(Debtor, {**current, **changed, "updated_at": iso(now), "version": current["version"] + 1})
    if "email" in changed and current.get("email_suppressed") in _ADDRESS_FAULTS:
        updated["email_suppressed"] = None  # a corrected address may work; an opt-out is the person's and stays
    updated = cast(Debtor, {**updated, **index_fields(workspace_id, current["id"], updated["name"], updated["email"])})
    if updated["email"] is None:  # no longer listed by email
        updated.pop("gsi2pk", None)
        updated.pop("gsi2sk", None)
    return updated


def _reference_ops(workspace_id: str, current: Debtor, changed: dict[str, Any]) -> list[store.Operation]:
    """Moving the claim on the business's reference, when that is what changed."""
    operations = []
    if "external_ref" in changed:
        if reference := current.get("external_ref"):
            operations.append(store.delete_op(keys.external_ref(workspace_id, reference)))
        if changed["external_ref"]:
            operations.append(_claim_reference(workspace_id, changed["external_ref"], current["id"]))
    return operations


def update_debtor(
    workspace_id: str,
    current: Debtor,
    changes: dict[str, Any],
    *,
    version: int,
    actor: Actor,
    now: datetime,
) -> Debtor:
    """Apply a correction, if `version` is still the debtor's (else 409), and write it on the timeline of
    each of the debtor's debts (`corrections`). A correction that changes nothing writes nothing.

    One Query (the debtor's debts) and one transaction; a debtor with more debts than fit in it takes
    batched writes after it.
    """
    if current.get("erased"):
        raise Conflict("This debtor was erased.", code="debtor_erased")
    debts = None
    if current.get(corrections.PENDING):  # an earlier correction was interrupted: finish it first
        debts = _listed_debts(workspace_id, current["id"])
        current = corrections.finish_pending(workspace_id, current, debts)
    if current["version"] != version:
        raise Conflict("This debtor changed since you read it. Reload and try again.", code="version_conflict")
    # A debtor older than kinds is a business already: saying so changes nothing.
    recorded = {**current, "kind": kind_of(current)}
    changed = {name: value for name, value in changes.items() if recorded.get(name) != value}
    if not changed:
        return current
    updated = _corrected(workspace_id, current, changed, now=now)
    # The address's suppression lifted with it is part of what changed.
    fields = {name for name in {*changed, "email_suppressed"} if current.get(name) != updated.get(name)}
    correction = corrections.Correction.between(current, updated, fields, actor=actor, now=now)
    if debts is None:
        debts = _listed_debts(workspace_id, current["id"])
    entries = correction.entries(workspace_id, current["id"], debts)
    claims = _reference_ops(workspace_id, current, changed)
    room = corrections.TRANSACTION_LIMIT - 1 - len(claims)
    if len(entries) > room:
        updated[corrections.PENDING] = asdict(correction)
    operations = [
        # Only what the correction changes: the debtor's count of open debts and its payment sessions move
        # with payments, on their own conditions, and must not be set back by this write.
        store.changes_op(current, updated, "version = :seen", {":seen": version}, name="debtor"),
        *claims,
        *[store.put_op(entry) for entry in entries[:room]],
    ]
    try:
        store.transact(operations)
    except store.ConditionsFailed as error:
        if "debtor" in error.failed:
            raise Conflict(
                "This debtor changed since you read it. Reload and try again.", code="version_conflict"
            ) from error
        raise Conflict(
            "Another debtor already has this external_ref.",
            code="external_ref_taken",
            details=[{"field": "body.external_ref"}],
        ) from error
    if len(entries) > room:
        updated = corrections.write_pending(workspace_id, updated, entries[room:])
    if "email" in changed:  # a new address is what a bounced one needed
        inbox.close_matching(
            workspace_id, kinds=["undeliverable_address"], debtor_id=current["id"], reason="address_corrected", now=now
        )
    return updated
