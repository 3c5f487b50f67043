from datetime import UTC, datetime, timedelta

from collectra.auth import throttle
from collectra.auth.records import ThrottleCounter
from collectra.auth.throttle import ACCOUNT, SOURCE_IP, lock_seconds, retry_after

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def counter(failures: int, seconds_ago: int = 0) -> ThrottleCounter:
    last = int((NOW - timedelta(seconds=seconds_ago)).timestamp())
    return {"pk": "THROTTLE#account#x", "sk": "COUNTER", "failures": failures, "last_failure_at": last, "expires_at": 0}


def test_first_failures_of_an_account_are_free() -> None:
    assert [lock_seconds(ACCOUNT, n) for n in range(5)] == [0, 0, 0, 0, 0]


def test_account_lock_doubles_from_the_fifth_failure_up_to_fifteen_minutes() -> None:
    assert [lock_seconds(ACCOUNT, n) for n in range(5, 13)] == [15, 30, 60, 120, 240, 480, 900, 900]


def test_tenth_consecutive_failure_is_throttled_at_the_latest() -> None:
    assert retry_after(ACCOUNT, counter(10), now=NOW) > 0


def test_lock_ends_when_its_time_has_passed() -> None:
    assert retry_after(ACCOUNT, counter(6, seconds_ago=29), now=NOW) == 1
    assert retry_after(ACCOUNT, counter(6, seconds_ago=30), now=NOW) == 0


def test_failures_are_forgotten_after_fifteen_quiet_minutes() -> None:
    assert throttle.current_failures(counter(20, seconds_ago=15 * 60 + 1), now=NOW) == 0
    assert retry_after(ACCOUNT, counter(20, seconds_ago=15 * 60 + 1), now=NOW) == 0


def test_an_attacker_cannot_lock_an_account_for_more_than_fifteen_minutes() -> None:
    assert max(lock_seconds(ACCOUNT, n) for n in range(1000)) == 15 * 60


def test_an_address_gets_more_room_than_an_account() -> None:
    assert lock_seconds(SOURCE_IP, 29) == 0
    assert lock_seconds(SOURCE_IP, 30) > 0


def test_a_counter_gone_quiet_restarts_from_one_rather_than_adding() -> None:
    stale = throttle.failure_update(ACCOUNT, "a@example.com", counter(9, seconds_ago=3600), now=NOW)
    fresh = throttle.failure_update(ACCOUNT, "a@example.com", counter(2), now=NOW)
    assert stale.body["UpdateExpression"].startswith("SET failures = :one")
    assert fresh.body["UpdateExpression"].startswith("ADD failures :one")


def test_counters_do_not_store_the_email_address() -> None:
    key = throttle.key(ACCOUNT, "Someone@Example.com")
    assert "someone" not in key["pk"].lower()
    assert key == throttle.key(ACCOUNT, "someone@example.com")
