"""When a promise to pay is kept or broken: pure rules, no I/O; "now" is always an argument.

A promise names an amount (at most what was outstanding when it was made) and a date. It is kept once what
was paid since it was made (`amount_paid - paid_before`, so a refund counts against it) reaches the amount:
at once, on the payment that reaches it. Otherwise it is broken when the date and a grace day have passed in
the business's time zone, i.e. at the midnight that starts the second day after the date there (`decide_at`).
Kept or broken is final: a refund after a kept promise does not break it, a payment after a broken one does
not keep it (the debt itself says what is still owed).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from collectra.clock import iso
from collectra.money import MINOR_UNIT_EXPONENT

if TYPE_CHECKING:  # the shapes it reads
    from collectra.debts.records import Actor, Promise

GRACE = timedelta(days=1)

Outcome = Literal["kept", "broken"]


class AmountRefused(ValueError):
    """A promised amount that is not more than 0 or more than what is outstanding."""


def decide_at(on: date, zone: str) -> datetime:
    """When a promise for `on` is broken unless kept: midnight after the grace day, in the business's zone."""
    return datetime.combine(on + GRACE + timedelta(days=1), time(0), ZoneInfo(zone)).astimezone(UTC)


def promised_amount(asked: int | None, outstanding: int) -> int:
    """What the promise is for: `asked`, or everything outstanding; AmountRefused outside (0, outstanding]."""
    amount = outstanding if asked is None else asked
    if amount <= 0 or amount > outstanding:
        raise AmountRefused(f"A promise can be for more than 0 and at most what is outstanding ({outstanding}).")
    return amount


def new_promise(amount: int, on: date, *, zone: str, by: Actor, amount_paid: int, now: datetime) -> Promise:
    return {
        "amount": amount,
        "on": on.isoformat(),
        "made_at": iso(now),
        "by": by,
        "paid_before": amount_paid,
        "decide_at": iso(decide_at(on, zone)),
    }


def paid_since(promise: Promise, amount_paid: int) -> int:
    return amount_paid - int(promise["paid_before"])


def outcome(promise: Promise, amount_paid: int, now: datetime) -> Outcome | None:
    """Kept once paid enough since it was made; broken once its grace day has passed; else still open (None)."""
    if paid_since(promise, amount_paid) >= int(promise["amount"]):
        return "kept"
    if now >= deadline(promise):
        return "broken"
    return None


def deadline(promise: Promise) -> datetime:
    """`decide_at`, stored when the promise was made (the business's time zone then is the one that counts)."""
    return datetime.fromisoformat(str(promise["decide_at"]))


def reminder_step_of(promise: Promise) -> int:
    """The reminder step of a broken promise's "you promised" email: negative, so it never counts as one of the
    policy's steps (those start at 0), and unique to the promise (from when it was made), so a second broken
    promise on the same debt gets its own claim and its own email."""
    return -int(datetime.fromisoformat(promise["made_at"]).timestamp())


def is_promise_step(step: int) -> bool:
    return step < -1  # -1 is "no step sent yet"


def written_amount(text: str, currency: str) -> int:
    """An amount as a debtor types it on their page ("120.50" or "120,50", no thousands separators) in minor
    units of `currency`; AmountRefused when it is not one, or has more decimals than the currency."""
    exponent = MINOR_UNIT_EXPONENT[currency]
    written = _WRITTEN.fullmatch(text.strip())
    if written is None:
        raise AmountRefused("A promised amount is a number, like 120.50.")
    whole, fraction = written["whole"], (written["fraction"] or "").rstrip("0")
    if len(fraction) > exponent:
        raise AmountRefused(f"{currency} amounts have at most {exponent} decimals.")
    return int(whole + fraction.ljust(exponent, "0"))


_WRITTEN = re.compile(r"(?P<whole>[0-9]{1,13})(?:[.,](?P<fraction>[0-9]{0,3}))?")
