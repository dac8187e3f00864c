"""Sign-in, CSRF, session cookies and the Spanish-first shell, over HTTP."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from mostrador.bootstrap import Runtime
from mostrador.core.access import BrowserSession
from tests.support.factories import make_location, make_member, make_workspace


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match is not None
    return match.group(1)


def sign_in(client: TestClient, email: str, password: str) -> tuple[int, str]:
    form = client.get("/login")
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_from(form.text)},
        follow_redirects=False,
    )
    return response.status_code, response.text


def sessions(runtime: Runtime) -> int:
    with runtime.uow.read() as session:
        return int(session.execute(select(func.count()).select_from(BrowserSession)).scalar_one())


def test_the_login_page_is_spanish_by_default(client: TestClient) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert '<html lang="es">' in page.text
    assert "Ingresar" in page.text
    assert "Un cliente, una conversación, un stock." in page.text
    assert page.headers["x-frame-options"] == "DENY"
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_the_browser_language_or_an_explicit_choice_switches_it(client: TestClient) -> None:
    pt = client.get("/login", headers={"Accept-Language": "pt-BR,pt;q=0.9,en;q=0.5"})
    assert '<html lang="pt">' in pt.text
    assert "Entrar" in pt.text
    chosen = client.get("/lang", params={"code": "en", "next": "/login"}, follow_redirects=False)
    assert chosen.headers["location"] == "/login"
    client.cookies.set("mostrador_lang", "en")
    assert "Sign in" in client.get("/login", headers={"Accept-Language": "pt"}).text
    evil = client.get(
        "/lang", params={"code": "es", "next": "//evil.example"}, follow_redirects=False
    )
    assert evil.headers["location"] == "/"


def test_wrong_password_is_refused_without_a_session(runtime: Runtime, client: TestClient) -> None:
    ws = make_workspace(runtime)
    make_member(runtime, ws, "ana@example.com", "agent", password="correcta123")
    status, html = sign_in(client, "ana@example.com", "incorrecta")
    assert status == 401
    assert "Correo o contraseña incorrectos." in html
    assert 'data-error="invalid_credentials"' in html
    assert sessions(runtime) == 0


def test_a_login_without_the_form_token_is_refused(runtime: Runtime, client: TestClient) -> None:
    ws = make_workspace(runtime)
    make_member(runtime, ws, "ana@example.com", "agent", password="correcta123")
    response = client.post("/login", data={"email": "ana@example.com", "password": "correcta123"})
    assert response.status_code == 403
    assert 'data-error="csrf_failed"' in response.text
    assert sessions(runtime) == 0


def test_signing_in_opens_the_shell_and_signing_out_closes_the_session(
    runtime: Runtime, client: TestClient
) -> None:
    ws = make_workspace(runtime, "aurora", name="Casa Aurora")
    make_location(runtime, ws, "PAL", name="Palermo")
    make_member(runtime, ws, "ana@example.com", "store_staff", password="correcta123")

    status, _ = sign_in(client, "ANA@example.com ", "correcta123")
    assert status == 303
    cookie = client.cookies.get("mostrador_session")
    assert cookie is not None
    shell = client.get("/")
    assert shell.status_code == 200
    assert 'data-testid="workspace-name">Casa Aurora<' in shell.text
    assert "Personal de tienda" in shell.text
    assert "Palermo" in shell.text
    # Tuesday 12:00 in Buenos Aires: the store is open.
    assert '<span class="badge open">Abierto</span>' in shell.text
    assert sessions(runtime) == 1

    # Signed in, the workspace's language wins over the browser's; an explicit choice wins over both.
    assert "Personal de tienda" in client.get("/", headers={"Accept-Language": "en"}).text
    client.cookies.set("mostrador_lang", "pt")
    assert "Equipe da loja" in client.get("/", headers={"Accept-Language": "en"}).text
    client.cookies.delete("mostrador_lang")

    client.post("/logout", data={"csrf_token": csrf_from(shell.text)}, follow_redirects=False)
    assert sessions(runtime) == 0
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_new_sign_in_gets_a_new_session_id(runtime: Runtime, client: TestClient) -> None:
    ws = make_workspace(runtime)
    make_member(runtime, ws, "ana@example.com", "agent", password="correcta123")
    sign_in(client, "ana@example.com", "correcta123")
    first = client.cookies.get("mostrador_session")
    client.cookies.clear()
    sign_in(client, "ana@example.com", "correcta123")
    assert client.cookies.get("mostrador_session") not in (None, first)


def test_session_cookie_flags(runtime: Runtime, client: TestClient) -> None:
    ws = make_workspace(runtime)
    make_member(runtime, ws, "ana@example.com", "agent", password="correcta123")
    form = client.get("/login")
    response = client.post(
        "/login",
        data={
            "email": "ana@example.com",
            "password": "correcta123",
            "csrf_token": csrf_from(form.text),
        },
        follow_redirects=False,
    )
    set_cookie = [
        v
        for k, v in response.headers.multi_items()
        if k == "set-cookie" and "mostrador_session" in v
    ]
    assert len(set_cookie) == 1
    assert "HttpOnly" in set_cookie[0]
    assert "SameSite=lax" in set_cookie[0]
