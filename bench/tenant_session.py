"""What per-request tenant scoping would cost an authenticated route: an STS session limited to one workspace.

    python -m bench.tenant_session            (BENCH_TENANT_SESSIONS requests, 200 by default)

Per request the function would (1) write a session policy allowing the table's actions on `WS#<id>*` keys
only, (2) call sts:AssumeRole on its own role with that policy, and (3) make a DynamoDB client from the
temporary credentials, then do its work with that client. Each step is timed here, and compared with what
the route's work costs today: one GetItem. The AssumeRole round trip is moto's (the emulator, on loopback),
so it is a floor: it measures the SDK's share and no network; AWS documents no latency for AssumeRole.
"""

from __future__ import annotations

import json
import os
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

import boto3

from local.cfn import ACCOUNT_ID, REGION
from local.emulator import Emulator, client

SESSIONS = int(os.environ.get("BENCH_TENANT_SESSIONS", "200"))
TABLE = "collectra-bench"
ROLE = f"arn:aws:iam::{ACCOUNT_ID}:role/collectra-bench-function"
ACTIONS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"]


def session_policy(workspace_id: str) -> str:
    table = f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/{TABLE}"
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ACTIONS,
                    "Resource": [table, f"{table}/index/*"],
                    "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": [f"WS#{workspace_id}*"]}},
                }
            ],
        }
    )


def median_ms(step: Callable[[], Any], times: int) -> float:
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        step()
        spent.append((time.perf_counter() - started) * 1000)
    return statistics.median(spent)


def main() -> None:
    with Emulator(port=int(os.environ.get("BENCH_EMULATOR_PORT", "42001"))) as emulator:
        dynamodb = client("dynamodb", emulator.url)
        dynamodb.create_table(
            TableName=TABLE,
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
        sts = client("sts", emulator.url)
        workspace = uuid.uuid4().hex
        credentials = sts.assume_role(RoleArn=ROLE, RoleSessionName="tenant", Policy=session_policy(workspace))[
            "Credentials"
        ]
        warm = boto3.session.Session()

        def scoped_client() -> Any:
            return warm.client(
                "dynamodb",
                region_name=REGION,
                endpoint_url=emulator.url,
                aws_access_key_id=credentials["AccessKeyId"],
                aws_secret_access_key=credentials["SecretAccessKey"],
                aws_session_token=credentials["SessionToken"],
            )

        scoped_client()  # the first client of a session loads the service model: a cold start's cost, not a request's
        figures = {
            "session policy (json)": median_ms(lambda: session_policy(uuid.uuid4().hex), SESSIONS),
            "sts:AssumeRole round trip (moto)": median_ms(
                lambda: sts.assume_role(RoleArn=ROLE, RoleSessionName="tenant", Policy=session_policy(workspace)),
                SESSIONS,
            ),
            "DynamoDB client from the credentials": median_ms(scoped_client, SESSIONS),
            "today's work: one GetItem (moto)": median_ms(
                lambda: dynamodb.get_item(TableName=TABLE, Key={"pk": {"S": f"WS#{workspace}"}}), SESSIONS
            ),
        }
    print(f"per-request tenant session, median of {SESSIONS}:")
    for name, value in figures.items():
        print(f"  {name:<40} {value:8.2f} ms")


if __name__ == "__main__":
    main()
