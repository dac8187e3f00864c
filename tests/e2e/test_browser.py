"""The UI in real headless Chromium (Debian's package), driven by Playwright."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright

from mostrador.bootstrap import Runtime
from mostrador.web.app import create_app
from tests.conftest import unavailable
from tests.support.factories import make_location, make_member, make_workspace

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_server(runtime: Runtime) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(runtime), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        unavailable(f"Chromium not installed at {CHROMIUM} (make test installs Debian's chromium)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="es-AR")
    yield context.new_page()
    context.close()


def test_store_staff_signs_in_sees_the_shell_and_switches_language(
    runtime: Runtime, live_server: str, page: Page
) -> None:
    ws = make_workspace(runtime, "aurora", name="Casa Aurora")
    make_location(runtime, ws, "PAL", name="Palermo Soho")
    make_member(runtime, ws, "tienda@example.com", "store_staff", password="correcta123")

    page.goto(f"{live_server}/")
    expect(page).to_have_url(f"{live_server}/login")
    expect(page.get_by_role("button", name="Ingresar")).to_be_visible()

    page.get_by_label("Correo electrónico").fill("tienda@example.com")
    page.get_by_label("Contraseña").fill("incorrecta")
    page.get_by_role("button", name="Ingresar").click()
    expect(page.get_by_role("alert")).to_have_text("Correo o contraseña incorrectos.")

    page.get_by_label("Contraseña").fill("correcta123")
    page.get_by_role("button", name="Ingresar").click()
    expect(page.get_by_test_id("workspace-name")).to_have_text("Casa Aurora")
    expect(page.get_by_role("heading", name="Sucursales")).to_be_visible()
    expect(page.get_by_test_id("locations")).to_contain_text("Palermo Soho")

    page.get_by_label("Idioma").select_option("pt")
    expect(page.get_by_role("heading", name="Lojas e depósitos")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "pt")

    page.get_by_role("button", name="Sair").click()
    expect(page).to_have_url(f"{live_server}/login")
