"""A stand-in for Stripe: the Connect and Checkout calls Collectra makes, the hosted pages, signed webhooks.

    python -m local.stripe [--port 3003] [--api-key KEY] [--webhook-secret SECRET] [--webhook-url URL]

stripe-python reaches it with `StripeClient(key, base_addresses={"api": url})`. The API answers as
Stripe does: form-encoded parameters (`a[b]=`, `a[0][b]=`) checked against stripe-python's own parameter
types, `Authorization: Bearer <key>`, `Stripe-Account` to act on a connected account (whose objects no
other account sees), `Idempotency-Key` (replayed for 24 hours), and errors shaped
`{"error": {"type", "code", "message", "param"}}` with Stripe's statuses, so the client raises the
exception it would raise against Stripe.

POST /v1/accounts                          create a connected account (platform only)
GET  /v1/accounts/{id}                     one of the platform's connected accounts
GET  /v1/account                           the account named by Stripe-Account, else the platform
POST /v1/account_links                     an onboarding link to {url}/connect/onboarding/{link}
POST /v1/checkout/sessions                 a Checkout Session: mode=payment, price_data line items
GET  /v1/checkout/sessions/{id}            (and .../line_items)
POST /v1/checkout/sessions/{id}/expire
GET  /v1/accounts                          the platform's connected accounts, newest first, paginated
GET  /v1/payment_intents/{id}, /v1/charges/{id}, /v1/disputes/{id}, /v1/events/{id}
GET  /v1/events                            the account's events, newest first: delivery_success, created, type(s),
                                           limit, starting_after, ending_before (`lists`)
POST /v1/refunds                           a refund of a payment_intent's (or a charge's) charge: charge.refunded
POST /v1/checkout/sessions                 ... or mode=setup: saves a card or a SEPA mandate for a customer
POST /v1/customers, GET /v1/customers/{id} customers of a connected account
GET  /v1/setup_intents/{id}, /v1/payment_methods/{id}; POST /v1/payment_methods/{id}/detach
POST /v1/payment_intents                   off_session=true&confirm=true charges a saved method (see `saved`)

GET  /checkout/{session}                   the hosted checkout page: Pay, Decline, Pay by bank transfer; in setup
                                           mode one button per Stripe test card or IBAN (`saved.TEST_METHODS`)
GET  /connect/onboarding/{link}            the onboarding page: Complete onboarding

Every event is recorded and POSTed to `webhook_url` (when set) with a `Stripe-Signature` header made
with `webhook_secret`, as Stripe signs. A page button delivers before it answers (its redirect follows
the webhook's reply); an API call answers first and delivers right after, as Stripe does. A failed
delivery is not retried: redeliver it through the control endpoint.

Control endpoints (JSON in and out, no key), for tests and demos:
GET  /_control/events                      {"events": [{"event", "deliveries": [status|null, ...]}]}
POST /_control/events/{id}/redeliver       the same event (id and payload), freshly signed
POST /_control/hold                        queue events instead of sending them ...
POST /_control/release                     ... then send them: {"order": "as_created" | "reverse" | [ids]}
POST /_control/sessions/{id}/async         {"outcome": "succeeded" | "failed"}: a bank transfer settles
POST /_control/sessions/{id}/setup         {"method": "4242424242424242" | an IBAN ...}: a setup session saves it
POST /_control/payment_intents/{id}/settle a SEPA debit confirmed off-session settles, as its IBAN says
POST /_control/payment_methods/{id}/behave {"as": "4000000000009995"}: its next payments go as that number's
POST /_control/charges/{id}/refund         {"amount": n}, by default what is left
POST /_control/charges/{id}/dispute        a dispute, reason fraudulent
POST /_control/disputes/{id}/close         {"status": "won" | "lost"}
POST /_control/accounts/{id}/update        {"charges_enabled": true, ...}: account.updated
POST /_control/accounts/{id}/deauthorize   account.application.deauthorized
POST /_control/send                        {"type", "account", "object"}: any event
POST /_control/clock                       {"advance": seconds}: the stand-in's clock moves on; sessions expire
POST /_control/fail                        {"method", "path", "account", "status", "times"}: that request fails

By job: `parameters` (what each endpoint takes, read from stripe-python's types, and Stripe's checks),
`objects` (the Stripe objects it builds), `state` (what it holds, events), `webhooks` (signed deliveries),
`payments` (how money moves), `saved` (customers, setup mode, saved methods, off-session payments), `call` (one
request as a route sees it), `routes`, `lists` and `api` (the /v1 endpoints and one request through them),
`pages` (hosted Checkout and onboarding), `control` (the test controls), `server` (HTTP, `StripeStandIn`).
"""

from local.stripe.parameters import parse_params
from local.stripe.server import StripeStandIn
from local.stripe.state import API_VERSION
from local.stripe.webhooks import stripe_signature

__all__ = ["API_VERSION", "StripeStandIn", "parse_params", "stripe_signature"]
