"""Presentation helpers: an answer with its evidence highlighted, times for the chat."""

from markupsafe import Markup, escape


def highlight(answer: str, points: list[dict]) -> Markup:
    """Escape the answer and wrap each evidence span of hit or partial points in a <mark>."""
    spans = sorted({(start, end) for point in points if point["status"] != "miss"
                    for start, end in point["evidence"] if 0 <= start < end <= len(answer)})
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces, position = [], 0
    for start, end in merged:
        pieces.append(escape(answer[position:start]))
        pieces.append(Markup('<mark data-testid="evidence">%s</mark>') % answer[start:end])
        position = end
    pieces.append(escape(answer[position:]))
    return Markup("").join(pieces)


def clock_text(seconds: int) -> str:
    """Format seconds as m:ss for the countdown."""
    return f"{seconds // 60}:{seconds % 60:02d}"
