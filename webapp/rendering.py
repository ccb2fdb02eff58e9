"""Markdown to safe HTML, with math left for KaTeX to typeset in the browser."""

import re
from functools import lru_cache
from html import escape

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

_PAREN_MATH = re.compile(r"\\\((.+?)\\\)", re.S)
_BRACKET_MATH = re.compile(r"\\\[(.+?)\\\]", re.S)
_ALLOWED_TAGS = nh3.ALLOWED_TAGS | {"mark", "span", "div", "table", "thead", "tbody", "tr", "th", "td"}
_ALLOWED_ATTRIBUTES = {**nh3.ALLOWED_ATTRIBUTES, "span": {"class"}, "div": {"class"}, "th": {"style"},
                       "td": {"style"}}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table").use(dollarmath_plugin, double_inline=True)
    for token_type, display in (("math_inline", False), ("math_inline_double", True), ("math_block", True)):
        md.add_render_rule(token_type, _math_rule(display))
    return md


def _math_rule(display: bool):
    """Render a math token as an element that the page's KaTeX script typesets."""
    kind = "display" if display else "inline"

    def render(self, tokens, idx, options, env) -> str:
        return f'<span class="math {kind}">{escape(tokens[idx].content.strip())}</span>'

    return render


def render_markdown(text: str) -> str:
    """Render a reference answer: Markdown, tables and math; raw HTML sanitized."""
    text = _BRACKET_MATH.sub(lambda m: f"\n$$\n{m.group(1).strip()}\n$$\n", text)
    text = _PAREN_MATH.sub(lambda m: f"${m.group(1).strip()}$", text)
    html = _parser().render(text)
    return nh3.clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, link_rel="noopener nofollow")
