"""E-mail addresses as matching keys, and the domain typos that hint at a known address.

Pure. The key is trimmed and lower-cased (every mailbox provider our customers use ignores
case). Only Gmail is folded further: Google ignores dots and everything after ``+`` in the
local part and delivers ``googlemail.com`` to the same inbox. No other provider ignores dots
and some treat ``+`` as an ordinary character, so folding them could merge two people.
A mistyped domain (``gmial.com``) is only ever a *signal* for the matcher.
"""

from __future__ import annotations

from rapidfuzz.distance import OSA

_GMAIL = "gmail.com"
_GMAIL_DOMAINS = frozenset({_GMAIL, "googlemail.com"})
# Characters that need quoting in an address; nobody types a quoted address in a form.
_FORBIDDEN_IN_LOCAL = frozenset(' \t\r\n,;:<>()[]\\"')

# Where most LatAm and Spanish customers have their mailbox: what typos are corrected to.
POPULAR_DOMAINS = (
    "gmail.com",
    "hotmail.com",
    "hotmail.es",
    "hotmail.com.ar",
    "hotmail.com.br",
    "outlook.com",
    "outlook.es",
    "outlook.com.ar",
    "outlook.com.br",
    "live.com",
    "live.com.ar",
    "live.com.mx",
    "live.cl",
    "yahoo.com",
    "yahoo.es",
    "yahoo.com.ar",
    "yahoo.com.mx",
    "yahoo.com.br",
    "icloud.com",
    "msn.com",
    "uol.com.br",
    "bol.com.br",
    "terra.com.br",
    "ig.com.br",
    "adinet.com.uy",
    "fibertel.com.ar",
    "arnet.com.ar",
    "speedy.com.ar",
    "prodigy.net.mx",
    "une.net.co",
    "telefonica.net",
    "vtr.net",
    "protonmail.com",
)
# Real domains one keystroke from a popular one: never "corrected".
_REAL_LOOKALIKES = frozenset(
    {
        "googlemail.com",
        "ymail.com",
        "mail.com",
        "email.com",
        "gmx.com",
        "gmx.es",
        "gmx.net",
        "me.com",
        "mac.com",
        "live.co.uk",
        "hotmail.cl",
        "hotmail.co.uk",
        "hotmail.fr",
        "hotmail.it",
        "yahoo.co.uk",
        "yahoo.fr",
        "outlook.fr",
        "outlook.cl",
        "terra.com",
        "terra.es",
    }
)


def normalize_email(raw: str) -> str | None:
    """The key of an address (``Juan.Perez+promo@GoogleMail.com`` → ``juanperez@gmail.com``)."""
    value = raw.strip().lower().removeprefix("mailto:")
    if not _is_address(value):
        return None
    local, _, domain = value.partition("@")
    if domain in _GMAIL_DOMAINS:
        local = local.partition("+")[0].replace(".", "")
        if not local:
            return None
        domain = _GMAIL
    return f"{local}@{domain}"


def typo_correction(raw: str) -> str | None:
    """The key ``raw`` most likely meant when its domain is an obvious typo, else None.

    ``maria@gmial.com`` → ``maria@gmail.com``. A hint to look for that customer, not a key:
    ``gmial.com`` is a domain anyone can register.
    """
    local, at, domain = raw.strip().lower().rpartition("@")
    if not at or not local:
        return None
    corrected = _intended_domain(domain.replace(",", ".").strip("."))
    if corrected is None:
        return None
    key = normalize_email(f"{local}@{corrected}")
    return key if key and key != normalize_email(raw) else None


def local_part(email_key: str) -> str:
    """What is before the ``@`` of a key (``juanperez`` for ``juanperez@gmail.com``)."""
    return email_key.rpartition("@")[0]


def _is_address(value: str) -> bool:
    local, at, domain = value.partition("@")
    if not at or not local or len(local) > 64 or "@" in domain:
        return False
    if any(c in _FORBIDDEN_IN_LOCAL for c in local):
        return False
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return False
    return _is_domain(domain)


def _is_domain(domain: str) -> bool:
    labels = domain.split(".")
    if len(labels) < 2 or len(domain) > 253:
        return False
    for label in labels:
        if not label or len(label) > 63 or label.startswith("-") or label.endswith("-"):
            return False
        if not all(c.isalnum() or c == "-" for c in label):
            return False
    top = labels[-1]
    return len(top) >= 2 and not top.isdigit()


def _intended_domain(domain: str) -> str | None:
    """The popular domain ``domain`` is an obvious slip of, or None when it is not one."""
    if domain in POPULAR_DOMAINS or domain in _REAL_LOOKALIKES:
        return domain
    label = domain.partition(".")[0]
    if label == "gmail":  # Google has no country domains: gmail.com.ar, gmail.es, bare gmail
        return _GMAIL
    if "." not in domain:  # "hotmail": the .com was forgotten
        return f"{domain}.com" if f"{domain}.com" in POPULAR_DOMAINS else None
    close = [target for target in POPULAR_DOMAINS if _is_slip(domain, target)]
    if not close:
        return None
    best = min(OSA.distance(domain, target) for target in close)
    nearest = [target for target in close if OSA.distance(domain, target) == best]
    return nearest[0] if len(nearest) == 1 else None


def _is_slip(domain: str, target: str) -> bool:
    """One keystroke away (a transposition counts as one), or one in the name and one in the
    ending (``hotmial.con``); ``hotmart.com`` is two away in the name and is not a slip."""
    distance = OSA.distance(domain, target)
    if distance <= 1:
        return True
    if distance > 2:
        return False
    label, _, ending = domain.partition(".")
    target_label, _, target_ending = target.partition(".")
    return OSA.distance(label, target_label) == 1 and OSA.distance(ending, target_ending) == 1
