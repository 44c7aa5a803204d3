"""Browser tests: Playwright drives Debian's Chromium against a live server."""

import importlib
import os
import shutil

import pytest

from casework.demo.seed import seed_regions, seed_staff

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures
# in that thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    missing = None
    if not shutil.which(CHROMIUM):
        missing = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    else:
        try:
            import playwright  # noqa: F401
        except ImportError:
            missing = "the playwright package is not installed"
    if missing is None:
        return
    if os.environ.get("CASEWORK_REQUIRE_E2E"):
        raise pytest.UsageError(f"browser tests required but cannot run: {missing}")
    skip = pytest.mark.skip(reason=missing)
    for item in items:
        if "e2e" in item.nodeid:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def demo(live_server):
    """The demo's regions and logins on a live server (cases are added per test).

    Live-server tests run in flushed transactions, which also empty the regions that a data
    migration loads, so they are loaded again here.
    """
    from django.apps import apps

    importlib.import_module("casework.migrations.0002_heyuan_regions").load(apps, None)
    seed_regions()
    return seed_staff()


def log_in(page, live_server, username, password="casework-demo"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
