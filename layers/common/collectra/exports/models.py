"""An export as the API shows it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import Field

from collectra.clock import iso
from collectra.models import Model


class ExportView(Model):
    id: str
    state: Literal["pending", "running", "ready", "failed", "expired"]
    scope: Literal["account", "account+workspace"] = Field(
        description="`account`: the caller's own account; `account+workspace`: with everything their workspace "
        "holds (owners and admins)."
    )
    workspace_id: str | None
    created_at: str
    finished_at: str | None
    expires_at: str = Field(description="When the archive (and this record) is deleted.")
    size_bytes: int | None
    counts: dict[str, int] | None = Field(description="How many records of each entity the archive holds.")
    failure: str | None
    download_url: str | None = Field(
        description="When ready: a link to the zip (export.json and csv/<entity>.csv), valid for 15 minutes; "
        "ask again for a new one."
    )
    download_expires_at: str | None

    @classmethod
    def of(
        cls,
        record: Mapping[str, Any],
        *,
        state: str | None = None,
        failure: str | None = None,
        download: tuple[str, datetime] | None = None,
    ) -> ExportView:
        return cls(
            id=record["id"],
            state=state or record["state"],
            scope=record["scope"],
            workspace_id=record.get("workspace_id"),
            created_at=record["created_at"],
            finished_at=record.get("finished_at"),
            expires_at=iso(datetime.fromtimestamp(int(record["expires_at"]), UTC)),
            size_bytes=record.get("size_bytes"),
            counts=record.get("counts"),
            failure=failure or record.get("failure"),
            download_url=download[0] if download else None,
            download_expires_at=iso(download[1]) if download else None,
        )
