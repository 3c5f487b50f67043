"""What a workspace is made of in the table: the workspace, its members (and each member's side of it),
its pending invitations. Key strings come from `store.keys`; these are the items' shapes."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from collectra.store import keys


class Workspace(TypedDict):
    pk: str
    sk: str
    id: str
    name: str
    legal_name: NotRequired[str | None]
    postal_address: NotRequired[dict[str, str] | None]  # line1, line2, postal_code, city, country
    reply_to: NotRequired[str | None]
    sender_name: NotRequired[str | None]
    default_currency: str
    locale: str
    time_zone: str
    status: str  # "active", or on its way out ("deleting", "deleted": `workspaces.lifecycle`)
    owner_count: int
    promise_max_days: NotRequired[int]
    refund_overpayments: NotRequired[bool]
    reminder_policy: NotRequired[dict[str, Any] | None]
    late_payment: NotRequired[dict[str, Any]]  # `workspaces.late_payment.LatePayment`, stored whole; absent: off
    payment_plans: NotRequired[
        dict[str, Any]
    ]  # `workspaces.payment_plans.PaymentPlans`, stored whole; absent: defaults
    sending_quota_cap: NotRequired[int]
    platform_fee_basis_points: NotRequired[int]
    verified_owner_at: NotRequired[str]
    stripe_account_id: NotRequired[str]
    stripe_account_seen: NotRequired[int]
    stripe_charges_enabled: NotRequired[bool]
    stripe_payouts_enabled: NotRequired[bool]
    stripe_details_submitted: NotRequired[bool]
    stripe_updated_at: NotRequired[str]
    created_at: str
    updated_at: str
    version: int
    deletion_requested_at: NotRequired[str]
    deleted_at: NotRequired[str]
    anonymised_at: NotRequired[str]
    retain_until: NotRequired[int]  # what accounting law keeps, until then (epoch seconds)
    expires_at: NotRequired[int]


class Member(TypedDict):
    """A user's membership, on the workspace's side: who may do what in it."""

    pk: str
    sk: str
    user_id: str
    workspace_id: str
    role: str  # a `access.Role`
    joined_at: str
    role_changed_at: NotRequired[str]


class UserWorkspace(TypedDict):
    """The same membership on the user's side, so a user lists the workspaces they belong to in one Query."""

    pk: str
    sk: str
    user_id: str
    workspace_id: str
    role: str
    joined_at: str


class Invitation(TypedDict):
    """The pending invitation of an address (one per address and workspace), pointing at its emailed token."""

    pk: str
    sk: str
    id: str
    email: str
    role: str
    invited_by: str
    token_key: dict[str, str]
    created_at: str
    expires_at: int


def membership_items(workspace_id: str, user_id: str, role: str, joined_at: str) -> tuple[Member, UserWorkspace]:
    """Both sides of one membership."""
    member_key, user_key = keys.membership(workspace_id, user_id), keys.user_workspace(user_id, workspace_id)
    member: Member = {
        "pk": member_key["pk"],
        "sk": member_key["sk"],
        "user_id": user_id,
        "workspace_id": workspace_id,
        "role": role,
        "joined_at": joined_at,
    }
    mirror: UserWorkspace = {
        "pk": user_key["pk"],
        "sk": user_key["sk"],
        "user_id": user_id,
        "workspace_id": workspace_id,
        "role": role,
        "joined_at": joined_at,
    }
    return member, mirror
