"""Driving the web app as a person does: elements found by role and accessible name (the names the screens
promise), the Brevo stand-in's outbox read for the links a person would click, axe-core on each screen visited,
and screenshots of each screen for docs/screens.
"""

from __future__ import annotations

import base64
import json
import re
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from tests.support.http import ROOT

WAIT_SECONDS = 15
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
SCREENS = ROOT / "docs" / "screens"

# Elements of each role, as CSS (what the screens use: native elements first).
ROLES = {
    "button": "button, [role=button], input[type=submit], input[type=button]",
    "link": "a[href], [role=link]",
    "heading": "h1, h2, h3, h4, h5, h6, [role=heading]",
    "tab": "[role=tab]",
    "checkbox": "input[type=checkbox], [role=checkbox]",
    "radio": "input[type=radio], [role=radio]",
    "field": "input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea",
    "dialog": "dialog[open], [role=dialog], [role=alertdialog]",
}

# Visible elements of `css` whose text, label or aria-* mentions `name`: the few whose computed accessible
# name the browser is then asked for (one WebDriver call each).
_CANDIDATES = """
const [css, name] = arguments;
const wanted = name.toLowerCase().replace(/\\s+/g, ' ');
const text = (el) => {
  let parts = [el.innerText || '', el.getAttribute('aria-label') || '', el.getAttribute('title') || '',
               el.value && el.type && /submit|button/.test(el.type) ? el.value : ''];
  for (const label of el.labels || []) parts.push(label.innerText);
  for (const id of (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)) {
    const other = document.getElementById(id); if (other) parts.push(other.textContent || '');
  }
  return parts.join(' ').toLowerCase().replace(/\\s+/g, ' ');
};
const visible = (el) => el.getClientRects().length > 0 || el.type === 'file';
return [...document.querySelectorAll(css)].filter((el) => visible(el) && text(el).includes(wanted));
"""


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " ")).strip()


@dataclass
class Violation:
    screen: str
    rule: str
    impact: str
    help: str
    targets: list[str]

    def __str__(self) -> str:
        return f"{self.screen}: {self.rule} ({self.impact}) {self.help} at {', '.join(self.targets[:5])}"


@dataclass(repr=False)
class App:
    driver: webdriver.Chrome
    url: str  # the gateway: the API, and the app at /app/
    brevo_url: str
    stripe_url: str
    violations: list[Violation] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    minor: list[Violation] = field(default_factory=list)  # moderate and minor: reported, not failed on

    # ------------------------------------------------------------------ waiting and finding

    def wait[T](self, condition: Callable[[], T | None], message: str, timeout: float = WAIT_SECONDS) -> T:
        def attempt(_: Any) -> T | Literal[False]:
            try:
                found = condition()
            except StaleElementReferenceException:
                return False
            return False if found is None else found

        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(attempt)
        except TimeoutException:
            body = normalised(self.driver.find_element("tag name", "body").text)[:1500]
            raise AssertionError(f"{message} (after {timeout} s at {self.driver.current_url}); page:\n{body}") from None

    def find(self, role: str, name: str, *, exact: bool = True) -> WebElement | None:
        candidates: list[WebElement] = self.driver.execute_script(_CANDIDATES, ROLES[role], normalised(name))
        for element in candidates:
            accessible = normalised(element.accessible_name or "")
            if accessible == name or (not exact and name.lower() in accessible.lower()):
                return element
        return None

    def get(self, role: str, name: str, *, exact: bool = True, timeout: float = WAIT_SECONDS) -> WebElement:
        return self.wait(lambda: self.find(role, name, exact=exact), f"no {role} named {name!r}", timeout)

    def button(self, name: str, **kwargs: Any) -> WebElement:
        return self.get("button", name, **kwargs)

    def link(self, name: str, **kwargs: Any) -> WebElement:
        return self.get("link", name, **kwargs)

    def field(self, label: str, **kwargs: Any) -> WebElement:
        return self.get("field", label, **kwargs)

    def heading(self, name: str, **kwargs: Any) -> WebElement:
        return self.get("heading", name, **kwargs)

    def click(self, role: str, name: str, **kwargs: Any) -> None:
        element = self.get(role, name, **kwargs)
        self.wait(
            lambda: (element.is_enabled() and element.get_attribute("aria-busy") != "true") or None,
            f"{role} {name!r} stays disabled",
        )
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def fill(self, label: str, value: str, **kwargs: Any) -> WebElement:
        element = self.field(label, **kwargs)
        element.clear()
        element.send_keys(value)
        return element

    def text(self) -> str:
        return normalised(self.driver.find_element("tag name", "body").text)

    def wait_text(self, *texts: str, timeout: float = WAIT_SECONDS) -> str:
        def shown() -> str | None:
            body = self.text()
            return body if all(text in body for text in texts) else None

        return self.wait(shown, f"the page never said {texts!r}", timeout)

    def wait_url(self, part: str) -> str:
        return self.wait(
            lambda: self.driver.current_url if part in self.driver.current_url else None,
            f"never went to a URL with {part!r}",
        )

    def settled(self, timeout: float = WAIT_SECONDS) -> None:
        """The screen has its heading and nothing is loading (no spinner, no busy region)."""
        self.wait(
            lambda: (
                self.driver.execute_script(
                    "return document.readyState === 'complete' && !!document.querySelector('main h1, main h2')"
                    " && !document.querySelector('.loading-state, [aria-busy=true]')"
                )
                or None
            ),
            "the screen never finished loading",
            timeout,
        )

    def forget_everything(self) -> None:
        """Every cookie of the browser, /auth's refresh token too (WebDriver's delete only sees the page's)."""
        self.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})

    def open(self, path: str) -> None:
        """An address typed into the browser: `path` under /app/."""
        self.driver.get(f"{self.url}/app/{path.lstrip('/')}")
        self.settled()

    # ------------------------------------------------------------------ the outbox

    def emails(self, to: str) -> list[dict[str, Any]]:
        query = urllib.parse.urlencode({"to": to})
        with urllib.request.urlopen(f"{self.brevo_url}/outbox.json?{query}", timeout=10) as answer:
            return list(json.load(answer))

    def link_in_email(self, to: str, pattern: str, *, timeout: float = WAIT_SECONDS) -> str:
        """The first URL matching `pattern` in the newest email to `to` that has one (waits for it)."""

        def found() -> str | None:
            for message in self.emails(to):  # newest first
                body = f"{message.get('textContent') or ''}\n{message.get('htmlContent') or ''}"
                match = re.search(pattern, body)
                if match:
                    return match.group(0).replace("&amp;", "&")
            return None

        return self.wait(found, f"no email to {to} with a link like {pattern!r}", timeout)

    # ------------------------------------------------------------------ axe and screenshots

    def axe(self, screen: str) -> list[Violation]:
        """axe-core's serious and critical violations on the screen as it is (recorded in `violations`)."""
        self.driver.execute_script(AXE.read_text(encoding="utf-8") + "\n;return 0;")
        found = self.driver.execute_async_script(
            """const done = arguments[arguments.length - 1];
            axe.run(document, {resultTypes: ['violations']}).then(
              (r) => done(r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                                                  targets: v.nodes.map((n) => n.target.join(' '))}))),
              (e) => done([{id: 'axe-error', impact: 'critical', help: String(e), targets: []}]));"""
        )
        every = [Violation(screen, v["id"], v["impact"] or "minor", v["help"], v["targets"]) for v in found]
        serious = [v for v in every if v.impact in ("serious", "critical")]
        self.violations += serious
        self.minor += [v for v in every if v not in serious]
        self.checked.append(screen)
        return serious

    def screenshot(self, name: str, *, folder: Path = SCREENS, cap: int = 2000) -> Path:
        """The whole page (its height capped at `cap` px) at the window's width, as <folder>/<name>.png."""
        width = self.driver.execute_script("return document.documentElement.clientWidth")
        height = self.driver.execute_script("return Math.min(document.documentElement.scrollHeight, arguments[0])", cap)
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            },
        )
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        path.write_bytes(base64.b64decode(shot["data"]))
        return path


def poll[T](condition: Callable[[], T | None], message: str, timeout: float = WAIT_SECONDS) -> T:
    """For what is not on a page (the API, the outbox): polled, bounded."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.2)
