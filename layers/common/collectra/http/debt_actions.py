"""The routes that move a debt through its states (cancel, write off, dispute, reopen, pause, resume).

Each is its own function and handler module; they differ only in the action, so they share this.
"""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

from collectra import clock
from collectra.debts import service
from collectra.debts.models import DebtView, Note
from collectra.debts.states import Action
from collectra.debts.timeline import actor_user
from collectra.http.app import json_response
from collectra.http.docs import CSRF, responses
from collectra.http.views import caller_and_debt


def register(app: APIGatewayHttpResolver, action: Action, path: str, summary: str, description: str) -> None:
    @app.post(
        path,
        summary=summary,
        description=description,
        security=[{"cookieAuth": []}],
        tags=["debts"],
        responses=responses(
            200,
            "The debt as it now is",
            DebtView,
            {401: "Not signed in", 403: CSRF, 404: "No such debt", 409: "Not allowed from the debt's state"},
        ),
    )
    def act(id: str, request: Annotated[Note | None, Body()] = None) -> Response[DebtView]:
        principal, debt = caller_and_debt(app, id)
        now = clock.utcnow()
        actor = actor_user(principal.user_id)
        note = request.note if request else None
        if action in (Action.PAUSE, Action.RESUME):
            updated = service.set_reminders_paused(
                principal.workspace_id, debt, action is Action.PAUSE, actor=actor, now=now, reason=note
            )
        else:
            updated = service.change_status(
                principal.workspace_id,
                debt,
                action,
                actor=actor,
                now=now,
                today=service.today_in(principal.workspace, now),
                note=note,
            )
        return json_response(DebtView.of(updated, today=service.today_in(principal.workspace, now)))
