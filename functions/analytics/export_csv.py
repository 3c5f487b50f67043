"""GET /workspace/analytics/export.csv: the aging by debtor as of a date, as a CSV file for the accountant."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.analytics.aging import check_as_of
from collectra.analytics.aging_csv import aging_csv, filename
from collectra.fields import CalendarDate, Currency
from collectra.http.app import configure, current_principal, entry_point
from collectra.http.docs import page_errors

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Query

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/workspace/analytics/export.csv",
    summary="Aging by debtor, as a CSV file",
    description="The rows of `GET /workspace/analytics/aging` (same figures, same rules) for the whole workspace, "
    "as a download named aging-by-debtor-<as_of>.csv: a header row (as_of, debtor_id, debtor_name, currency, "
    "not_due, days_1_30, days_31_60, days_61_90, days_over_90, total), then a row per debtor and currency. Dates "
    "are ISO 8601; amounts are in major units with the currency's decimals (12345 EUR minor units: 123.45). A "
    "cell that a spreadsheet would take for a formula (starting with =, +, -, @) is written after a single "
    "quote. UTF-8 with a byte order mark.",
    security=[{"cookieAuth": []}],
    tags=["analytics"],
    responses={
        **page_errors(None),
        200: {"description": "The file", "content": {"text/csv": {}}},
        401: {"description": "Not signed in", "content": {"application/json": {}}},
    },
)
def export_aging_csv(
    as_of: Annotated[CalendarDate | None, Query(description="YYYY-MM-DD, not after today; default today")] = None,
    currency: Annotated[Currency | None, Query()] = None,
) -> Response[str]:
    principal = current_principal(app)
    now = clock.utcnow()
    day = check_as_of(principal.workspace, as_of, now=now)
    return Response(
        status_code=200,
        content_type="text/csv; charset=utf-8",
        body=aging_csv(principal.workspace, as_of=day, now=now, currency=currency),
        headers={"Content-Disposition": f'attachment; filename="{filename(day)}"', "Cache-Control": "no-store"},
    )


handler = entry_point(app)
