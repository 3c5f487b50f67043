"""POST /account/export: start an export of the caller's account (and, for an owner or admin, workspace)."""

from __future__ import annotations

from collectra import clock
from collectra.exports.models import ExportView
from collectra.exports.records import request_export
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import CSRF, responses

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/account/export",
    summary="Export my data",
    description="Prepares, in the background, one archive of everything Collectra holds about you: your "
    "account and, if you are an owner or admin, your current workspace (settings, members, debtors, debts, "
    "ledger, payments, emails, messages, timeline, opt-outs). `export.json` for machines and one CSV per "
    "entity for spreadsheets. Poll GET /account/export/{id} for a download link. One export runs at a time: "
    "asking again meanwhile answers the one under way.",
    security=[{"cookieAuth": []}],
    tags=["account"],
    responses=responses(
        202,
        "The export, pending (or the one already under way)",
        ExportView,
        {401: "Not signed in", 403: CSRF, 409: "Another export of yours (of another scope) is under way"},
    ),
)
def start_export() -> Response[ExportView]:
    principal = current_principal(app)
    record = request_export(principal, now=clock.utcnow())
    return json_response(ExportView.of(record), status=202)


handler = entry_point(app)
