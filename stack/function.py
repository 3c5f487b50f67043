"""A function's declaration: its handler, what invokes it, what it may touch, and its size.

Everything else the template says about a function (its name, log group, role, the Api's throttle for its
route) is derived from this by stack.template.
"""

from __future__ import annotations

import re
from dataclasses import KW_ONLY, dataclass

from stack.base import Queue, Setting
from stack.blocks import Block
from stack.intrinsics import Ref, Value

# Lambda gives a function one full vCPU at 1,769 MB (a share in proportion below): CPU-bound work such as an argon2
# hash costs the same GB-seconds at any size up to it, and finishes soonest there (docs/decisions.md).
FULL_VCPU_MB = 1769
_ROUTE = re.compile(r"^(GET|POST|PUT|PATCH|DELETE) (/[^\s]*)$")
_HANDLER = re.compile(r"^functions/([a-z_]+)/([a-z_]+)\.([a-z_]+)$")


@dataclass(frozen=True)
class Throttle:
    """The route's own bucket in the Api's RouteSettings (docs/throttling.md): requests per second, and burst."""

    rate: int
    burst: int


@dataclass(frozen=True)
class Http:
    """An HttpApi route, "POST /auth/signup"; with a throttle, a budget of its own rather than the stage default."""

    route: str
    throttle: Throttle | None = None

    def __post_init__(self) -> None:
        if not _ROUTE.match(self.route):
            raise ValueError(f"route {self.route!r}: expected 'METHOD /path'")

    @property
    def method(self) -> str:
        return self.route.split(" ", 1)[0]

    @property
    def path(self) -> str:
        return self.route.split(" ", 1)[1]


@dataclass(frozen=True)
class Schedule:
    """An EventBridge schedule: `every` is a schedule expression (usually a parameter's Ref)."""

    every: Value
    description: str


@dataclass(frozen=True)
class Consume:
    """An SQS event source. SAM grants the function the queue's receive and delete with the event itself."""

    queue: Queue
    batch_size: int
    max_concurrency: int | Ref | None = None  # the event source's ScalingConfig (2 at least)


Event = Http | Schedule | Consume


@dataclass(frozen=True)
class Function:
    """One AWS::Serverless::Function. `name` is its logical id without "Function" ("Signup")."""

    name: str
    _: KW_ONLY
    handler: str  # "functions/auth/signup.handler"
    event: Event
    permissions: tuple[Block, ...] = ()
    memory: int | None = None  # MB; None: Globals' MemorySize
    timeout: int | None = None  # seconds; None: Globals' Timeout
    reserved_concurrency: int | Ref | None = None
    ephemeral_storage: int | None = None  # MB of /tmp; None: Lambda's 512
    settings: tuple[Setting, ...] = ()  # environment the permission blocks do not already give
    # DynamoDB key families ("USER#", "EMAIL#") its table statements are limited to (dynamodb:LeadingKeys);
    # empty: the whole table, as the statements say.
    keys: tuple[str, ...] = ()
    # Cold starts resumed from a snapshot of the initialized function (SnapStart), served through the published
    # version its ALIAS points to; its price and the routes that pay for it: docs/decisions.md.
    snap_start: bool = False

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", self.name):
            raise ValueError(f"function {self.name!r}: a name is CamelCase, e.g. 'Signup'")
        if not _HANDLER.match(self.handler):
            raise ValueError(f"{self.name}: handler {self.handler!r}: expected 'functions/<package>/<module>.handler'")

    @property
    def logical_id(self) -> str:
        return f"{self.name}Function"

    @property
    def log_group(self) -> str:
        return f"{self.name}LogGroup"

    @property
    def short_name(self) -> str:
        """The deployed name's last part: "ResetEmailWorker" -> "reset-email-worker"."""
        return re.sub(r"(?<!^)(?=[A-Z])", "-", self.name).lower()

    @property
    def code_uri(self) -> str:
        return self.handler.rsplit("/", 1)[0] + "/"

    @property
    def module_handler(self) -> str:
        return self.handler.rsplit("/", 1)[1]

    @property
    def package(self) -> str:
        return self.handler.split("/")[1]
