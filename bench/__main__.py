"""`python -m bench`: every benchmark, one after another.

The cold starts run here; the others each in a fresh interpreter of their own, because moto keeps its tables
in process-wide state and the handlers they serve in-process cache their clients, settings and secrets:
each benchmark gets its own emulator, empty, and handlers that know only it.
"""

import subprocess
import sys

from bench import cold_start


def run(module: str) -> int:
    print(flush=True)
    return subprocess.run([sys.executable, "-m", module], check=False).returncode


status = cold_start.main()
for module in (
    "bench.lists",
    "bench.imports",
    "bench.webhooks",
    "bench.reminders",
    "bench.exports",
    "bench.tenant_session",
    "bench.analytics",
    "bench.analytics_writers",
):
    status = run(module) or status
raise SystemExit(1 if status else 0)
