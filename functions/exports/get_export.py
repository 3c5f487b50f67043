"""GET /account/export/{id}: an export's state and, once ready, a short-lived download link."""

from __future__ import annotations

from collectra import clock
from collectra.exports.models import ExportView
from collectra.exports.records import find_downloadable, shown
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import responses

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/account/export/<id>",
    summary="One of my exports",
    description="When `state` is `ready`, `download_url` is a link to the archive valid for 15 minutes; ask "
    "again for a fresh one. Only the person who asked for an export can see it; an export of a workspace only "
    "while they are still a member of it whose role may export it (403 export_not_allowed). Deleting the "
    "workspace, or erasing one of its debtors, deletes its exports.",
    security=[{"cookieAuth": []}],
    tags=["account"],
    responses=responses(
        200,
        "The export",
        ExportView,
        {401: "Not signed in", 403: "No longer allowed to export that workspace", 404: "No such export of yours"},
    ),
)
def get_export(id: str) -> Response[ExportView]:
    principal = current_principal(app)
    now = clock.utcnow()
    record = find_downloadable(principal.user_id, id)
    now_shown = shown(record, now=now)
    return json_response(
        ExportView.of(record, state=now_shown.state, failure=now_shown.failure, download=now_shown.download)
    )


handler = entry_point(app)
