"""`make dev` runs the erasure like AWS: the worker consumes the deletion queue, the sweeper is a schedule."""

from __future__ import annotations

import json

from local.template import (
    function_environments,
    load_template,
    queue_consumers,
    queue_definitions,
    scheduled_functions,
)
from tests.support.http import ROOT


def test_the_erasure_worker_consumes_the_deletion_queue_and_the_sweeper_runs_on_a_schedule() -> None:
    template = load_template(ROOT / "template.yaml")
    consumers = {c.logical_id: c for c in queue_consumers(template, endpoint_url="http://127.0.0.1:5000")}
    worker = consumers["ErasureWorkerFunction"]
    assert (worker.function.handler, worker.queue_name, worker.batch_size, worker.report_batch_item_failures) == (
        "erasure_worker.handler",
        "collectra-dev-deletions",
        1,
        True,
    )
    sweeper = next(s for s in scheduled_functions(template) if s.logical_id == "ErasureSweeperFunction")
    assert (sweeper.function.handler, sweeper.schedule, sweeper.enabled) == (
        "erasure_sweeper.handler",
        "rate(1 hour)",
        True,
    )
    environments = function_environments(template, endpoint_url="http://127.0.0.1:5000")
    for starting in ("DeleteAccountFunction", "DeleteWorkspaceFunction", "ErasureSweeperFunction"):
        assert environments[starting]["DELETION_QUEUE_URL"] == worker.queue_url
    assert environments["ErasureWorkerFunction"]["ACCOUNTING_RETENTION_YEARS"] == "10"


def test_the_deletion_queue_redrives_to_its_dead_letter_queue_and_outlasts_the_worker() -> None:
    template = load_template(ROOT / "template.yaml")
    definitions = {d["QueueName"]: d for d in queue_definitions(template)}
    names = list(definitions)
    assert names.index("collectra-dev-deletions-dlq") < names.index("collectra-dev-deletions")
    deletions = definitions["collectra-dev-deletions"]["Attributes"]
    assert json.loads(deletions["RedrivePolicy"])["maxReceiveCount"] == 5
    worker = template["Resources"]["ErasureWorkerFunction"]["Properties"]
    assert int(deletions["VisibilityTimeout"]) > worker["Timeout"]
