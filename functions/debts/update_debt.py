"""PATCH /debts/{id}: correct a debt (optimistically locked)."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.debts import service
from collectra.debts.models import DebtUpdate, DebtView
from collectra.debts.timeline import actor_user
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.http.views import caller_and_debt
from collectra.payments.chargeable import require_chargeable

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.patch(
    "/debts/<id>",
    summary="Correct a debt",
    description="Send the `version` you read; if the debt changed since, the answer is 409 and nothing "
    "changes. The timeline records each changed field's before and after.",
    security=[{"cookieAuth": []}],
    tags=["debts"],
    responses=responses(
        200,
        "The debt as it now is",
        DebtView,
        {401: "Not signed in", 403: CSRF, 404: "No such debt", 409: "Stale version, taken invoice number, or closed"},
    ),
)
def patch_debt(id: str, changes: Annotated[DebtUpdate, Body()]) -> Response[DebtView]:
    principal, debt = caller_and_debt(app, id)
    sent = changes.model_dump(mode="json", exclude_unset=True)
    version = sent.pop("version")
    if "amount" in sent:
        require_chargeable(principal.workspace, sent["amount"], debt["currency"])
    now = clock.utcnow()
    updated = service.update_debt(
        principal.workspace_id, debt, sent, version=version, actor=actor_user(principal.user_id), now=now
    )
    return json_response(DebtView.of(updated, today=service.today_in(principal.workspace, now)))


handler = entry_point(app)
