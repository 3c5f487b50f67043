"""What the deletion endpoints accept and answer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ConfigDict, Field

from collectra.auth.models import GivenPassword
from collectra.models import Model

if TYPE_CHECKING:
    from collectra.privacy.records import ErasureJob


class DeletionRequest(Model):
    """Deleting needs the password again."""

    model_config = ConfigDict(extra="forbid")

    password: GivenPassword


class AccountDeletedView(Model):
    """The account is gone; what became of the workspaces it belonged to."""

    deleted: Literal[True] = True
    workspaces_deleted: list[str] = Field(description="Workspaces it was the last owner of: deleted with it")
    workspaces_left: list[str] = Field(description="Workspaces it belonged to that go on without it")

    @classmethod
    def of(cls, outcome: dict[str, Any]) -> AccountDeletedView:
        return cls(workspaces_deleted=outcome["workspaces_deleted"], workspaces_left=outcome["workspaces_left"])


class WorkspaceDeletionView(Model):
    """The workspace is being deleted: nothing acts on it any more; its data is erased within minutes."""

    id: str
    status: Literal["deleting", "deleted"]
    deletion_requested_at: str
    accounting_records_kept_until: str = Field(
        description="Invoice numbers, amounts, dates and payment records stay, anonymised, until this day"
    )

    @classmethod
    def of(cls, job: ErasureJob) -> WorkspaceDeletionView:
        kept_until = datetime.fromtimestamp(int(job["retain_until"]), UTC).date().isoformat()
        return cls(
            id=str(job["workspace_id"]),
            status="deleted" if job.get("status") == "done" else "deleting",
            deletion_requested_at=str(job["requested_at"]),
            accounting_records_kept_until=kept_until,
        )
