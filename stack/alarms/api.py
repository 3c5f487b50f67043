"""The API as its callers see it: per route group (collectra/http/route_groups.py), the share of requests answered
5xx and the p95 latency, each only once there are enough requests to mean something; the two webhooks' failed
deliveries (4xx and 5xx: a wrong secret answers 4xx to every event); and the API's 5xx as API Gateway counts them,
which also sees the timeouts and crashes no code answered. Thresholds and why: docs/operations.md."""

from __future__ import annotations

from stack.alarms.alarm import SERVICE, Alarm, Metric
from stack.intrinsics import Ref

# collectra.http.route_groups.GROUPS (tests/stack/test_alarms.py checks they are the same): the stack reads no code.
GROUPS = ("auth", "workspace", "debtors", "debts", "plans", "pages", "stripe_webhook", "brevo_webhook")
FIVE_MINUTES = 300
HOUR = 3600
MIN_REQUESTS = 10  # a 5xx rate over fewer requests is one unlucky request, not a trend
MIN_FOR_P95 = 20  # a p95 of fewer requests is their slowest one (often a cold start)
ERROR_PERCENT = 5
# p95 budget per group, in ms, cold starts included (~1 s; docs/decisions.md): the debtor's pages and the webhooks
# are the tightest; auth hashes passwords (argon2id, ~35 ms each on a full vCPU) and is allowed more.
LATENCY_BUDGETS = {
    "auth": 2000,
    "workspace": 2000,
    "debtors": 1500,
    "debts": 1500,
    "plans": 1500,
    "pages": 1000,
    "stripe_webhook": 1000,
    "brevo_webhook": 1000,
}


def camel(group: str) -> str:
    return "".join(part.capitalize() for part in group.split("_"))


def route_metric(name: str, group: str, stat: str = "Sum") -> Metric:
    """One of the four metrics entry_point emits for every request of `group`."""
    return Metric(name, dimensions=(*SERVICE, ("route_group", group)), stat=stat)


def server_errors(group: str) -> Alarm:
    return Alarm(
        f"{camel(group)}ApiErrors",
        description=f"More than {ERROR_PERCENT}% of the {group} routes' requests answered 5xx (of at least "
        f"{MIN_REQUESTS} in 5 minutes), in two of the last three 5-minute periods.",
        expression=f"IF(requests >= {MIN_REQUESTS}, 100 * errors / requests, 0)",
        metrics=(("requests", route_metric("ApiRequests", group)), ("errors", route_metric("Api5xx", group))),
        threshold=ERROR_PERCENT,
        period=FIVE_MINUTES,
        evaluation_periods=3,
        datapoints=2,
    )


def latency(group: str) -> Alarm:
    budget = LATENCY_BUDGETS[group]
    return Alarm(
        f"{camel(group)}ApiLatency",
        description=f"The {group} routes' p95 latency was above {budget} ms (of at least {MIN_FOR_P95} requests "
        "in 5 minutes), in two of the last three 5-minute periods.",
        expression=f"IF(requests >= {MIN_FOR_P95}, p95, 0)",
        metrics=(("requests", route_metric("ApiRequests", group)), ("p95", route_metric("ApiLatency", group, "p95"))),
        threshold=budget,
        period=FIVE_MINUTES,
        evaluation_periods=3,
        datapoints=2,
    )


# Stripe retries a failed delivery for three days, then gives up (the payment is never booked); every event we
# can read answers 2xx (duplicates and events we ignore too), so any steady share of 4xx is our signing secret or
# mode, 5xx our code. An hour: Stripe's own retries are hours apart, so nothing is lost in that hour.
STRIPE_MIN, STRIPE_PERCENT = 5, 20
STRIPE_WEBHOOK_FAILURES = Alarm(
    "StripeWebhookApiErrors",
    description=f"More than {STRIPE_PERCENT}% of Stripe's webhook deliveries in the last hour (of at least "
    f"{STRIPE_MIN}) were refused (4xx: signing secret, mode) or failed (5xx); Stripe gives up after three days.",
    expression=f"IF(requests >= {STRIPE_MIN}, 100 * (refused + failed) / requests, 0)",
    metrics=(
        ("requests", route_metric("ApiRequests", "stripe_webhook")),
        ("refused", route_metric("Api4xx", "stripe_webhook")),
        ("failed", route_metric("Api5xx", "stripe_webhook")),
    ),
    threshold=STRIPE_PERCENT,
    period=HOUR,
)
# Brevo's events (bounces, complaints, unsubscribes) stop reminders to addresses that must not get them. A wrong
# token answers 401 to every event; a body we cannot read is acknowledged (200) but counted (BrevoEvent_unreadable).
BREVO_MIN, BREVO_PERCENT = 10, 10
BREVO_WEBHOOK_FAILURES = Alarm(
    "BrevoWebhookApiErrors",
    description=f"More than {BREVO_PERCENT}% of Brevo's webhook deliveries in the last hour (of at least {BREVO_MIN}) "
    "were refused (4xx: the token), failed (5xx) or could not be read: bounces and complaints may go unrecorded.",
    expression=f"IF(requests >= {BREVO_MIN}, 100 * (refused + failed + FILL(unreadable, 0)) / requests, 0)",
    metrics=(
        ("requests", route_metric("ApiRequests", "brevo_webhook")),
        ("refused", route_metric("Api4xx", "brevo_webhook")),
        ("failed", route_metric("Api5xx", "brevo_webhook")),
        ("unreadable", Metric("BrevoEvent_unreadable")),
    ),
    threshold=BREVO_PERCENT,
    period=HOUR,
)


def gateway(name: str) -> Metric:
    """The HTTP API's own count (AWS/ApiGateway, dimension ApiId): every request, answered by code or not."""
    return Metric(name, namespace="AWS/ApiGateway", dimensions=(("ApiId", Ref("Api")),))


# At least three 5xx, and 5% of the requests: a total outage at night (few requests) fires, one 5xx among
# thousands does not.
GATEWAY_MIN_ERRORS = 3
API_SERVER_ERRORS = Alarm(
    "ApiServerErrors",
    description=f"API Gateway answered 5xx to more than {ERROR_PERCENT}% of the API's requests in 5 minutes "
    f"(at least {GATEWAY_MIN_ERRORS}): errors, timeouts and crashed or throttled functions alike.",
    expression=f"IF(errors >= {GATEWAY_MIN_ERRORS}, 100 * errors / requests, 0)",
    metrics=(("requests", gateway("Count")), ("errors", gateway("5xx"))),
    threshold=ERROR_PERCENT,
    period=FIVE_MINUTES,
)

ALARMS = (
    *(server_errors(group) for group in GROUPS if not group.endswith("_webhook")),
    STRIPE_WEBHOOK_FAILURES,
    BREVO_WEBHOOK_FAILURES,
    *(latency(group) for group in GROUPS),
    API_SERVER_ERRORS,
)
