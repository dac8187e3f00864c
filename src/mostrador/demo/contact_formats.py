"""Phones, e-mails, Instagram handles and identity documents, written the way people write them.

Pure. Every phone is a valid mobile number for its country according to ``phonenumbers``
and is rendered in one of the formats seen in real life (at a shop counter, in a web form,
as a WhatsApp id). E-mails are built from the person's name with the domains common in
each country, including a few deliberate typos.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import phonenumbers

from mostrador.demo.names import PersonName

T = TypeVar("T")

# (area, subscriber) → the number as written
Render = Callable[[str, str], str]


def weighted(rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
    """One of ``options`` (value, weight), chosen with probability proportional to weight."""
    total = sum(weight for _, weight in options)
    point = rng.random() * total
    for value, weight in options:
        point -= weight
        if point < 0:
            return value
    return options[-1][0]


@dataclass(frozen=True)
class MobileNumber:
    """A mobile number split the way it is written locally: area (or mobile prefix) + rest."""

    country: str
    area: str
    subscriber: str

    @property
    def e164(self) -> str:
        plan = PHONE_PLANS[self.country]
        return f"+{plan.calling_code}{plan.mobile_marker}{self.area}{self.subscriber}"

    @property
    def whatsapp_id(self) -> str:
        """How WhatsApp's API names the sender: the E.164 digits without '+'."""
        return self.e164[1:]


@dataclass(frozen=True)
class PhonePlan:
    """How one country's mobile numbers are made and written."""

    calling_code: str
    mobile_marker: str  # digits between the calling code and the area in E.164 (AR: "9")
    areas: tuple[tuple[str, float], ...]  # area or mobile prefix → share
    national_length: int  # digits of area + subscriber
    lead_digits: str  # allowed first digit of the subscriber part
    formats: tuple[tuple[Render, float], ...]  # local habits (a 'local' format may start with '+')


def _split(digits: str, *sizes: int) -> list[str]:
    parts, start = [], 0
    for size in sizes:
        parts.append(digits[start : start + size])
        start += size
    if start < len(digits):
        parts.append(digits[start:])
    return parts


def _ar_dash(sub: str) -> str:
    return f"{sub[:-4]}-{sub[-4:]}"


# Writing an Argentine mobile without the "15"/"9" (the 3rd, 7th and 8th formats) is common
# and makes it parse as a landline (+54 11 ... instead of +54 9 11 ...): a real-life trap.
_AR_FORMATS: tuple[tuple[Render, float], ...] = (
    (lambda a, s: f"+54 9 {a} {_ar_dash(s)}", 16),
    (lambda a, s: f"0{a} 15-{_ar_dash(s)}", 18),
    (lambda a, s: f"{a} {_ar_dash(s)}", 14),
    (lambda a, s: f"(0{a}) 15 {_ar_dash(s)}", 8),
    (lambda a, s: f"{a} 15 {_ar_dash(s)}", 12),
    (lambda a, s: f"+549{a}{s}", 6),
    (lambda a, s: f"{a}{s}", 8),
    (lambda a, s: f"{a}-{_ar_dash(s)}", 6),
    (lambda a, s: f"549{a}{s}", 4),
    (lambda a, s: f"0{a}15{s}", 4),
    (lambda a, s: f"+54 9 {a} {s}", 4),
)

_UY_FORMATS: tuple[tuple[Render, float], ...] = (
    (lambda a, s: "0{} {} {}".format(*_split(a + s, 2, 3)), 40),
    (lambda a, s: f"0{a}{s}", 25),
    (lambda a, s: "+598 {} {} {}".format(*_split(a + s, 2, 3)), 25),
    (lambda a, s: f"+598{a}{s}", 10),
)

_CL_FORMATS: tuple[tuple[Render, float], ...] = (
    (lambda a, s: "+56 {} {} {}".format(a, *_split(s, 4)), 35),
    (lambda a, s: "{} {} {}".format(a, *_split(s, 4)), 25),
    (lambda a, s: f"{a}{s}", 20),
    (lambda a, s: f"+56{a}{s}", 10),
    (lambda a, s: "56 {} {} {}".format(a, *_split(s, 4)), 10),
)

_PE_FORMATS: tuple[tuple[Render, float], ...] = (
    (lambda a, s: "{} {} {}".format(*_split(a + s, 3, 3)), 40),
    (lambda a, s: f"{a}{s}", 30),
    (lambda a, s: "+51 {} {} {}".format(*_split(a + s, 3, 3)), 25),
    (lambda a, s: f"+51{a}{s}", 5),
)

_CO_FORMATS: tuple[tuple[Render, float], ...] = (
    (lambda a, s: "{} {} {}".format(a, *_split(s, 3)), 35),
    (lambda a, s: f"{a}{s}", 30),
    (lambda a, s: "+57 {} {} {}".format(a, *_split(s, 3)), 15),
    (lambda a, s: f"+57 {a} {s}", 10),
    (lambda a, s: "({}) {}-{}".format(a, *_split(s, 3)), 10),
)

_MX_FORMATS: tuple[tuple[Render, float], ...] = (
    (lambda a, s: f"{a} {s[:-4]} {s[-4:]}", 35),
    (lambda a, s: f"{a}{s}", 25),
    (lambda a, s: f"+52 {a} {s[:-4]} {s[-4:]}", 20),
    (lambda a, s: f"({a}) {s[:-4]}-{s[-4:]}", 10),
    (lambda a, s: f"{a}-{s[:-4]}-{s[-4:]}", 10),
)

_BR_FORMATS: tuple[tuple[Render, float], ...] = (
    (lambda a, s: f"({a}) {s[:5]}-{s[5:]}", 35),
    (lambda a, s: f"{a} {s[:5]}-{s[5:]}", 15),
    (lambda a, s: f"{a}{s}", 15),
    (lambda a, s: f"+55 {a} {s[:5]}-{s[5:]}", 15),
    (lambda a, s: f"+55 {a} {s[:5]} {s[5:]}", 5),
    (lambda a, s: f"+55 ({a}) {s[:5]}-{s[5:]}", 10),
    (lambda a, s: f"+55{a}{s}", 5),
)

_ES_FORMATS: tuple[tuple[Render, float], ...] = (
    (lambda a, s: "{} {} {} {}".format(*_split(a + s, 3, 2, 2)), 30),
    (lambda a, s: "{} {} {}".format(*_split(a + s, 3, 3)), 25),
    (lambda a, s: f"{a}{s}", 25),
    (lambda a, s: "+34 {} {} {} {}".format(*_split(a + s, 3, 2, 2)), 10),
    (lambda a, s: f"+34 {a}{s}", 5),
    (lambda a, s: "0034 {} {} {}".format(*_split(a + s, 3, 3)), 5),
)

PHONE_PLANS: dict[str, PhonePlan] = {
    "AR": PhonePlan(
        calling_code="54",
        mobile_marker="9",
        areas=(
            ("11", 60),
            ("351", 12),
            ("341", 6),
            ("221", 5),
            ("223", 3),
            ("261", 4),
            ("381", 3),
            ("387", 2),
            ("299", 2),
            ("342", 2),
            ("358", 1),
        ),
        national_length=10,
        lead_digits="23456789",
        formats=_AR_FORMATS,
    ),
    "UY": PhonePlan("598", "", (("9", 1),), 8, "123456789", _UY_FORMATS),
    "CL": PhonePlan("56", "", (("9", 1),), 9, "3456789", _CL_FORMATS),
    "PE": PhonePlan("51", "", (("9", 1),), 9, "123456789", _PE_FORMATS),
    "CO": PhonePlan(
        "57",
        "",
        tuple(
            (str(p), 1.0)
            for p in (
                300,
                301,
                302,
                304,
                305,
                310,
                311,
                312,
                313,
                314,
                315,
                316,
                317,
                318,
                319,
                320,
                321,
                322,
                323,
                350,
                351,
            )
        ),
        10,
        "23456789",
        _CO_FORMATS,
    ),
    "MX": PhonePlan(
        "52",
        "",
        (("55", 40), ("33", 15), ("81", 15), ("222", 8), ("442", 7), ("998", 8), ("664", 7)),
        10,
        "123456789",
        _MX_FORMATS,
    ),
    "BR": PhonePlan(
        "55",
        "",
        (("11", 40), ("21", 18), ("31", 8), ("41", 7), ("51", 9), ("48", 8), ("61", 5), ("71", 5)),
        11,
        "9",  # every Brazilian mobile has a leading 9 after the area code
        _BR_FORMATS,
    ),
    "ES": PhonePlan("34", "", (("6", 80), ("7", 20)), 9, "0123456789", _ES_FORMATS),
}

_MOBILE_TYPES = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


def is_valid_mobile(e164: str) -> bool:
    parsed = phonenumbers.parse(e164, None)
    return bool(
        phonenumbers.is_valid_number(parsed) and phonenumbers.number_type(parsed) in _MOBILE_TYPES
    )


def mobile_number(rng: random.Random, country: str, area: str | None = None) -> MobileNumber:
    """A valid mobile number of ``country`` (in ``area`` when given, e.g. '351' for Córdoba)."""
    plan = PHONE_PLANS[country]
    chosen_area = area or weighted(rng, plan.areas)
    length = plan.national_length - len(chosen_area)
    while True:
        lead = rng.choice(plan.lead_digits)
        rest = "".join(rng.choice("0123456789") for _ in range(length - 1))
        number = MobileNumber(country, chosen_area, lead + rest)
        if is_valid_mobile(number.e164):
            return number


def write_phone(rng: random.Random, number: MobileNumber, *, abroad: bool = False) -> str:
    """``number`` as someone types it; ``abroad`` (a visitor's number) favours +CC forms."""
    formats = PHONE_PLANS[number.country].formats
    render = weighted(rng, formats)
    if abroad and rng.random() < 0.7:
        while not render(number.area, number.subscriber).startswith("+"):
            render = weighted(rng, formats)
    return render(number.area, number.subscriber)


# --- e-mail -----------------------------------------------------------------------------

EMAIL_DOMAINS: dict[str, tuple[tuple[str, float], ...]] = {
    "AR": (
        ("gmail.com", 56),
        ("hotmail.com", 17),
        ("yahoo.com.ar", 6),
        ("outlook.com", 6),
        ("hotmail.com.ar", 4),
        ("live.com.ar", 2),
        ("icloud.com", 3),
        ("yahoo.com", 2),
        ("fibertel.com.ar", 2),
        ("outlook.com.ar", 2),
    ),
    "UY": (
        ("gmail.com", 55),
        ("hotmail.com", 25),
        ("adinet.com.uy", 8),
        ("outlook.com", 7),
        ("yahoo.com", 5),
    ),
    "CL": (
        ("gmail.com", 60),
        ("hotmail.com", 18),
        ("yahoo.es", 5),
        ("outlook.com", 7),
        ("live.cl", 5),
        ("vtr.net", 5),
    ),
    "PE": (
        ("gmail.com", 62),
        ("hotmail.com", 22),
        ("outlook.com", 8),
        ("yahoo.es", 5),
        ("yahoo.com", 3),
    ),
    "CO": (
        ("gmail.com", 60),
        ("hotmail.com", 22),
        ("outlook.com", 8),
        ("yahoo.es", 5),
        ("yahoo.com", 3),
        ("une.net.co", 2),
    ),
    "MX": (
        ("gmail.com", 55),
        ("hotmail.com", 22),
        ("outlook.com", 10),
        ("yahoo.com.mx", 8),
        ("live.com.mx", 3),
        ("prodigy.net.mx", 2),
    ),
    "BR": (
        ("gmail.com", 58),
        ("hotmail.com", 14),
        ("outlook.com", 7),
        ("yahoo.com.br", 8),
        ("uol.com.br", 5),
        ("bol.com.br", 4),
        ("terra.com.br", 2),
        ("ig.com.br", 2),
    ),
    "ES": (
        ("gmail.com", 55),
        ("hotmail.com", 14),
        ("hotmail.es", 8),
        ("outlook.es", 7),
        ("yahoo.es", 8),
        ("telefonica.net", 4),
        ("icloud.com", 4),
    ),
}

# Mistyped domains seen in real customer lists; the last two are not even valid addresses.
_TYPOS: dict[str, tuple[str, ...]] = {
    "gmail.com": ("gmial.com", "gmai.com", "gmail.con", "gamil.com", "gmail.co", "gmail"),
    "hotmail.com": ("hotmial.com", "hotmail.con", "hotmal.com", "hotmai.com", "hotmail,com"),
    "outlook.com": ("outlok.com", "outlook.con"),
    "yahoo.com.ar": ("yahoo.com.ra", "yaho.com.ar"),
}
TYPO_DOMAINS = frozenset(typo for typos in _TYPOS.values() for typo in typos)
TYPO_SHARE = 0.01


def ascii_fold(text: str) -> str:
    """'Muñoz Peña' → 'munozpena': how names end up in addresses and handles."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


def _email_local(rng: random.Random, name: PersonName, birth_year: int) -> str:
    first = ascii_fold(name.first_given)
    last = ascii_fold(name.family)
    yy = f"{birth_year % 100:02d}"
    two_surnames = len(name.surnames) > 1
    other = ascii_fold(name.surnames[-1]) if two_surnames else last
    second = ascii_fold(name.given[1]) if len(name.given) > 1 else first
    options: tuple[tuple[str, float], ...] = (
        (f"{first}.{last}", 22),
        (f"{first}{last}", 14),
        (f"{first[0]}{last}", 10),
        (f"{first}_{last}", 6),
        (f"{first}.{last}{yy}", 10),
        (f"{first}{last}{yy}", 8),
        (f"{last}.{first}", 4),
        (f"{first}{yy}", 4),
        (f"{first}.{last}.{other}", 3 if two_surnames else 0),
        (f"{first}{last}{birth_year}", 5),
        (f"{first[0]}.{last}", 6),
        (f"{first}{second[0]}{last}", 4),
        (f"{first}.{other}", 4 if two_surnames else 0),
    )
    return weighted(rng, options)


def email_address(
    rng: random.Random, name: PersonName, country: str, birth_year: int, taken: set[str]
) -> str:
    """A new lower-case address for ``name``, not in ``taken`` (which it is added to)."""
    domain = weighted(rng, EMAIL_DOMAINS[country])
    local = _email_local(rng, name, birth_year)
    address = f"{local}@{domain}"
    while address in taken:
        address = f"{local}{rng.randint(1, 999)}@{domain}"
    taken.add(address)
    return address


def write_email(rng: random.Random, address: str, *, at_counter: bool) -> str:
    """``address`` as typed: sometimes capitalised or in capitals, rarely with a wrong domain."""
    local, _, domain = address.partition("@")
    if rng.random() < TYPO_SHARE:
        domain = rng.choice(_TYPOS.get(domain, _TYPOS["gmail.com"]))
    roll = rng.random()
    if at_counter and roll < 0.15:
        return f"{local}@{domain}".upper()
    if roll < (0.25 if at_counter else 0.07):
        # phone keyboards capitalise the first letter; some people write names in capitals
        return f"{local[:1].upper()}{local[1:]}@{domain}"
    if roll < (0.28 if at_counter else 0.09):
        return f"{local}@{domain[:1].upper()}{domain[1:]}"
    return f"{local}@{domain}"


# --- Instagram --------------------------------------------------------------------------


def instagram_handle(rng: random.Random, name: PersonName, birth_year: int, taken: set[str]) -> str:
    """A username (lower case, letters, digits, '.' and '_', at most 30) not in ``taken``."""
    first = ascii_fold(name.first_given)
    last = ascii_fold(name.family)
    yy = f"{birth_year % 100:02d}"
    options: tuple[tuple[str, float], ...] = (
        (f"{first}.{last}", 20),
        (f"{first}_{last}", 10),
        (f"{first}{last}", 12),
        (f"{first}.{last}{yy}", 8),
        (f"{first}{last}_", 5),
        (f"_{first}{last}", 4),
        (f"{first}.{last[0]}", 6),
        (f"soy{first}{last[0]}", 3),
        (f"{first}{last[0]}{yy}", 6),
        (f"{first}.{last}.ok", 2),
        (f"{first}_{yy}", 4),
        (f"{first[:3]}.{last}", 5),
    )
    base = weighted(rng, options)[:26].rstrip(".")
    handle = base
    while handle in taken:
        handle = f"{base}{rng.choice('._')}{rng.randint(1, 999)}"
    taken.add(handle)
    return handle


# --- identity documents -----------------------------------------------------------------

_UY_WEIGHTS = (2, 9, 8, 7, 6, 3, 4)
_ES_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def uy_check_digit(body: str) -> str:
    """Check digit of a Uruguayan cédula (7 digits)."""
    total = sum(int(d) * w for d, w in zip(body.zfill(7), _UY_WEIGHTS, strict=True))
    return str((10 - total % 10) % 10)


def rut_check_digit(body: int) -> str:
    """Check digit of a Chilean RUT (modulo 11, 'K' for 10)."""
    total, factor = 0, 2
    for digit in reversed(str(body)):
        total += int(digit) * factor
        factor = 2 if factor == 7 else factor + 1
    value = 11 - total % 11
    return {11: "0", 10: "K"}.get(value, str(value))


def cpf_check_digits(nine: str) -> str:
    """The two check digits of a Brazilian CPF."""
    digits = [int(d) for d in nine]
    for _ in range(2):
        total = sum(d * w for d, w in zip(digits, range(len(digits) + 1, 1, -1), strict=True))
        digits.append(total * 10 % 11 % 10)
    return f"{digits[-2]}{digits[-1]}"


def ean13_check_digit(twelve: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(twelve))
    return str((10 - total % 10) % 10)


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _ar_dni(rng: random.Random, birth_year: int) -> str:
    # DNIs are issued in sequence, so the number says roughly when someone was born.
    millions = max(4.0, (birth_year - 1943) * 0.75 + rng.uniform(-1.5, 1.5))
    number = int(millions * 1_000_000) + rng.randint(0, 999_999)
    return _thousands(number) if rng.random() < 0.5 else str(number)


def _uy_ci(rng: random.Random, birth_year: int) -> str:
    body = str(
        min(6_999_999, max(1_000_000, (birth_year - 1930) * 80_000 + rng.randint(0, 400_000)))
    )
    check = uy_check_digit(body)
    return weighted(
        rng,
        ((f"{_thousands(int(body))}-{check}", 50), (f"{body}{check}", 30), (f"{body}-{check}", 20)),
    )


def _cl_rut(rng: random.Random, birth_year: int) -> str:
    body = max(3_000_000, (birth_year - 1940) * 300_000 + rng.randint(0, 1_500_000))
    check = rut_check_digit(body)
    return weighted(
        rng, ((f"{_thousands(body)}-{check}", 55), (f"{body}-{check}", 35), (f"{body}{check}", 10))
    )


def _br_cpf(rng: random.Random, _birth_year: int) -> str:
    nine = "".join(rng.choice("0123456789") for _ in range(9))
    while len(set(nine)) == 1:
        nine = "".join(rng.choice("0123456789") for _ in range(9))
    cpf = nine + cpf_check_digits(nine)
    if rng.random() < 0.6:
        return f"{cpf[:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:]}"
    return cpf


def _pe_dni(rng: random.Random, _birth_year: int) -> str:
    return str(rng.randint(10_000_000, 79_999_999))


def _co_cc(rng: random.Random, birth_year: int) -> str:
    number = (
        rng.randint(1_000_000_000, 1_120_000_000)
        if birth_year >= 1990
        else rng.randint(10_000_000, 99_999_999)
    )
    return _thousands(number) if rng.random() < 0.4 else str(number)


def _es_dni(rng: random.Random, _birth_year: int) -> str:
    number = rng.randint(1_000_000, 79_999_999)
    letter = _ES_LETTERS[number % 23]
    return weighted(
        rng,
        (
            (f"{number:08d}{letter}", 60),
            (f"{number:08d}-{letter}", 25),
            (f"{_thousands(number)}-{letter}", 15),
        ),
    )


_DOCUMENTS: dict[str, Callable[[random.Random, int], str]] = {
    "AR": _ar_dni,
    "UY": _uy_ci,
    "CL": _cl_rut,
    "BR": _br_cpf,
    "PE": _pe_dni,
    "CO": _co_cc,
    "ES": _es_dni,
}


def identity_document(
    rng: random.Random, country: str, birth_year: int, *, born_abroad: bool = False
) -> str | None:
    """A national id number as written (DNI, CI, RUT, CPF...); None where we make none (MX).

    Argentina gives residents born abroad DNIs from 92 million up.
    """
    if country == "AR" and born_abroad:
        number = rng.randint(92_000_000, 96_999_999)
        return _thousands(number) if rng.random() < 0.5 else str(number)
    make = _DOCUMENTS.get(country)
    return make(rng, birth_year) if make else None


def loyalty_card_number(serial: int) -> str:
    """The store's loyalty card: an in-store EAN-13 (prefix 29) unique per ``serial``."""
    twelve = f"2900{serial:08d}"
    return twelve + ean13_check_digit(twelve)
