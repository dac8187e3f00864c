"""Sign-in, sign-out, language choice and the app shell."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Annotated, Any

from babel.numbers import format_decimal
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mostrador.bootstrap import Runtime
from mostrador.core.access import Principal, Role
from mostrador.core.access import actions as access
from mostrador.core.errors import Unauthenticated
from mostrador.core.workspaces import hours, queries
from mostrador.customers import queries as customer_queries
from mostrador.web.deps import SESSION_COOKIE, RuntimeDep
from mostrador.web.ui.i18n import LOCALES, environment, pick_locale, translations

router = APIRouter(include_in_schema=False)

LANG_COOKIE = "mostrador_lang"
LOGIN_CSRF_COOKIE = "mostrador_login_csrf"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention marks strings for extraction
    return message


ROLE_LABELS = {
    Role.OWNER: N_("Owner"),
    Role.ADMIN: N_("Administrator"),
    Role.SUPERVISOR: N_("Supervisor"),
    Role.AGENT: N_("Agent"),
    Role.STORE_STAFF: N_("Store staff"),
}


def _locale(request: Request, runtime: Runtime) -> str:
    """An explicit choice (cookie) first; signed-in pages then use the person's or the
    workspace's language (set on ``request.state``); the sign-in page, the browser's."""
    chosen: str | None = getattr(request.state, "locale", None)
    if chosen is not None:
        return chosen
    return pick_locale(
        request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language"),
        runtime.settings.default_locale,
    )


def render(
    request: Request, runtime: Runtime, template: str, status: int = 200, **context: Any
) -> HTMLResponse:
    env = environment(_locale(request, runtime))
    html = env.get_template(template).render(current_path=request.url.path, **context)
    return HTMLResponse(html, status)


def _t(request: Request, runtime: Runtime, message: str) -> str:
    return translations(_locale(request, runtime)).gettext(message)


def _cookie_flags(runtime: Runtime) -> dict[str, Any]:
    return {"httponly": True, "samesite": "lax", "secure": runtime.settings.secure_cookies}


def current_user(request: Request, runtime: Runtime) -> Principal | None:
    session_id = request.cookies.get(SESSION_COOKIE)
    if not session_id:
        return None
    try:
        return access.authenticate_session(runtime.uow, session_id)
    except Unauthenticated:
        return None


def _login_page(
    request: Request,
    runtime: Runtime,
    *,
    error: str = "",
    error_code: str = "",
    email: str = "",
    status: int = 200,
) -> HTMLResponse:
    csrf = secrets.token_urlsafe(32)
    response = render(
        request,
        runtime,
        "login.html",
        status,
        csrf_token=csrf,
        error=error,
        error_code=error_code,
        email=email,
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, csrf, max_age=3600, **_cookie_flags(runtime))
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, runtime: RuntimeDep) -> Response:
    if current_user(request, runtime) is not None:
        return RedirectResponse("/", 303)
    return _login_page(request, runtime)


@router.post("/login")
def login(
    request: Request,
    runtime: RuntimeDep,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, csrf_token):
        msg = _t(request, runtime, "The form expired; please try again.")
        return _login_page(
            request, runtime, error=msg, error_code="csrf_failed", email=email, status=403
        )
    try:
        session_id, _principal = access.sign_in(
            runtime.uow, email, password, session_hours=runtime.settings.session_hours
        )
    except Unauthenticated as exc:
        msg = _t(request, runtime, "Wrong e-mail or password.")
        return _login_page(
            request, runtime, error=msg, error_code=exc.code, email=email, status=401
        )
    response = RedirectResponse("/", 303)
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=runtime.settings.session_hours * 3600,
        **_cookie_flags(runtime),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(
    request: Request, runtime: RuntimeDep, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    principal = current_user(request, runtime)
    session_id = request.cookies.get(SESSION_COOKIE, "")
    if principal is not None and secrets.compare_digest(principal.csrf_token or "", csrf_token):
        access.sign_out(runtime.uow, session_id)
    response = RedirectResponse("/login", 303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/lang")
def choose_language(request: Request, code: str = "es", next: str = "/") -> Response:
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    response = RedirectResponse(target, 303)
    if code in LOCALES:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax")
    return response


def _today_label(request: Request, runtime: Runtime, day: hours.DayHours) -> str:
    if day.closed:
        return _t(request, runtime, "Closed today")
    return ", ".join(hours.format_spans(day.spans))


@router.get("/", response_class=HTMLResponse)
def home(request: Request, runtime: RuntimeDep) -> Response:
    principal = current_user(request, runtime)
    if principal is None:
        return RedirectResponse("/login", 303)
    now: datetime = runtime.clock.now()
    with runtime.uow.read() as session:
        workspace = queries.workspace_by_id(session, principal.workspace_id)
        user = queries.user_by_id(session, principal.id)
        preferred = (user.language if user else None) or workspace.language
        request.state.locale = pick_locale(request.cookies.get(LANG_COOKIE), None, preferred)
        rows = []
        for loc in queries.locations(session, principal.workspace_id):
            schedule = queries.schedule_of(loc)
            today = hours.hours_on(schedule, now.astimezone(schedule.zone).date())
            rows.append(
                {
                    "name": loc.name,
                    "kind": loc.kind,
                    "city": loc.city,
                    "open_now": hours.is_open(schedule, now),
                    "today": _today_label(request, runtime, today),
                }
            )
        customer_count = customer_queries.count_customers(session, principal.workspace_id)
    nav = [{"href": "/", "label": _t(request, runtime, "Home"), "current": True}]
    return render(
        request,
        runtime,
        "shell.html",
        workspace=workspace,
        user_name=user.name if user else "",
        user_email=user.email if user else "",
        role_label=_t(request, runtime, ROLE_LABELS[principal.role]),
        csrf_token=principal.csrf_token,
        locations=rows,
        customer_count=format_decimal(customer_count, locale=_locale(request, runtime)),
        nav=nav,
    )
