"""One local stack and one headless Chromium for every browser test (`make e2e`).

The stack is `make dev`'s, started in this process the way local.dev's `start_stack` does (emulator, Brevo and
Stripe stand-ins, the gateway serving web/dist at /app/, the scheduler and queue pollers) on free ports. The
scheduled functions run once an hour at most, so a reminder goes out only when the browser asks for one.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from local.dev import WEB_DIST, LocalStack, RunningStack, start_stack
from local.emulator import aws_environment
from local.gateway import Gateway
from local.seed import seed_demo
from local.seed_history import debt_writer_environment
from tests.browser.app import App

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def local_stack() -> Iterator[RunningStack]:
    if not (WEB_DIST / "index.html").is_file():
        pytest.fail("The web app is not built: run `make e2e`, which builds web/dist first")
    ports = LocalStack(
        moto_port=_free_port(),
        api_port=_free_port(),
        brevo_port=_free_port(),
        stripe_port=_free_port(),
        web_origin="http://127.0.0.1:9",  # nothing else talks to this stack
    )
    with ExitStack() as running:
        stack = start_stack(running, ports, tick=3600.0)
        _seed_with_history(stack)
        yield stack


def _seed_with_history(stack: RunningStack) -> None:
    """The demo workspace as `make dev` seeds it, months of history included, before any test can read its figures
    (a day's closing state is final). The history is written from this process, whose AWS SDK points at the
    stack's emulator meanwhile; the tests' own `seed_demo` calls then find it all there."""
    saved = dict(os.environ)
    os.environ.update({**aws_environment(stack.emulator.url), "COLLECTRA_BREVO_URL": stack.brevo.url})
    try:
        seed_demo(stack.gateway.url, stack.stripe.url, history=debt_writer_environment(stack.gateway))
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture(scope="session")
def gateway(local_stack: RunningStack) -> Gateway:
    """The stack's gateway, with its Stripe stand-in at `gateway.stripe` (as tests/conftest.py's has)."""
    local_stack.gateway.stripe = local_stack.stripe  # type: ignore[attr-defined]
    return local_stack.gateway


def new_chromium(user_data_dir: Path, width: int = 1280, height: int = 900, lang: str = "en-GB") -> webdriver.Chrome:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("Chromium is not installed: run `make e2e`, which installs it")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--lang={lang}",
        f"--window-size={width},{height}",
        f"--user-data-dir={user_data_dir}",
    ):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": lang})
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager try to download a driver
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    """A phone-sized window (the debtor's page is read on phones)."""
    driver = new_chromium(tmp_path_factory.mktemp("chromium"), width=420, height=1400)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    driver = new_chromium(tmp_path_factory.mktemp("desktop"))
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def app(desktop: webdriver.Chrome, local_stack: RunningStack) -> App:
    return App(desktop, local_stack.gateway.url, local_stack.brevo.url, local_stack.stripe.url)
