"""The code's own cold-start levers, measured: CPU time of fresh interpreters, with and without bytecode.

For each route named (a few latency-critical ones by default), fresh interpreters of the runtime environment
(.tools/runtime-X.Y) import the handler of a source tree and serve one real request against the emulator, as
bench.cold_start does; `python -c "import boto3"` in the same mode and run is the baseline. CPU time (the
child's own user + system time, from its rusage) is the figure compared: wall time on a shared machine is noise.

Modes: `bytecode` (the tree's own .pyc, written by a first warm-up run), `source` (the layer's collectra and
the function's code copied to a temporary directory with PYTHONDONTWRITEBYTECODE=1: compiled at every start, as
Lambda does until the layer ships bytecode), `bare` (as `source`, and the runtime's site-packages too).

    python -m bench.levers [--tree DIR[,-NAME]]... [--runs N] [--modes bytecode,source,bare] [--instructions]
                           [ROUTE ...]

`--tree` measures another checkout (e.g. `git archive eca1696 functions layers | tar -x -C /tmp/before`) with
this one's emulator, template and scenarios; given several, they take turns, run after run, so a lever is measured
by the trees before and after it in the same run. `DIR,-NAME` runs a tree without the template's variable NAME.
`--instructions` adds one run per route, mode and tree under valgrind (cachegrind, no cache simulation):
instructions executed, which noise does not move.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.cold_start import ROOT, RUNTIME_PYTHON, Request, World, event_for, function_environment, scenarios

MODES = ("bytecode", "source", "bare")
DEFAULT_ROUTES = (
    "POST /auth/login",
    "GET /auth/me",
    "GET /debts",
    "GET /workspace/reminder-policy",
    "GET /workspace",
)
# Imports from the handler on: what it loaded, what of ours pydantic built, and whether gc is back on.
CHILD = """
import gc, json, os, sys
code_dir, layer_dir, module_name, function_name = sys.argv[1:5]
event = json.loads(sys.stdin.read())
sys.path[:0] = [code_dir, layer_dir]
class Context:
    function_name = "bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
    aws_request_id = "bench"
    def get_remaining_time_in_millis(self):
        return 10_000
answer = getattr(__import__(module_name), function_name)(event, Context())
def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)
ours = [
    model for model in set(subclasses(sys.modules["pydantic"].BaseModel))
    if model.__module__.split(".")[0] in ("collectra", module_name)
] if "pydantic" in sys.modules else []
print("LEVERS " + json.dumps({
    "status": answer.get("statusCode") if isinstance(answer, dict) else None,
    "modules": len(sys.modules),
    "imported": sorted({name.split(".")[0] for name in sys.modules} & {"boto3", "s3transfer", "jinja2", "zxcvbn",
                                                                        "argon2", "jwt", "stripe", "email"}),
    "models_defined": len(ours),
    "models_built": sum(1 for model in ours if model.__pydantic_complete__),
    "collections": sum(stat["collections"] for stat in gc.get_stats()),
    "gc_enabled": gc.isenabled(),
}), flush=True)
os._exit(0)
"""
BASELINE = "import boto3, os; os._exit(0)"


@dataclass
class Sample:
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    instructions: int | None = None
    facts: dict[str, Any] = field(default_factory=dict)


def run_child(command: list[str], env: dict[str, str], stdin: str = "") -> tuple[float, float, str]:
    """CPU seconds (user + system) and wall seconds of one child process, and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, input=stdin, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise RuntimeError(f"{command[-4:]} failed:\n{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, done.stdout


def instructions(command: list[str], env: dict[str, str], stdin: str = "") -> int:
    """Instructions executed by one child, counted by valgrind's cachegrind (no cache simulation)."""
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *command],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    match = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode or not match:
        raise RuntimeError(f"valgrind failed:\n{done.stderr[-3000:]}")
    return int(match.group(1).replace(",", ""))


class Tree:
    """The code a mode runs: the tree itself, or pyc-free copies of it (and of site-packages for `bare`)."""

    def __init__(self, spec: str, scratch: Path, copies: dict[str, Path]) -> None:
        path, *dropped = spec.split(",-")
        self.tree, self.scratch, self.dropped = Path(path).resolve(), scratch, dropped
        self._copies = copies  # shared by the trees of a run: site-packages is copied once

    def _copy(self, source: Path, name: str) -> Path:
        if name not in self._copies:
            target = self.scratch / name
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            self._copies[name] = target
        return self._copies[name]

    def dirs(self, mode: str, code_uri: str) -> tuple[Path, Path]:
        if mode == "bytecode":
            return self.tree / code_uri, self.tree / "layers" / "common"
        own = f"{self.tree.name}-{abs(hash(self.tree))}"
        layer = self._copy(self.tree / "layers" / "common" / "collectra", f"{own}/layer/collectra").parent
        return self._copy(self.tree / code_uri, f"{own}/{code_uri.replace('/', '_')}"), layer

    def env(self, mode: str, base: dict[str, str]) -> dict[str, str]:
        base = {name: value for name, value in base.items() if name not in self.dropped}
        if mode == "bytecode":
            return base
        env = {**base, "PYTHONDONTWRITEBYTECODE": "1"}
        if mode == "bare":
            site = next((RUNTIME_PYTHON.parent.parent / "lib").glob("python3*/site-packages"))
            env["PYTHONPATH"] = str(self._copy(site, "site-packages"))
        return env


Results = dict[tuple[str, str, str], Sample]  # by tree, route and mode


def measure(
    world: World, trees: list[str], keys: list[str], modes: list[str], *, runs: int, count_instructions: bool
) -> tuple[Results, dict[str, Sample]]:
    """Each route in each mode, the trees taking turns run after run so that they share the machine's moods."""
    plans = scenarios(world) | extra_scenarios(world)
    by_key = {route.route_key: route for route in world.routes}
    results: Results = {}
    baselines = {mode: Sample() for mode in modes}
    baseline = [str(RUNTIME_PYTHON), "-c", BASELINE]
    with tempfile.TemporaryDirectory(prefix="levers-") as scratch:
        copies: dict[str, Path] = {}
        sources = {spec: Tree(spec, Path(scratch), copies) for spec in trees}
        for key in keys:
            route = by_key[key]
            module, _, function = route.handler.rpartition(".")
            for mode in modes:
                commands, environments = {}, {}
                for label, tree in sources.items():
                    code_dir, layer_dir = tree.dirs(mode, route.code_uri)
                    commands[label] = [
                        str(RUNTIME_PYTHON),
                        "-c",
                        CHILD,
                        str(code_dir),
                        str(layer_dir),
                        module,
                        function,
                    ]
                    environments[label] = tree.env(mode, function_environment(world, route))
                    results[(label, key, mode)] = Sample()
                    if mode == "bytecode":  # the first run writes the tree's bytecode; not counted
                        run_child(commands[label], environments[label], json.dumps(event_for(route, plans[key]())))
                base_env = next(iter(sources.values())).env(mode, {})
                for _ in range(runs):
                    baseline_cpu, baseline_wall, _ = run_child(baseline, base_env)
                    baselines[mode].cpu.append(baseline_cpu)
                    baselines[mode].wall.append(baseline_wall)
                    for label in sources:
                        request = plans[key]()
                        cpu, wall, out = run_child(
                            commands[label], environments[label], json.dumps(event_for(route, request))
                        )
                        facts = json.loads(next(line for line in out.splitlines() if line.startswith("LEVERS "))[7:])
                        if facts["status"] != request.expected:
                            raise RuntimeError(f"{key} answered {facts['status']}, expected {request.expected}")
                        sample = results[(label, key, mode)]
                        sample.cpu.append(cpu)
                        sample.wall.append(wall)
                        sample.facts = facts
                if count_instructions:
                    for label in sources:
                        event = json.dumps(event_for(route, plans[key]()))
                        results[(label, key, mode)].instructions = instructions(
                            commands[label], environments[label], event
                        )
                    if baselines[mode].instructions is None:
                        baselines[mode].instructions = instructions(baseline, base_env)
    return results, baselines


def extra_scenarios(world: World) -> dict[str, Callable[[], Request]]:
    """Read routes bench.cold_start has no scenario for: a fresh signed-in account asks for its own data."""

    def signed_in_get(path: str) -> Callable[[], Request]:
        return lambda: Request("GET", path, cookies=world.new_account()[0].jar)

    return {key: signed_in_get(key.split(" ", 1)[1]) for key in ("GET /debts", "GET /workspace/reminder-policy")}


def report(results: Results, baselines: dict[str, Sample], runs: int) -> None:
    print(f"CPU time (user + system) of a fresh interpreter, median of {runs}; wall time beside it.")
    for mode, sample in baselines.items():
        counted = f", {sample.instructions / 1e6:.0f} M instructions" if sample.instructions else ""
        print(
            f"  baseline `import boto3` ({mode}): {statistics.median(sample.cpu) * 1000:.0f} ms CPU, "
            f"{statistics.median(sample.wall) * 1000:.0f} ms wall{counted}"
        )
    trees = sorted({label for label, _, _ in results}, key=[label for label, _, _ in results].index)
    for number, label in enumerate(trees):
        print(f"  tree {number}: {label}")
    print(
        f"\n{'route':32} {'mode':8} {'tree':>4} {'CPU ms':>7} {'x boto3':>7} {'wall ms':>7} {'M instr':>8} "
        f"{'x boto3':>7} {'modules':>7} {'models':>7} {'gc runs':>7}  imported"
    )
    for (label, key, mode), sample in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][2])):
        base = baselines[mode]
        cpu = statistics.median(sample.cpu)
        counted = (
            f"{sample.instructions / 1e6:8.0f} {sample.instructions / base.instructions:7.2f}"
            if sample.instructions and base.instructions
            else f"{'-':>8} {'-':>7}"
        )
        facts = sample.facts
        print(
            f"{key:32} {mode:8} {trees.index(label):4} {cpu * 1000:7.0f} {cpu / statistics.median(base.cpu):7.2f} "
            f"{statistics.median(sample.wall) * 1000:7.0f} {counted} {facts['modules']:7} "
            f"{facts['models_built']:>3}/{facts['models_defined']:<3} {facts['collections']:7}  "
            f"{','.join(facts['imported'])}{'' if facts['gc_enabled'] else ' (gc OFF after the request)'}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("routes", nargs="*", default=list(DEFAULT_ROUTES))
    parser.add_argument(
        "--tree",
        action="append",
        help="a checkout whose functions and layer run (repeat to compare); DIR,-NAME runs it without the "
        "template's variable NAME",
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--modes", default="bytecode,source")
    parser.add_argument("--instructions", action="store_true")
    options = parser.parse_args()
    if not RUNTIME_PYTHON.exists():
        print("the runtime environment is missing: run `make bench` once", file=sys.stderr)
        return 1
    modes = [mode for mode in options.modes.split(",") if mode in MODES]
    with World() as world:
        results, baselines = measure(
            world,
            options.tree or [str(ROOT)],
            options.routes,
            modes,
            runs=options.runs,
            count_instructions=options.instructions,
        )
    report(results, baselines, options.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
