"""PATCH /debtors/{id}: correct a debtor's details."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.debtors.models import DebtorUpdate, DebtorView
from collectra.debtors.service import update_debtor
from collectra.debts.timeline import actor_user
from collectra.errors import InvalidInput
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.http.views import caller_and_debtor

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)
_REQUIRED = ("name", "email", "locale", "time_zone", "kind")


@app.patch(
    "/debtors/<id>",
    summary="Correct a debtor",
    description="Only the fields sent change; `null` clears an optional one. Send the `version` you read: "
    "if the debtor changed since, the answer is 409 and nothing changes. Each correction is written on the "
    "timeline of every debt of the debtor (`debtor_corrected`: each changed field's before and after).",
    security=[{"cookieAuth": []}],
    tags=["debtors"],
    responses=responses(
        200,
        "The debtor as it now is",
        DebtorView,
        {401: "Not signed in", 403: CSRF, 404: "No such debtor", 409: "Stale version or external_ref taken"},
    ),
)
def patch_debtor(id: str, changes: Annotated[DebtorUpdate, Body()]) -> Response[DebtorView]:
    sent = changes.model_dump(mode="json", exclude_unset=True)
    cleared = [name for name in _REQUIRED if name in sent and sent[name] is None]
    if cleared:
        raise InvalidInput(
            f"These fields cannot be empty: {', '.join(cleared)}.",
            details=[{"field": f"body.{name}"} for name in cleared],
        )
    principal, debtor = caller_and_debtor(app, id)
    version = sent.pop("version")
    updated = update_debtor(
        principal.workspace_id, debtor, sent, version=version, actor=actor_user(principal.user_id), now=clock.utcnow()
    )
    return json_response(DebtorView.of(updated))


handler = entry_point(app)
