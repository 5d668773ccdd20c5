"""Vietnamese phone numbers: accepted as people type them, stored as national digits."""

import re

import phonenumbers

_NOT_DIGITS = re.compile(r"\D")


class PhoneError(ValueError):
    """The text is not a valid Vietnamese phone number."""


def normalise_phone(text: str | None) -> str:
    """'+84 912.345.678', '84912345678', '0912 345 678' -> '0912345678'; '' stays ''.

    One stored format (national digits, leading 0) so that searching and de-duplicating by
    phone works, whatever the leader typed.
    """
    raw = (text or "").strip()
    if not raw:
        return ""
    digits = _NOT_DIGITS.sub("", raw)
    if raw.startswith("84") or (raw.startswith("(84") and digits.startswith("84")):
        raw = "+" + digits
    elif not raw.startswith("+"):
        raw = digits
    try:
        number = phonenumbers.parse(raw, "VN")
    except phonenumbers.NumberParseException as exc:
        raise PhoneError(raw) from exc
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        raise PhoneError(raw)
    return _NOT_DIGITS.sub(
        "", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    )
