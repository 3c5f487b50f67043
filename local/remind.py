"""`python -m local.remind [--now 2026-12-24T09:00:00Z]`: one reminder run against the stack `make dev` runs.

Invokes every scheduled function (the reminder planner, the instalment scheduler of payment plans, the digest
run) once, with the Scheduled Event's `time` set to --now (or $NOW; default: now), then drains the queues through
their consumers in the template's order (the planner's slices through the shard planner, continuations included,
then the reminder queue through the sender) until none has a message waiting, and says what they answered and how
many emails the Brevo outbox now holds. The functions run in workers of this process with the environment
`make dev` gives them (local.dev.stack_overrides), against its emulator, Brevo and Stripe (found through the same
COLLECTRA_* ports).

The planner takes "now" from the event's `time`, and its messages carry it on to the sender, so --now moves
the clock of a whole run: nothing reads an environment variable for it. The instalment scheduler takes the same
`time`: at --now it settles the plans due, charges their automatic instalments, breaks those past their grace days
(their debts' reminders resume in the same run: the planner's slices are planned after it) and emails the debtors'
plan notices. `make dev`'s own pollers keep
running meanwhile and often take the messages first (their log shows what they did): so after draining,
this waits for the messages in flight to be done with (or to stay put for a few seconds: failed ones wait
out the visibility timeout), and the outbox count covers both.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.request
from dataclasses import replace
from datetime import UTC, datetime

from botocore.exceptions import BotoCoreError, ClientError

from local.dev import TEMPLATE, LocalStack, function_environment, stack_overrides
from local.emulator import client
from local.events import Drained, EventSources, Invocation, QueueCounts, QueuePoller, event_time, parse_time

_DRAIN_TIMEOUT_S = 300.0
_QUIET_S = 5.0  # in-flight messages that stay put this long are failures waiting out the visibility timeout


def _outbox_size(brevo_url: str) -> int | None:
    try:
        with urllib.request.urlopen(f"{brevo_url}/outbox.json", timeout=5) as answer:
            return len(json.load(answer))
    except (OSError, ValueError):
        return None


def _check_emulator(endpoint_url: str, sources: EventSources) -> None:
    """Fail with a hint rather than a traceback when `make dev` is not running (or predates the queues)."""
    sqs = client("sqs", endpoint_url)
    try:
        sqs.list_queues()
        for poller in sources.pollers:
            sqs.get_queue_url(QueueName=poller.consumer.queue_name)
    except ClientError as error:
        raise SystemExit(f"the emulator lacks a queue of the template ({error}): restart `make dev`") from None
    except BotoCoreError as error:
        raise SystemExit(f"the emulator at {endpoint_url} does not answer ({error}): is `make dev` running?") from None


def _settle(sources: EventSources, deadline: float) -> list[QueueCounts]:
    """Wait until no message is in flight (another consumer, `make dev`'s, has finished with them), or the
    counts have not moved for a few seconds (failures waiting out the visibility timeout), or the deadline."""
    last: list[QueueCounts] = []
    changed_at = time.monotonic()
    while True:
        counts = [poller.counts() for poller in sources.pollers]
        if all(c.in_flight == 0 for c in counts):
            return counts
        now = time.monotonic()
        if counts != last:
            last, changed_at = counts, now
        elif now - changed_at >= _QUIET_S or now >= deadline:
            return counts
        time.sleep(0.2)


def _merge(first: Drained, then: Drained) -> Drained:
    return replace(then, batches=first.batches + then.batches)


def run(sources: EventSources, moment: datetime, timeout: float) -> tuple[list[Invocation], list[Drained]]:
    """The scheduled functions at `moment`, then the queues until drained (and settled), within `timeout`."""
    deadline = time.monotonic() + timeout
    runs = sources.run_schedules(moment)
    drained = sources.drain(timeout)
    while True:
        counts = _settle(sources, deadline)
        drained = [replace(d, remaining=c) for d, c in zip(drained, counts, strict=True)]
        if not any(c.visible for c in counts) or time.monotonic() >= deadline:
            return runs, drained
        # Handed back meanwhile (another consumer failed them, or stopped): drain again.
        more = sources.drain(max(0.0, deadline - time.monotonic()))
        drained = [_merge(a, b) for a, b in zip(drained, more, strict=True)]


def _dead_letters(poller: QueuePoller) -> str:
    sqs = client("sqs", poller.runner.endpoint_url or "")
    url = poller.consumer.queue_url
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"]).get("Attributes") or {}
    policy = attributes.get("RedrivePolicy")
    if not policy:
        return ""
    name = str(json.loads(policy)["deadLetterTargetArn"]).rsplit(":", 1)[-1]
    dlq_url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    counted = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["ApproximateNumberOfMessages"])
    return f"; dead-letter queue {name}: {counted['Attributes']['ApproximateNumberOfMessages']}"


def _answer(invocation: Invocation) -> str:
    if not invocation.ok:
        return f"FAILED: {invocation.error}"
    return json.dumps(invocation.result, default=str)


def summary(
    moment: datetime,
    runs: list[Invocation],
    drained: list[Drained],
    outbox: tuple[int | None, int | None],
    dead_letters: list[str],
) -> list[str]:
    lines = [f"Reminder run at {event_time(moment)}"]
    for run_ in runs:
        lines.append(f"  {run_.logical_id} ({run_.duration_ms:.0f} ms): {_answer(run_)}")
    for queue, dead in zip(drained, dead_letters, strict=True):
        lines.append(
            f"  {queue.queue_name}: {queue.received} message(s) handled here in {len(queue.batches)} batch(es), "
            f"{queue.deleted} done, {queue.failed} failed (back after the visibility timeout)"
        )
        for batch in queue.batches:
            if batch.invocation is not None:
                lines.append(f"    {batch.logical_id}: {_answer(batch.invocation)}")
        left = queue.remaining
        lines.append(
            f"    now: {left.visible} waiting, {left.in_flight} in flight, {left.delayed} delayed{dead}"
            + ("   (gave up waiting)" if queue.timed_out else "")
        )
    if any(queue.received == 0 for queue in drained):
        lines.append("    (`make dev` polls the queues too and may have taken the messages: its log has its batches)")
    before, after = outbox
    if after is None:
        lines.append("  Brevo outbox: not reachable")
    else:
        added = "" if before is None else f" ({after - before:+d})"
        lines.append(f"  Brevo outbox: {after} email(s){added}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the scheduled functions once, then drain their queues.")
    parser.add_argument(
        "--now",
        default=os.environ.get("NOW") or None,
        help="the Scheduled Event's time, ISO 8601 (2026-12-24T09:00:00Z); default $NOW, else now",
    )
    parser.add_argument("--timeout", type=float, default=_DRAIN_TIMEOUT_S, help="seconds to wait for the queues")
    args = parser.parse_args(argv)
    try:
        moment = parse_time(args.now) if args.now else datetime.now(UTC)
    except ValueError:
        parser.error(f"--now must be an ISO 8601 time such as 2026-12-24T09:00:00Z, got {args.now!r}")

    stack = LocalStack.from_environment()
    sources = EventSources(
        TEMPLATE,
        endpoint_url=stack.moto_url,
        overrides=stack_overrides(stack),
        environment=function_environment(stack),
    )
    _check_emulator(stack.moto_url, sources)
    before = _outbox_size(stack.brevo_url)
    try:
        runs, drained = run(sources, moment, args.timeout)
    finally:
        sources.stop()
    after = _outbox_size(stack.brevo_url)
    lines = summary(moment, runs, drained, (before, after), [_dead_letters(poller) for poller in sources.pollers])
    if after is not None:
        lines.append(f"  {stack.brevo_url}/outbox")
    print("\n".join(lines), flush=True)
    return 0 if all(run.ok for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
