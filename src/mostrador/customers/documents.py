"""National identity and tax documents as matching keys, validated where the number allows it.

Pure. A document is read in the customer's country: the shape says which one it is (11
digits in Brazil is a CPF). Check digits are verified with ``python-stdnum`` (the Uruguayan
cédula by hand, stdnum has none). A number that fails its check is kept but never keyed: a
one-digit slip must not land on somebody else. Numbers without a check digit (AR DNI,
PE DNI, CO CC) count as valid when their length and range are plausible; that is all that
can be known of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from stdnum.ar import cuit as ar_cuit
from stdnum.br import cnpj as br_cnpj
from stdnum.br import cpf as br_cpf
from stdnum.cl import rut as cl_rut
from stdnum.co import nit as co_nit
from stdnum.es import dni as es_dni
from stdnum.es import nie as es_nie
from stdnum.mx import curp as mx_curp
from stdnum.mx import rfc as mx_rfc
from stdnum.pe import cui as pe_cui
from stdnum.pe import ruc as pe_ruc
from stdnum.uy import rut as uy_rut


@dataclass(frozen=True)
class Document:
    """A document as recognised: ``number`` is compact (no separators, upper case)."""

    country: str
    type: str
    number: str
    valid: bool

    @property
    def key(self) -> str | None:
        """``"BR:CPF:39053344705"``, so two countries never collide; None unless valid."""
        return f"{self.country}:{self.type}:{self.number}" if self.valid else None


_SEPARATORS = re.compile(r"[\s.\-/_,]+")
_LABELS = (
    "DNI", "NIE", "NIF", "CPF", "CNPJ", "RUT", "RUN", "CI", "CC", "CUIT", "CUIL", "RUC",
    "NIT", "CURP", "RFC", "LE", "LC",
)  # fmt: skip
_ANY_LABEL = "|".join(r"\.?".join(label) + r"\.?" for label in _LABELS)
# "DNI: 12.345.678", "C.I. 1.234.567-2", "CPF nº 390...": the label people type before it.
_LABEL = re.compile(rf"^\s*(?:{_ANY_LABEL})(?:\s*N[°º.]?)?(?:\s*[:#]\s*|\s+)")
_CHECK_AFTER_DASH = re.compile(r"-\s*\d\s*$")
_UY_WEIGHTS = (2, 9, 8, 7, 6, 3, 4)
_ES_DNI = re.compile(r"\d{1,8}[A-Z]")
_ES_NIE = re.compile(r"[XYZ]\d{7}[A-Z]")
_CL_RUT = re.compile(r"\d{6,8}[0-9K]")
_PE_CUI = re.compile(r"\d{8}[0-9A-K]")


def parse_document(raw: str, country: str) -> Document | None:
    """The document ``raw`` is in ``country``; None when empty or of no known shape there."""
    country = country.strip().upper()
    read = _READERS.get(country)
    compact = _compact(raw)
    if read is None or not compact:
        return None
    return read(compact, raw)


def _compact(raw: str) -> str:
    upper = raw.strip().upper()
    return _SEPARATORS.sub("", _LABEL.sub("", upper, count=1))


def _argentina(number: str, _raw: str) -> Document | None:
    if not number.isdigit():
        return None
    if len(number) == 11:  # CUIT and CUIL are the same number and the same check
        return Document("AR", "CUIT", number, ar_cuit.is_valid(number))
    number = number.lstrip("0")
    if len(number) in (7, 8):  # DNI: no check digit (foreign residents' from 92 million)
        return Document("AR", "DNI", number, valid=True)
    return None


def _brazil(number: str, _raw: str) -> Document | None:
    if number.isdigit() and 9 <= len(number) <= 11:
        # spreadsheets drop the leading zeros of a CPF; the check digits still decide
        cpf = number.zfill(11)
        return Document("BR", "CPF", cpf, br_cpf.is_valid(cpf) and not _one_digit(cpf))
    if number.isalnum() and 12 <= len(number) <= 14 and number[-2:].isdigit():
        cnpj = number.zfill(14)
        return Document("BR", "CNPJ", cnpj, br_cnpj.is_valid(cnpj) and not _one_digit(cnpj))
    return None


def _chile(number: str, _raw: str) -> Document | None:
    number = number.lstrip("0")
    if not _CL_RUT.fullmatch(number):
        return None
    body, check = number[:-1], number[-1]
    return Document("CL", "RUT", number, cl_rut.calc_check_digit(body) == check)


def _spain(number: str, _raw: str) -> Document | None:
    if _ES_NIE.fullmatch(number):
        return Document("ES", "NIE", number, es_nie.is_valid(number))
    if _ES_DNI.fullmatch(number):
        dni = number.zfill(9)
        return Document("ES", "DNI", dni, es_dni.is_valid(dni))
    if number.isdigit() and len(number) == 8:  # the letter is missing: nothing to check
        return Document("ES", "DNI", number, valid=False)
    return None


def _uruguay(number: str, _raw: str) -> Document | None:
    if not number.isdigit():
        return None
    if len(number) == 12:
        return Document("UY", "RUT", number, uy_rut.is_valid(number))
    if len(number) in (7, 8):  # cédula: 6-7 digits and a check digit
        ci = number.zfill(8)
        return Document("UY", "CI", ci, _uruguayan_check_digit(ci[:-1]) == ci[-1])
    return None


def _uruguayan_check_digit(body: str) -> str:
    """Check digit of a Uruguayan cédula: weights 2987634 over the 7-digit body, mod 10."""
    total = sum(int(d) * w for d, w in zip(body.zfill(7), _UY_WEIGHTS, strict=True))
    return str(-total % 10)


def _peru(number: str, _raw: str) -> Document | None:
    if number.isdigit() and len(number) == 11:
        return Document("PE", "RUC", number, pe_ruc.is_valid(number))
    if number.isdigit() and len(number) == 8:
        return Document("PE", "DNI", number, valid=True)
    if _PE_CUI.fullmatch(number):  # DNI with the check character printed on the card
        return Document("PE", "DNI", number[:8], pe_cui.is_valid(number))
    return None


def _colombia(number: str, raw: str) -> Document | None:
    if not number.isdigit():
        return None
    # A NIT is written with its check digit after a dash; companies' start with 8 or 9.
    if _CHECK_AFTER_DASH.search(raw) or (len(number) == 10 and number[0] in "89"):
        return Document("CO", "NIT", number, co_nit.is_valid(number))
    number = number.lstrip("0")
    if 6 <= len(number) <= 9 or (len(number) == 10 and number.startswith("1")):
        return Document("CO", "CC", number, valid=True)  # cédula: no check digit
    return None


def _mexico(number: str, _raw: str) -> Document | None:
    if len(number) == 18:
        return Document("MX", "CURP", number, mx_curp.is_valid(number))
    if len(number) in (12, 13):
        # stdnum skips the RFC check digit by default: ~1.5 % of real RFCs fail it.
        return Document("MX", "RFC", number, mx_rfc.is_valid(number))
    return None


def _one_digit(number: str) -> bool:
    """111.111.111-11 passes the CPF arithmetic, but the Receita never issues it."""
    return len(set(number)) == 1


_READERS: dict[str, Callable[[str, str], Document | None]] = {
    "AR": _argentina,
    "BR": _brazil,
    "CL": _chile,
    "CO": _colombia,
    "ES": _spain,
    "MX": _mexico,
    "PE": _peru,
    "UY": _uruguay,
}
