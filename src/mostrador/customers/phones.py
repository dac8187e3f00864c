"""Phone numbers as matching keys: E.164 via ``phonenumbers``, plus the local habits it misses.

Pure. The key is what we match on; the raw text and WhatsApp's own id are kept elsewhere
for replying. Rules beyond libphonenumber, all because one line is written several ways:

* Argentina: mobiles are keyed with their ``9`` (``+5491155551234``); ``011 15 ...`` and
  ``+54 9 11 ...`` are the same line. A WhatsApp id without the 9 (``5411...``) is a mobile
  and gets it. Typed without 9/15 (``11 5555-1234``) the number reads as a landline and is
  keyed as one; the mobile reading is offered by ``phone_variants``, never as a key.
  Without an area code (``15-5555-1234``) the number is unknowable: no key.
* Mexico: the legacy mobile ``1`` after ``+52`` (and WhatsApp's ``521...`` ids) is dropped.
* Brazil: an old 8-digit mobile (area + 6/7/8/9xxx-xxxx) gets the ``9`` every mobile has now.
"""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberType

_ARGENTINA = 54
_MEXICO = 52
_BRAZIL = 55

_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
# Before 2012-2016 Brazilian mobiles had 8 digits starting with one of these.
_BRAZIL_OLD_MOBILE_LEADS = frozenset("6789")
# Parsing is the cost of normalizing a file of contacts (tens of microseconds a number), and
# the same E.164 candidates come back again and again: a number's key, then its other
# reading, then another record of the same line. The functions are pure, so they are cached.
_CACHE_SIZE = 65_536


@lru_cache(maxsize=_CACHE_SIZE)
def normalize_phone(raw: str, default_country: str) -> str | None:
    """The E.164 key of a phone as typed anywhere, read in ``default_country`` unless it has +CC."""
    number = _parse(raw, default_country)
    return _key(number, from_whatsapp=False) if number else None


@lru_cache(maxsize=_CACHE_SIZE)
def normalize_whatsapp_id(wa_id: str) -> str | None:
    """The E.164 key of a WhatsApp id (``5491155551234``, ``541155551234``, ``5215512345678``).

    WhatsApp only reaches mobiles, so an Argentine id without its 9 is read as a mobile.
    """
    digits = wa_id.strip().removeprefix("+")
    if not (digits.isascii() and digits.isdigit()):
        return None
    number = _parse_e164("+" + digits)  # what ``_parse`` does without a country, cached
    return _key(number, from_whatsapp=True) if number else None


def whatsapp_form(e164: str) -> str:
    """The digits to send to on WhatsApp for ``e164``: AR ``549...``, MX ``52...``, BR with its 9.

    A number that is not valid is returned as its digits, unchanged.
    """
    key = normalize_whatsapp_id(e164) or e164
    return "".join(c for c in key if c.isdigit())


@lru_cache(maxsize=_CACHE_SIZE)
def phone_variants(raw: str, default_country: str) -> tuple[str, ...]:
    """Every key ``raw`` could stand for, ``normalize_phone``'s first; others are only leads.

    In Argentina the same line is written with or without the mobile 9, so each key brings
    the other reading (``+541155551234`` ⇄ ``+5491155551234``) for candidate lookups.
    """
    key = normalize_phone(raw, default_country)
    if key is None:
        return ()
    number = _parse_e164(key)  # parsed (and cached) when ``_valid`` accepted the key
    if number is None or number.country_code != _ARGENTINA:
        return (key,)
    nsn = phonenumbers.national_significant_number(number)
    other = _valid(_ARGENTINA, nsn[1:] if nsn.startswith("9") else "9" + nsn)
    return (key, other) if other and other != key else (key,)


def unchecked_reading(key: str) -> str | None:
    """The other reading of an Argentine key (with or without the mobile 9), unvalidated.

    For records rebuilt from stored keys: ``phone_variants`` would parse the number again to
    validate it. Unvalidated is as good for matching: an invalid reading is never equal to
    any key or checked reading, which are all valid numbers, so it can never agree with one.
    """
    if not key.startswith("+54"):
        return None
    nsn = key[3:]
    return "+54" + (nsn[1:] if nsn.startswith("9") else "9" + nsn)


def _parse(raw: str, default_country: str) -> PhoneNumber | None:
    region = default_country.strip().upper() or None
    try:
        return phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None


def _key(number: PhoneNumber, *, from_whatsapp: bool) -> str | None:
    nsn = phonenumbers.national_significant_number(number)
    code = number.country_code
    if code == _ARGENTINA:
        return _argentine_key(nsn, from_whatsapp=from_whatsapp)
    if code == _MEXICO:
        return _mexican_key(nsn)
    if code == _BRAZIL:
        return _brazilian_key(nsn)
    return _valid(code, nsn) if code else None


def _argentine_key(nsn: str, *, from_whatsapp: bool) -> str | None:
    if from_whatsapp and not nsn.startswith("9"):
        mobile = _valid(_ARGENTINA, "9" + nsn, mobile=True)
        if mobile:
            return mobile
    return _valid(_ARGENTINA, nsn) or _without_fifteen(nsn)


def _without_fifteen(nsn: str) -> str | None:
    """``+54 9 11 15 5555-1234``: both mobile marks at once; the 15 after the area goes."""
    body = nsn.removeprefix("9")
    if len(body) != 12:  # area + local is 10 digits in Argentina, plus the 15
        return None
    for area_length in (2, 3, 4):
        if body[area_length : area_length + 2] == "15":
            mobile = _valid(
                _ARGENTINA, "9" + body[:area_length] + body[area_length + 2 :], mobile=True
            )
            if mobile:
                return mobile
    return None


def _mexican_key(nsn: str) -> str | None:
    # phonenumbers 9 rejects "+52 1 ..."; the 1 was dropped from Mexican dialling in 2019.
    if len(nsn) == 11 and nsn.startswith("1"):
        return _valid(_MEXICO, nsn[1:])
    return _valid(_MEXICO, nsn)


def _brazilian_key(nsn: str) -> str | None:
    # 10 digits = area (2) + old 8-digit subscriber; libphonenumber still accepts a few of
    # these (old Nextel ranges) but the line today is the same number with the 9.
    if len(nsn) == 10 and nsn[2] in _BRAZIL_OLD_MOBILE_LEADS:
        mobile = _valid(_BRAZIL, nsn[:2] + "9" + nsn[2:], mobile=True)
        if mobile:
            return mobile
    return _valid(_BRAZIL, nsn)


@lru_cache(maxsize=_CACHE_SIZE)
def _valid(country_code: int, nsn: str, *, mobile: bool = False) -> str | None:
    """``+<code><nsn>`` if libphonenumber calls it valid (and a mobile, when asked)."""
    e164 = f"+{country_code}{nsn}"
    number = _parse_e164(e164)
    if number is None or not phonenumbers.is_valid_number(number):
        return None
    if mobile and phonenumbers.number_type(number) not in _MOBILE_TYPES:
        return None
    return e164


@lru_cache(maxsize=4096)  # mostly to parse a key once for ``_valid`` and ``phone_variants``
def _parse_e164(e164: str) -> PhoneNumber | None:
    """``e164`` parsed; shared by the callers above, which only read it."""
    try:
        return phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
