"""GET /debts: the workspace's debts, filtered and sorted, one page at a time."""

from __future__ import annotations

from typing import Annotated, Literal

from collectra import clock
from collectra.debts import service
from collectra.debts.charges import page_charges
from collectra.debts.models import DebtList, DebtorName, DebtView, ShownStatus
from collectra.fields import CalendarDate, Currency
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import responses
from collectra.listing import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Query

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/debts",
    summary="List debts",
    description="Sorted by due date (default) or by amount outstanding (`sort=outstanding`, `-` for "
    "descending). A page may hold fewer than `limit` items when filters are used; follow `next_cursor` "
    "until it is null. `status=in_plan` lists the open and partly paid debts an active payment plan holds (they "
    "are not listed as open or partially_paid meanwhile). `include=debtors` names the page's debtors in "
    "`debtors` (one more read for the whole page), so a list needs no read per row; it also fills each debt's "
    "`charges` when the workspace claims late-payment charges (they depend on the debtor's kind; without "
    "`include=debtors` they are null).",
    security=[{"cookieAuth": []}],
    tags=["debts"],
    responses=responses(200, "One page", DebtList, {401: "Not signed in"}),
)
def get_debts(
    status: Annotated[ShownStatus | None, Query()] = None,
    debtor_id: Annotated[str | None, Query(max_length=64)] = None,
    overdue: Annotated[bool | None, Query()] = None,
    due_before: Annotated[CalendarDate | None, Query()] = None,
    due_after: Annotated[CalendarDate | None, Query()] = None,
    currency: Annotated[Currency | None, Query()] = None,
    sort: Annotated[Literal["due_on", "-due_on", "outstanding", "-outstanding"], Query()] = "due_on",
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    include: Annotated[Literal["debtors"] | None, Query()] = None,
) -> Response[DebtList]:
    principal = current_principal(app)
    now = clock.utcnow()
    filters = service.DebtFilters(
        status=status,
        debtor_id=debtor_id,
        overdue=overdue,
        due_before=due_before,
        due_after=due_after,
        currency=currency,
    )
    items, next_cursor = service.list_debts(
        principal.workspace, filters, now=now, sort=sort, cursor=cursor, limit=limit
    )
    today = service.today_in(principal.workspace, now)
    debtors = service.debtors_of(principal.workspace_id, items) if include == "debtors" else {}
    charges = page_charges(principal.workspace, items, debtors, today=today)
    return json_response(
        DebtList(
            items=[DebtView.of(item, today=today, charges=charges.get(item["id"])) for item in items],
            next_cursor=next_cursor,
            debtors={debtor_id: DebtorName.of(debtor) for debtor_id, debtor in debtors.items()},
        )
    )


handler = entry_point(app)
