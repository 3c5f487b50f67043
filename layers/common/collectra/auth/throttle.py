"""Throttling of failed sign-ins, per account and per source IP.

Failures count while they keep coming: a counter resets after 15 quiet minutes. From the 5th
consecutive failure an account is locked for 15 s, doubling with each further failure up to 15
minutes, so an attacker cannot lock a real user out for long, and a password reset or a successful
sign-in clears it. An IP address gets more room (offices share one) before the same treatment.
Counters are keyed by a hash of the email, whether or not the account exists, so a 429 reveals nothing.
A sign-in reserves its attempt on both counters (a conditional write) before the password is checked, so
concurrent guesses cannot all pass the same check-then-act read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from collectra import store
from collectra.auth.records import ThrottleCounter
from collectra.store import keys

QUIET_RESET_SECONDS = 15 * 60
MAX_LOCK_SECONDS = 15 * 60


@dataclass(frozen=True)
class Rule:
    scope: str
    free_failures: int
    first_lock_seconds: int


ACCOUNT = Rule(scope="login-account", free_failures=4, first_lock_seconds=15)
SOURCE_IP = Rule(scope="login-ip", free_failures=29, first_lock_seconds=60)


def lock_seconds(rule: Rule, failures: int) -> int:
    """How long after the latest failure the next attempt must wait."""
    if failures <= rule.free_failures:
        return 0
    return int(min(rule.first_lock_seconds * 2 ** (failures - rule.free_failures - 1), MAX_LOCK_SECONDS))


def current_failures(counter: ThrottleCounter | None, *, now: datetime) -> int:
    if not counter or now.timestamp() - counter["last_failure_at"] > QUIET_RESET_SECONDS:
        return 0
    return int(counter["failures"])


def retry_after(rule: Rule, counter: ThrottleCounter | None, *, now: datetime) -> int:
    """Seconds until another attempt is allowed (0: allowed now)."""
    failures = current_failures(counter, now=now)
    if counter is None or failures == 0:
        return 0
    unlocks_at = counter["last_failure_at"] + lock_seconds(rule, failures)
    return max(0, int(unlocks_at - now.timestamp() + 0.999))


def key(rule: Rule, subject: str) -> dict[str, str]:
    return keys.throttle(rule.scope, subject.lower())


def failure_update(rule: Rule, subject: str, counter: ThrottleCounter | None, *, now: datetime) -> store.Operation:
    """The transaction operation that records one more failure.

    ADD keeps concurrent failures all counted; a counter gone quiet starts again from one.
    """
    epoch = int(now.timestamp())
    values = {":one": 1, ":now": epoch, ":expires": epoch + QUIET_RESET_SECONDS + MAX_LOCK_SECONDS}
    if current_failures(counter, now=now) == 0:
        expression = "SET failures = :one, last_failure_at = :now, expires_at = :expires"
    else:
        expression = "ADD failures :one SET last_failure_at = :now, expires_at = :expires"
    return store.update_op(key(rule, subject), expression, values)


def reserve(rule: Rule, subject: str, counter: ThrottleCounter | None, *, now: datetime) -> store.Operation:
    """The transaction operation that counts an attempt as a failure before its password is checked, on
    condition that the counter still allows it as read, so that concurrent attempts cannot all pass one
    check: a burst gets at most `free_failures + 1` guesses, and one more each time a lock runs out.

    - under the free allowance: ADD one while the count is still within it (no matter who else added);
    - a counter gone quiet: start again from one, if nobody else did meanwhile;
    - a lock run out: ADD one if the count is still the one read (one attempt, then a longer lock).
    A successful sign-in gives the reservation back (`give_back`) or forgets the account's (`clear`).
    """
    epoch = int(now.timestamp())
    values: dict[str, Any] = {":one": 1, ":now": epoch, ":expires": epoch + QUIET_RESET_SECONDS + MAX_LOCK_SECONDS}
    failures = current_failures(counter, now=now)
    if counter is not None and failures == 0:
        expression = "SET failures = :one, last_failure_at = :now, expires_at = :expires"
        condition = "last_failure_at = :seen"
        values[":seen"] = counter["last_failure_at"]
    elif failures <= rule.free_failures:
        expression = "ADD failures :one SET last_failure_at = :now, expires_at = :expires"
        condition = "attribute_not_exists(failures) OR failures <= :free"
        values[":free"] = rule.free_failures
    else:
        expression = "ADD failures :one SET last_failure_at = :now, expires_at = :expires"
        condition = "failures = :seen"
        values[":seen"] = failures
    return store.update_op(key(rule, subject), expression, values, condition)


def give_back(rule: Rule, subject: str) -> store.Operation:
    """The transaction operation that takes back a reservation that turned out a success (an IP address's
    counter counts failures, and an office's colleagues signing in are none)."""
    return store.update_op(key(rule, subject), "ADD failures :minus_one", {":minus_one": -1})


def clear(rule: Rule, subject: str) -> store.Operation:
    """The transaction operation that forgets an account's failures (after a sign-in or a reset)."""
    return store.delete_op(key(rule, subject))
