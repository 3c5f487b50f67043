"""What environments resumed from one SnapStart snapshot must not share: the state of `random`.

Every environment Lambda resumes from a function's snapshot starts with the memory the snapshot holds, the
Mersenne Twister's state included: botocore draws its retry jitter from the module-level `random`, so without a
new seed every restored environment would back off from a throttle at the same instants. After a restore the
generator is seeded again from the operating system. Nothing else made at init is unique or stale: no AWS client
or connection is made before the first request (tests/test_snapstart.py), and `secrets` and `uuid.uuid4` read the
operating system's generator on every call.

`snapshot_restore_py` is part of Lambda's Python runtimes (3.12 and later), not of the layer: where it is missing
(a laptop, the tests without it) no snapshot is ever taken and nothing is registered.
"""

from __future__ import annotations

import random

try:
    from snapshot_restore_py import register_after_restore  # type: ignore[import-untyped]
except ModuleNotFoundError:
    register_after_restore = None


def reseed() -> None:
    """Seed `random` again from the operating system's entropy."""
    random.seed()


if register_after_restore is not None:
    register_after_restore(reseed)
