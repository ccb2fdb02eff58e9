"""HTML for the pages: reference answers from Markdown, answers with their evidence highlighted, scores and clocks."""

import re
from functools import lru_cache
from itertools import pairwise

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape
from mdit_py_plugins.dollarmath import dollarmath_plugin

_PAREN_MATH = re.compile(r"\\\((.+?)\\\)", re.S)
_BRACKET_MATH = re.compile(r"\\\[(.+?)\\\]", re.S)
_EVIDENCE_MARK = Markup('<mark data-testid="evidence" data-points="%s">%s</mark>')
_ALLOWED_TAGS = nh3.ALLOWED_TAGS | {"mark", "span", "div", "table", "thead", "tbody", "tr", "th", "td"}
# No `style` anywhere: a reference answer must not restyle the page (a full-page fixed overlay, say).
_ALLOWED_ATTRIBUTES = {**nh3.ALLOWED_ATTRIBUTES, "span": {"class"}, "div": {"class"}}


# The tag a piece of raw HTML opens with: a tag the sanitizer would drop ("<think>", "<eos>") is a special token the
# text names, shown as written.
_RAW_TAG = re.compile(r"\s*</?([A-Za-z][A-Za-z0-9-]*)")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table").use(dollarmath_plugin, double_inline=True)
    for token_type, display in (("math_inline", False), ("math_inline_double", True), ("math_block", True)):
        md.add_render_rule(token_type, _math_rule(display))
    for token_type in ("html_inline", "html_block"):
        md.add_render_rule(token_type, _raw_html)
    return md


def _raw_html(self, tokens, idx, options, env) -> str:
    """Pass raw HTML the sanitizer keeps; show any other tag as text."""
    content = tokens[idx].content
    tag = _RAW_TAG.match(content)
    return content if tag and tag.group(1).lower() in _ALLOWED_TAGS else str(escape(content))


def _math_rule(display: bool):
    """Render a math token as an element that the page's KaTeX script typesets."""
    kind = "display" if display else "inline"

    def render(self, tokens, idx, options, env) -> str:
        return f'<span class="math {kind}">{escape(tokens[idx].content.strip())}</span>'

    return render


@lru_cache(maxsize=512)  # the same references recur across debriefs and transcripts
def render_markdown(text: str) -> str:
    """Render a reference answer: Markdown, tables and math; raw HTML sanitized."""
    text = _BRACKET_MATH.sub(lambda m: f"\n$$\n{m.group(1).strip()}\n$$\n", text)
    text = _PAREN_MATH.sub(lambda m: f"${m.group(1).strip()}$", text)
    html = _parser().render(text)
    return nh3.clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, link_rel="noopener nofollow")


@lru_cache(maxsize=2048)
def render_inline(text: str) -> Markup:
    """Render one line such as a key point: inline Markdown and $math$ for KaTeX, raw HTML sanitized."""
    text = _PAREN_MATH.sub(lambda m: f"${m.group(1).strip()}$", text)
    return Markup(nh3.clean(_parser().renderInline(text), tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES,
                            link_rel="noopener nofollow"))


def score_text(score: float | None) -> str:
    """Format a score as the whole number shown everywhere, or a dash when it was not scored."""
    return "—" if score is None else f"{score:.0f}"


def clock_text(seconds: int | None) -> str:
    """Format seconds as m:ss, or a dash when there is no time to show."""
    if seconds is None:
        return "—"
    return f"{seconds // 60}:{seconds % 60:02d}"


def highlight_evidence(answer: str, points: list[dict]) -> Markup:
    """Escape the answer as typed and mark the evidence of its points, each mark naming the points it backs."""
    spans = [(start, end, point["id"]) for point in points if point["status"] != "miss"
             for start, end in point["evidence"] if 0 <= start < end <= len(answer)]
    cuts = sorted({0, len(answer)} | {edge for start, end, _uid in spans for edge in (start, end)})
    pieces = []
    for start, end in pairwise(cuts):
        backing = " ".join(dict.fromkeys(uid for first, last, uid in spans if first <= start and end <= last))
        if backing:
            pieces.append(_EVIDENCE_MARK % (backing, answer[start:end]))
        else:
            pieces.append(escape(answer[start:end]))
    return Markup("").join(pieces)
