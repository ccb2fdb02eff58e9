"""Turn the numbered enumerations of plain-text answers into Markdown ordered lists.

Blog and note authors number their points by hand: one per line ("1.xxx", "1、xxx", "（1）xxx"), one per
paragraph, or several on one line ("1、如果Q和K一样，…。2、如果Q和K一样，…"). Such a run becomes a
Markdown list only when it is clearly an enumeration: at least two items numbered 1, 2, 3… in order,
separated by nothing but blank lines, each inline item starting after the end of a sentence. Anything
else (a lone "1、", numbers out of order, "2.5倍", indented or fenced lines) keeps its original text. A run right
after an item that closes on a colon ("3、进一步的优化：" then "（1）…（2）…") nests under that item.
"""

import re
from dataclasses import dataclass

_LINE_MARKER = re.compile(r"(\d{1,2})(?:、|[.．](?!\d))\s*|[（(](\d{1,2})[）)]\s*")
_INLINE_MARKER = re.compile(r"(?<=[。；;！？!?])\s*(\d{1,2})(?:、|[.．](?!\d))\s*")
CODE_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_MIN_ITEMS = 2


@dataclass(frozen=True)
class _Line:
    """One answer line read as optional lead-in text followed by numbered items."""

    text: str
    lead: str = ""
    items: tuple[tuple[int, str], ...] = ()


def enumerations_as_lists(lines: list[str]) -> list[str]:
    """Rewrite the clear enumerations among `lines` as Markdown ordered lists; keep all other lines."""
    read = _read_lines(lines)
    output: list[str] = []
    index = 0
    # An item closing on a colon ("3、进一步的优化：") heads the run right after it ("（1）…"), which nests under it.
    heading = False
    while index < len(read):
        end, items = _run_from(read, index)
        if len(items) < _MIN_ITEMS:
            output.append(read[index].text)
            heading = heading and not read[index].text.strip()
            index += 1
            continue
        nested = heading and not read[index].lead
        if read[index].lead:
            output.extend([read[index].lead, ""])
        elif output and output[-1].strip() and not nested:
            output.append("")
        output.extend(f"{'   ' if nested else ''}{number}. {text}" for number, text in items)
        heading = not nested and items[-1][1].endswith(("：", ":"))
        if (end < len(read) and read[end].text.strip() and not read[end].text[:1].isspace()
                and not (heading and len(_run_from(read, end)[1]) >= _MIN_ITEMS)):
            output.append("")
        index = end
    return output


def _read_lines(lines: list[str]) -> list[_Line]:
    """Find the numbered items of every unindented line outside code fences and display math."""
    read = []
    in_code = in_math = False
    for line in lines:
        fence = bool(CODE_FENCE.match(line)) and not in_math
        math_delimiter = not in_code and not fence and line.count("$$") % 2 == 1
        in_code ^= fence
        in_math ^= math_delimiter
        if fence or math_delimiter or in_code or in_math or line[:1].isspace():
            read.append(_Line(line))
        else:
            read.append(_items_of(line))
    return read


def _items_of(line: str) -> _Line:
    """Split a line into its lead-in text and consecutively numbered items (none when it has no "1")."""
    leading = _LINE_MARKER.match(line)
    if leading:
        lead, number, start = "", int(leading.group(1) or leading.group(2)), leading.end()
    else:
        first = next((m for m in _INLINE_MARKER.finditer(line) if m.group(1) == "1"), None)
        if first is None:
            return _Line(line)
        lead, number, start = line[:first.start()].rstrip(), 1, first.end()
    items = []
    for marker in _INLINE_MARKER.finditer(line, start):
        if int(marker.group(1)) == number + 1:
            items.append((number, line[start:marker.start()].strip()))
            number, start = number + 1, marker.end()
    items.append((number, line[start:].strip()))
    if any(not text for _, text in items):
        return _Line(line)
    return _Line(line, lead, tuple(items))


def _run_from(read: list[_Line], index: int) -> tuple[int, list[tuple[int, str]]]:
    """Collect the enumeration that starts at line `index`: its items and the index after its last line."""
    if not read[index].items or read[index].items[0][0] != 1:
        return index + 1, []
    items = list(read[index].items)
    end = index + 1
    probe = end
    while probe < len(read):
        if not read[probe].text.strip():
            probe += 1
            continue
        following = read[probe]
        if following.lead or not following.items or following.items[0][0] != items[-1][0] + 1:
            break
        items.extend(following.items)
        end = probe = probe + 1
    return end, items
