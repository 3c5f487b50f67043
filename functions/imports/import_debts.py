"""POST /debts/import: load debts from a CSV export of an accounting tool."""

from __future__ import annotations

import base64
from typing import Annotated

from collectra import clock
from collectra.http import gate
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.imports import MAX_BYTES, MalformedFile, parse_csv
from collectra.imports.apply import apply_import
from collectra.imports.views import ImportResult

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Query

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/debts/import",
    summary="Import debts from CSV",
    description="The request body is the CSV file itself (`Content-Type: text/csv`, up to 5 MB, UTF-8 with or "
    "without BOM, comma or semicolon, a header row). Rows are matched to debts by invoice number: importing "
    "the same file twice changes nothing the second time. `dry_run=true` checks and reports without writing. "
    "`locale` (en, en-US, fr, de) settles ambiguous amounts and dates. A malformed file is refused whole (422 "
    "malformed_csv); otherwise every bad row is reported with its row number, column and reason, and never "
    "blocks the good ones. An optional `debtor_kind` column (business or consumer; also B2B/B2C, entreprise/"
    "particulier, Unternehmen/Verbraucher) sets the kind of the debtors the file creates (business when empty); a "
    "row whose recorded debtor has another kind is refused, since the late-payment law differs for consumers.",
    security=[{"cookieAuth": []}],
    tags=["debts"],
    responses=responses(
        200, "What the import did (or would do)", ImportResult, {401: "Not signed in", 403: CSRF, 422: "Malformed file"}
    ),
)
def import_debts(
    dry_run: Annotated[bool, Query()] = False,
    locale: Annotated[str | None, Query(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] = None,
) -> Response[ImportResult]:
    principal = current_principal(app)
    event = app.current_event
    raw = event.body or ""
    data = base64.b64decode(raw) if event.is_base64_encoded else raw.encode()
    if len(data) > MAX_BYTES:
        raise MalformedFile("The file is larger than 5 MB.", details={"problem": "too_large"})
    parsed = parse_csv(data, default_currency=principal.workspace["default_currency"], locale_hint=locale)
    report = apply_import(principal.workspace, principal.user_id, parsed, dry_run=dry_run, now=clock.utcnow())
    return json_response(ImportResult.of(report))


handler = entry_point(app, reads=gate.CSV)
