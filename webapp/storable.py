"""What text the app can store and show: no control characters but tab and line breaks (PostgreSQL refuses NUL)."""

import re

_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def first_control_character(text: str) -> int | None:
    """Return the offset of the first control character other than tab, line feed and carriage return, or None."""
    found = _CONTROL_CHARACTER.search(text)
    return found.start() if found else None


def has_control_character(text: str) -> bool:
    """Tell whether `text` holds a control character other than tab, line feed and carriage return."""
    return first_control_character(text) is not None
