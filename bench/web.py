"""`python -m bench.web` (`make web-bench`): the web app's budgets, measured on web/dist and the local stack.

- Initial JavaScript: what the browser fetches before the first screen can start, i.e. the entry chunk named by
  web/dist/index.html, every chunk it imports statically (recursively) and every modulepreload there, each
  gzipped at level 9. Budget 170 KB (1 KB = 1,000 bytes, as Vite prints).
- Each lazy route's chunk (routes.tsx's `import("../features/...")`), raw and gzipped, and with what it pulls
  in besides the initial JavaScript (Vite's preload list for that import); and each chunk a screen loads
  lazily itself (the home screen's charts, uPlot): with its shared chunks and CSS, at most 30 KB gzipped.
- Time until the first screen is usable, in headless Chromium with the CPU slowed 4x (CDP
  Emulation.setCPUThrottlingRate) and the HTTP cache off, from navigation start (performance.timeOrigin) to the
  moment a MutationObserver, installed before the page's own scripts, sees the sign-in form (signed out) and the
  home screen's figures (signed in): the median of BENCH_WEB_RUNS loads (3) after one warm-up load, so the local
  functions are warm (cold starts are the Lambda bench's subject). Budget 1.5 s.
- The deepest request waterfall per screen: from the Resource Timing entries of API requests (not /app/ files),
  the longest chain of requests each starting after the previous one's response ended. Budget 2.

Prints the figures as tables with the budgets and PASS/FAIL; exits 1 when a budget fails.
"""

from __future__ import annotations

import gzip
import os
import re
import socket
import statistics
import sys
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "web" / "dist"
ROUTES = ROOT / "web" / "src" / "app" / "routes.tsx"
KB = 1000

BUDGET_INITIAL_KB = 170.0
BUDGET_LAZY_KB = 30.0
BUDGET_USABLE_S = 1.5
BUDGET_WATERFALL = 2
CPU_SLOWDOWN = 4
RUNS = int(os.environ.get("BENCH_WEB_RUNS", "3"))

# Static imports in Vite's minified output: `import{a as b}from"./x.js"`, `import"./x.js"`, `export{..}from"./x.js"`.
_STATIC_IMPORT = re.compile(r"""(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]*?from\s*)?["']\./([\w.\-]+\.js)["']""")
_LAZY_IMPORT = re.compile(r"""import\([`"']\./([\w.\-]+\.js)[`"']\)(?:\s*,\s*__vite__mapDeps\(\[([\d,\s]*)\]\))?""")
_MAP_DEPS = re.compile(r"""__vite__mapDeps=\([^)]*?m\.f=\[([^\]]*)\]""")


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


@dataclass(frozen=True)
class Chunk:
    name: str
    raw: int
    gzipped: int


def _chunk(name: str) -> Chunk:
    data = (DIST / "assets" / name).read_bytes()
    return Chunk(name, len(data), gz(data))


def static_closure(entry: str) -> list[str]:
    """`entry` and every .js file it imports statically, recursively, in discovery order."""
    seen: list[str] = []
    todo = [entry]
    while todo:
        name = todo.pop(0)
        if name in seen:
            continue
        seen.append(name)
        text = (DIST / "assets" / name).read_text(encoding="utf-8", errors="replace")
        # Drop dynamic imports first, so `import("./x.js")` is not read as a static one.
        todo += [found for found in _STATIC_IMPORT.findall(_LAZY_IMPORT.sub("", text)) if found not in seen]
    return seen


def initial_javascript() -> list[Chunk]:
    html = (DIST / "index.html").read_text(encoding="utf-8")
    entries = re.findall(r"""<script[^>]*type=["']module["'][^>]*src=["'][^"']*/assets/([^"']+\.js)["']""", html)
    preloads = re.findall(r"""<link[^>]*rel=["']modulepreload["'][^>]*href=["'][^"']*/assets/([^"']+\.js)["']""", html)
    if not entries:
        raise SystemExit("web/dist/index.html has no module script: build the app (make web-build)")
    names: list[str] = []
    for name in entries + preloads:
        names += [found for found in static_closure(name) if found not in names]
    return [_chunk(name) for name in names]


@dataclass(frozen=True)
class RouteChunk:
    page: str
    chunk: Chunk
    extra: list[Chunk]  # what the route's import preloads besides the initial JavaScript (shared chunks)


def route_chunks(initial: list[Chunk]) -> list[RouteChunk]:
    """Each lazy page of routes.tsx: its chunk, and the JavaScript its import brings besides the initial."""
    entry = initial[0].name
    preloads = _preloads((DIST / "assets" / entry).read_text(encoding="utf-8", errors="replace"))
    initial_names = {chunk.name for chunk in initial}
    pages = re.findall(r"""import\(["']\.\./features/[\w/]+?/(\w+)["']\)""", ROUTES.read_text(encoding="utf-8"))
    found: list[RouteChunk] = []
    for page in dict.fromkeys(pages):
        names = [name for name in preloads if re.fullmatch(rf"{page}-[\w-]{{8}}\.js", name)]
        if not names:
            raise SystemExit(f"no chunk for {page} in web/dist: is the build older than routes.tsx?")
        name = names[0]
        extra = [
            dep
            for dep in dict.fromkeys([*preloads[name], *static_closure(name)])
            if dep.endswith(".js") and dep != name and dep not in initial_names
        ]
        found.append(RouteChunk(page, _chunk(name), [_chunk(dep) for dep in extra]))
    return found


def _preloads(text: str) -> dict[str, list[str]]:
    """A chunk's dynamic imports: each imported chunk and what Vite preloads with it (its __vite__mapDeps)."""
    mapped = _MAP_DEPS.search(text)
    deps_table = [d.strip().strip("\"'").removeprefix("assets/") for d in mapped.group(1).split(",")] if mapped else []
    return {
        name: [deps_table[int(i)] for i in indexes.split(",") if i.strip()] if indexes else [name]
        for name, indexes in _LAZY_IMPORT.findall(text)
    }


@dataclass(frozen=True)
class ScreenChunk:
    page: str  # the route chunk that imports it
    chunk: Chunk
    extra: list[Chunk]  # its shared chunks and CSS besides the initial JavaScript


def screen_lazy_chunks(initial: list[Chunk], routes: list[RouteChunk]) -> list[ScreenChunk]:
    """The chunks route chunks import lazily themselves (not screens: e.g. the charts), each with what it adds to
    what the screen already loaded (the initial JavaScript, the route's chunk and its shared chunks)."""
    initial_names = {chunk.name for chunk in initial}
    found: list[ScreenChunk] = []
    for route in routes:
        loaded = initial_names | {route.chunk.name} | {chunk.name for chunk in route.extra}
        text = (DIST / "assets" / route.chunk.name).read_text(encoding="utf-8", errors="replace")
        for name, deps in _preloads(text).items():
            extra = [
                dep
                for dep in dict.fromkeys([*deps, *static_closure(name)])
                if dep != name and dep not in loaded and not dep.startswith("index-")
            ]
            found.append(ScreenChunk(route.page, _chunk(name), [_chunk(dep) for dep in extra]))
    return found


# ---------------------------------------------------------------------------------------------- in the browser

# Installed before the page's own scripts: records performance.now() when the screen first is usable.
_WATCH = """
window.__usable = null;
const ready = () => {
  const main = document.querySelector('main');
  if (!main || main.querySelector('.loading-state')) return false;
  if (location.pathname.endsWith('/sign-in'))
    return !!main.querySelector('form input[type=email]') && !!main.querySelector('form button[type=submit]');
  return !!main.querySelector('h1') && main.querySelectorAll('section h2').length >= 4;
};
const look = () => {
  if (window.__usable === null && ready()) { window.__usable = performance.now(); performance.mark('usable'); }
};
new MutationObserver(look).observe(document, {subtree: true, childList: true, attributes: true});
"""

_API_ENTRIES = """
return performance.getEntriesByType('resource')
  .filter((e) => { const u = new URL(e.name); return u.origin === location.origin && !u.pathname.startsWith('/app/'); })
  .map((e) => ({url: new URL(e.name).pathname + new URL(e.name).search, start: e.startTime, end: e.responseEnd}));
"""


def deepest_chain(requests: list[dict[str, Any]]) -> tuple[int, list[str], int]:
    """The longest chain of requests, each starting once the previous one's response had ended; and how many."""
    ordered = sorted(requests, key=lambda r: r["start"])
    best: list[tuple[int, float, list[str]]] = []
    for i, request in enumerate(ordered):
        # Of the deepest requests that ended before this one started, the last to end: the likeliest cause.
        before = [
            (best[j][0], ordered[j]["end"], best[j][2]) for j in range(i) if ordered[j]["end"] <= request["start"]
        ]
        depth, _, chain = max(before, key=lambda b: (b[0], b[1]), default=(0, 0.0, []))
        best.append((depth + 1, request["end"], [*chain, request["url"].split("?")[0]]))
    depth, _, chain = max(best, key=lambda b: (b[0], b[1]), default=(0, 0.0, []))
    return depth, chain, len(requests)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Browser:
    driver: Any
    url: str

    def wait(self, condition: Callable[[], Any], what: str, timeout: float = 15) -> Any:
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.support.ui import WebDriverWait

        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(lambda _: condition())
        except TimeoutException:
            raise SystemExit(f"{what}: not within {timeout} s at {self.driver.current_url}") from None

    def load_until_usable(self, path: str) -> float:
        """Seconds from navigation start until the screen is usable (the observer's mark)."""
        self.driver.get(f"{self.url}/app/{path}")
        usable = self.wait(lambda: self.driver.execute_script("return window.__usable"), f"/app/{path} usable")
        return float(usable) / 1000

    def settled_requests(self, path: str) -> list[dict[str, Any]]:
        """Load /app/<path>, wait until nothing loads and no API request started for 0.5 s; its API requests."""
        self.driver.get(f"{self.url}/app/{path}")
        self.wait(
            lambda: self.driver.execute_script(
                "return !!document.querySelector('main h1, main h2') && !document.querySelector('.loading-state')"
            ),
            f"/app/{path} loaded",
        )
        last: list[Any] = [None, 0.0]

        def quiet() -> bool:
            requests = self.driver.execute_script(_API_ENTRIES)
            now = self.driver.execute_script("return performance.now()")
            if len(requests) != last[0]:
                last[:] = [len(requests), now]
            return bool(now - last[1] > 500)

        self.wait(quiet, f"/app/{path} quiet")
        return list(self.driver.execute_script(_API_ENTRIES))


def measure_in_browser() -> tuple[dict[str, list[float]], dict[str, tuple[int, list[str], int]]]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from local.client import WebClient
    from local.dev import LocalStack, start_stack
    from local.seed import DEMO_EMAIL, DEMO_PASSWORD, seed_demo

    ports = LocalStack(_free_port(), _free_port(), _free_port(), _free_port(), "http://127.0.0.1:9")
    log = ROOT / "bench" / "results" / "web-stack.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with ExitStack() as running, tempfile.TemporaryDirectory() as profile, log.open("w") as stack_log:
        # The stack's log (every request and function report) goes to the file, not between the tables.
        running.callback(setattr, sys, "stderr", sys.stderr)
        sys.stderr = stack_log
        print(
            f"starting the local stack and seeding the demo workspace (its log: {log.relative_to(ROOT)})...", flush=True
        )
        stack = start_stack(running, ports, tick=3600.0)
        os.environ["COLLECTRA_BREVO_URL"] = stack.brevo.url  # the seed verifies the demo owner's address
        seed_demo(stack.gateway.url, stack.stripe.url)
        staff = WebClient(stack.gateway.url)
        staff.call("POST", "/auth/login", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
        debt = staff.call("GET", "/debts").json()["items"][0]["id"]
        debtor = staff.call("GET", "/debtors").json()["items"][0]["id"]

        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--lang=en-GB",
                     "--disable-background-networking", "--disable-component-update", "--window-size=1280,900",
                     f"--user-data-dir={profile}"):  # fmt: skip
            options.add_argument(flag)
        os.environ["SE_OFFLINE"] = "true"
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        running.callback(driver.quit)
        browser = Browser(driver, stack.gateway.url)
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _WATCH})

        waterfalls: dict[str, tuple[int, list[str], int]] = {}
        timings: dict[str, list[float]] = {}
        print("measuring in headless Chromium...", flush=True)
        driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        browser.load_until_usable("sign-in")  # warm-up: the functions' first calls
        timings["sign-in"] = [browser.load_until_usable("sign-in") for _ in range(RUNS)]
        driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 1})
        waterfalls["sign-in"] = deepest_chain(browser.settled_requests("sign-in"))

        driver.find_element("css selector", "input[type=email]").send_keys(DEMO_EMAIL)
        driver.find_element("css selector", "input[type=password]").send_keys(DEMO_PASSWORD)
        driver.find_element("css selector", "main form button[type=submit]").click()
        browser.wait(lambda: driver.execute_script("return location.pathname") in ("/app", "/app/"), "signed in")

        driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        browser.load_until_usable("")  # warm-up
        timings["home"] = [browser.load_until_usable("") for _ in range(RUNS)]
        driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 1})

        screens = {
            "home": "",
            "debts": "debts",
            "debts/new": "debts/new",
            "debts/:id": f"debts/{debt}",
            "debtors": "debtors",
            "debtors/new": "debtors/new",
            "debtors/:id": f"debtors/{debtor}",
            "inbox": "inbox",
            "reports": "reports",
            "import": "import",
            "reminders": "reminders",
            "settings/payments": "settings/payments",
            "team": "team",
            "account": "account",
        }
        for screen, path in screens.items():
            browser.settled_requests(path)  # warm-up: each function's first call is a cold start
            waterfalls[screen] = deepest_chain(browser.settled_requests(path))
        return timings, waterfalls


# ---------------------------------------------------------------------------------------------- the report


def _kb(size: int) -> str:
    return f"{size / KB:.1f} KB"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> int:
    if not (DIST / "index.html").is_file():
        print("web/dist is not built: run `make web-bench`, which builds it first", file=sys.stderr)
        return 2
    initial = initial_javascript()
    routes = route_chunks(initial)
    initial_gz = sum(chunk.gzipped for chunk in initial)

    print("Initial JavaScript of the first screen (web/dist/index.html's entry, its static imports, modulepreloads)")
    rows = [["chunk", "raw", "gzip -9"]]
    rows += [[chunk.name, _kb(chunk.raw), _kb(chunk.gzipped)] for chunk in initial]
    rows.append(["total", _kb(sum(chunk.raw for chunk in initial)), _kb(initial_gz)])
    print(_table(rows))
    print()
    print("Lazy route chunks (loaded when the screen is first visited)")
    rows = [["page", "chunk", "raw", "gzip -9", "with its shared chunks, gzip -9"]]
    for route in routes:
        shared = route.chunk.gzipped + sum(chunk.gzipped for chunk in route.extra)
        rows.append([route.page, route.chunk.name, _kb(route.chunk.raw), _kb(route.chunk.gzipped), _kb(shared)])
    print(_table(rows))
    print()
    lazy = screen_lazy_chunks(initial, routes)
    print("Chunks a screen loads lazily itself (started with the screen, drawn when they come)")
    rows = [["page", "chunk", "raw", "gzip -9", "with its shared chunks and CSS, gzip -9"]]
    for found in lazy:
        whole = found.chunk.gzipped + sum(chunk.gzipped for chunk in found.extra)
        rows.append([found.page, found.chunk.name, _kb(found.chunk.raw), _kb(found.chunk.gzipped), _kb(whole)])
    print(_table(rows))
    print()
    largest = max(
        (found.chunk.gzipped + sum(chunk.gzipped for chunk in found.extra) for found in lazy),
        default=0,
    )

    timings, waterfalls = measure_in_browser()

    print("Deepest API request waterfall per screen (each request starting after the previous one's response)")
    rows = [["screen", "depth", "API requests", "deepest chain"]]
    rows += [
        [screen, str(depth), str(count), " -> ".join(chain)] for screen, (depth, chain, count) in waterfalls.items()
    ]
    print(_table(rows))
    print()

    sign_in = statistics.median(timings["sign-in"])
    home = statistics.median(timings["home"])
    deepest_screen, (deepest, _, _) = max(waterfalls.items(), key=lambda item: item[1][0])
    budgets: list[tuple[str, str, str, bool]] = [
        ("Initial JavaScript, gzip -9", _kb(initial_gz), f"{BUDGET_INITIAL_KB:g} KB",
         initial_gz <= BUDGET_INITIAL_KB * KB),
        ("Largest chunk a screen loads lazily, with its shared chunks and CSS, gzip -9", _kb(largest),
         f"{BUDGET_LAZY_KB:g} KB", largest <= BUDGET_LAZY_KB * KB),
        (f"Sign-in form usable, CPU {CPU_SLOWDOWN}x slower (median of {RUNS})", f"{sign_in:.2f} s",
         f"{BUDGET_USABLE_S:g} s", sign_in <= BUDGET_USABLE_S),
        (f"Home figures usable, CPU {CPU_SLOWDOWN}x slower (median of {RUNS})", f"{home:.2f} s",
         f"{BUDGET_USABLE_S:g} s", home <= BUDGET_USABLE_S),
        (f"Deepest API waterfall (worst: {deepest_screen})", str(deepest), str(BUDGET_WATERFALL),
         deepest <= BUDGET_WATERFALL),
    ]  # fmt: skip
    print("Web budgets (headless Chromium, the local stack; timings from navigation start, HTTP cache off)")
    print(_table([["figure", "measured", "budget", "result"]] + [[*row[:3], _verdict(row[3])] for row in budgets]))
    runs = ", ".join(f"{name} " + " / ".join(f"{t:.2f}" for t in values) for name, values in timings.items())
    print(f"runs (s): {runs}")
    return 0 if all(row[3] for row in budgets) else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
