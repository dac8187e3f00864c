"""Documents: recognised by country and shape, compacted, keyed only when they check out."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cl import rut

from mostrador.customers.documents import Document, parse_document


@pytest.mark.parametrize(
    ("raw", "country", "document"),
    [
        ("20.123.456", "AR", Document("AR", "DNI", "20123456", valid=True)),
        ("DNI: 20123456", "AR", Document("AR", "DNI", "20123456", valid=True)),
        ("5.123.456", "AR", Document("AR", "DNI", "5123456", valid=True)),
        ("94.567.123", "ar", Document("AR", "DNI", "94567123", valid=True)),
        ("20-12345678-6", "AR", Document("AR", "CUIT", "20123456786", valid=True)),
        ("27 30111222 5", "AR", Document("AR", "CUIT", "27301112225", valid=True)),
        ("390.533.447-05", "BR", Document("BR", "CPF", "39053344705", valid=True)),
        ("CPF nº 390.533.447-05", "BR", Document("BR", "CPF", "39053344705", valid=True)),
        ("11.222.333/0001-81", "BR", Document("BR", "CNPJ", "11222333000181", valid=True)),
        ("12.345.678-5", "CL", Document("CL", "RUT", "123456785", valid=True)),
        ("12345678-5", "CL", Document("CL", "RUT", "123456785", valid=True)),
        ("7.654.321-6", "CL", Document("CL", "RUT", "76543216", valid=True)),
        ("12345678Z", "ES", Document("ES", "DNI", "12345678Z", valid=True)),
        ("12.345.678-z", "ES", Document("ES", "DNI", "12345678Z", valid=True)),
        ("1234567-L", "ES", Document("ES", "DNI", "01234567L", valid=True)),
        ("X-1234567-L", "ES", Document("ES", "NIE", "X1234567L", valid=True)),
        ("4.567.890-5", "UY", Document("UY", "CI", "45678905", valid=True)),
        ("C.I. 3.456.789-4", "UY", Document("UY", "CI", "34567894", valid=True)),
        ("123.456-1", "UY", Document("UY", "CI", "01234561", valid=True)),
        ("21-100342-001-7", "UY", Document("UY", "RUT", "211003420017", valid=True)),
        ("10117410", "PE", Document("PE", "DNI", "10117410", valid=True)),
        ("10117410-2", "PE", Document("PE", "DNI", "10117410", valid=True)),
        ("20512333797", "PE", Document("PE", "RUC", "20512333797", valid=True)),
        ("1.020.304.050", "CO", Document("CO", "CC", "1020304050", valid=True)),
        ("79.123.456", "CO", Document("CO", "CC", "79123456", valid=True)),
        ("900.123.456-8", "CO", Document("CO", "NIT", "9001234568", valid=True)),
        ("BOXW310820HNERXN09", "MX", Document("MX", "CURP", "BOXW310820HNERXN09", valid=True)),
        ("GODE 561231 GR8", "MX", Document("MX", "RFC", "GODE561231GR8", valid=True)),
    ],
)
def test_a_valid_document_is_recognised_compacted_and_keyed(
    raw: str, country: str, document: Document
) -> None:
    assert parse_document(raw, country) == document
    assert document.key == f"{document.country}:{document.type}:{document.number}"


@pytest.mark.parametrize(
    ("raw", "country", "document"),
    [
        ("111.111.111-11", "BR", Document("BR", "CPF", "11111111111", valid=False)),
        ("390.533.447-06", "BR", Document("BR", "CPF", "39053344706", valid=False)),
        ("11.222.333/0001-82", "BR", Document("BR", "CNPJ", "11222333000182", valid=False)),
        ("20-12345678-7", "AR", Document("AR", "CUIT", "20123456787", valid=False)),
        ("12.345.678-K", "CL", Document("CL", "RUT", "12345678K", valid=False)),
        ("12345678A", "ES", Document("ES", "DNI", "12345678A", valid=False)),  # wrong letter
        ("12345678", "ES", Document("ES", "DNI", "12345678", valid=False)),  # letter missing
        ("X1234567A", "ES", Document("ES", "NIE", "X1234567A", valid=False)),
        ("4.567.890-1", "UY", Document("UY", "CI", "45678901", valid=False)),
        ("10117410-3", "PE", Document("PE", "DNI", "10117410", valid=False)),
        ("20512333798", "PE", Document("PE", "RUC", "20512333798", valid=False)),
        ("900.123.456-1", "CO", Document("CO", "NIT", "9001234561", valid=False)),
        ("BOXW310820HNERXN08", "MX", Document("MX", "CURP", "BOXW310820HNERXN08", valid=False)),
    ],
)
def test_a_document_that_fails_its_check_is_kept_but_never_keyed(
    raw: str, country: str, document: Document
) -> None:
    parsed = parse_document(raw, country)
    assert parsed == document
    assert parsed.key is None


def test_a_cpf_that_lost_its_leading_zero_in_a_spreadsheet_is_still_the_cpf() -> None:
    assert parse_document("1234567890", "BR") == parse_document("012.345.678-90", "BR")
    assert parse_document("012.345.678-90", "BR") == Document("BR", "CPF", "01234567890", True)


@pytest.mark.parametrize(
    ("raw", "country"),
    [
        ("", "AR"),
        ("   ", "BR"),
        ("-", "CL"),
        ("abc", "AR"),
        ("12.345", "AR"),  # too short for a DNI
        ("123456789012345", "BR"),
        ("12345678", "US"),  # a country we do not read
        ("12345678", ""),
        ("ABC12345", "UY"),
        ("1234", "CO"),
        ("ABCDE", "MX"),
    ],
)
def test_what_is_no_known_document_is_not_recognised(raw: str, country: str) -> None:
    assert parse_document(raw, country) is None


def cpf_check_digits(nine: str) -> str:
    """The Receita's two mod-11 check digits, written out as the oracle."""
    digits = [int(d) for d in nine]
    for _ in range(2):
        total = sum(d * w for d, w in zip(digits, range(len(digits) + 1, 1, -1), strict=True))
        digits.append(total * 10 % 11 % 10)
    return f"{digits[-2]}{digits[-1]}"


@given(st.integers(100_000_000, 999_999_999), st.booleans())
def test_every_cpf_with_the_right_check_digits_is_valid_however_written(
    nine: int, dotted: bool
) -> None:
    number = f"{nine}{cpf_check_digits(str(nine))}"
    raw = f"{number[:3]}.{number[3:6]}.{number[6:9]}-{number[9:]}" if dotted else number
    document = parse_document(raw, "BR")
    assert document is not None
    assert document.key == (f"BR:CPF:{number}" if len(set(number)) > 1 else None)


@given(st.integers(1_000_000, 29_999_999))
def test_every_rut_is_valid_with_its_check_digit_and_invalid_with_another(body: int) -> None:
    check = rut.calc_check_digit(str(body))
    other = "K" if check != "K" else "0"
    assert parse_document(f"{body:,}-{check}".replace(",", "."), "CL") == Document(
        "CL", "RUT", f"{body}{check}", valid=True
    )
    assert parse_document(f"{body}-{other}", "CL") == Document(
        "CL", "RUT", f"{body}{other}", valid=False
    )
