"""JSON output with exact numbers: Decimals become JSON numbers without float arithmetic on the way."""
from __future__ import annotations

import json
from decimal import Decimal


def number(value: Decimal | int | None):
    """Decimal → int when integral, else the float with the same shortest decimal representation."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    text = format(value.normalize(), "f")
    result = float(text)
    assert repr(result) == text or Decimal(repr(result)) == Decimal(text), text
    return result


def _default(obj):
    if isinstance(obj, Decimal):
        return number(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def dumps(obj, *, indent: int | None = None) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=indent, default=_default)
