"""Presentation helpers for the chat."""


def clock_text(seconds: int) -> str:
    """Format seconds as m:ss for the countdown."""
    return f"{seconds // 60}:{seconds % 60:02d}"
