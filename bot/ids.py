"""Row ids that arrive as text (button values, form metadata): plain ASCII digits in the range
the database's 64-bit integer keys hold, so a 40-digit value is refused, not an OverflowError."""

from __future__ import annotations

#: The largest id a 64-bit signed integer column holds.
MAX_ROW_ID = 2**63 - 1
_MAX_DIGITS = len(str(MAX_ROW_ID))


def valid_row_id(value: int) -> bool:
    """Whether ``value`` can be the id of a stored row (1 … :data:`MAX_ROW_ID`)."""
    return 1 <= value <= MAX_ROW_ID


def parse_row_id(text: str) -> int | None:
    """``text`` as a row id, or ``None`` unless it is 1 … :data:`MAX_ROW_ID` written in ASCII
    digits (no sign, spaces, or other scripts' digits)."""
    if not (0 < len(text) <= _MAX_DIGITS and text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if valid_row_id(value) else None
