"""Recognize the question-bank document formats and parse each into questions with their answers.

Three formats are understood:
- qa-headings: Markdown where every `### Q. ...` heading is a question, followed by an optional
  metadata blockquote (`> **Company**: ...`) and a free Markdown answer (the yuyouyu32 bank).
- numbered-headings: Markdown blog posts whose questions are `# 1.` / `### 1、` headings, with front
  matter, link lists and author boilerplate around them (seeds 000, 001, 003).
- plain-notes: text exported from a web page or a notes app: one-line question titles, bullets
  ("•") or Markdown lists as answers, section headers ending in 篇, optional trailing frequency
  markers (" 2" = asked twice) and titles with no answer at all (seeds 002, 004).
In the last two, hand-numbered enumerations ("1、…2、…", "（1）…") become Markdown lists (`enumerations`).
Author lines, follow-us pleas, link lines, sign-offs ("以上就是本期内容…点个赞") and placeholders ("（待补充）")
belong to no answer.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from webapp.questionbank.enumerations import CODE_FENCE, enumerations_as_lists
from webapp.questionbank.model import BankFormatError, ParsedQuestion, Source

_HEADING = re.compile(r"^(#{1,6})(?:\s+(.*?))?\s*$")
_QA_HEADING = re.compile(r"^###\s+Q\s*[.．:：]")
_QA_PREFIX = re.compile(r"^Q\s*[.．:：]\s*")
_METADATA = re.compile(r"^\s*(>\s*)?\*\*(Company|Round|Date|Tags)\*\*")
_NUMBERED = re.compile(r"^(#{1,3})\s*\d+\s*[.、．]\s*(.*?)\s*$")
_FRONT_MATTER_FENCE = "---"
_THEMATIC_BREAK = re.compile(r"^\s*(\*{3,}|-{3,}|_{3,})\s*$")
# A link alone on its line, or after a short label ("合集：https://…").
_BARE_URL = re.compile(r"^\s*(?:[^\s:：]{1,10}\s*[:：]\s*)?<?https?://\S+>?\s*$")
_BOILERPLATE = re.compile(
    r"往期文章|推荐文章|本文已在|公众号|欢迎指正|持续更新|读到这了|点个?赞|关注我|下期见|以上就是本[期篇文次]"
    r"|^\s*(博客|知乎|作者)[:：]|^\s*[（(]完[）)]|^\s*[（(【]?\s*(待补充|待更新|未完待续|TODO\b)"
)
_IMAGE = re.compile(r"^\s*(!\[[^\]]*\]\([^)]*\)|\{%\s*asset_img\b.*%\})\s*$")
_NAVIGATION = re.compile(r"跳至主要|跳到主要|大约\s*\d+\s*分钟|阅读时间|阅读需")
_SECTION = re.compile(r"^.{1,20}篇$")
_BULLET = re.compile(r"^(\s*)[•●▪◦·]\s*(.*)$")
_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d{1,2}[.)])\s+(.*)$")
_FREQUENCY = re.compile(r"^(.*[\u3400-\u9fff）)？?！!])\s+(\d{1,2})$")
_ENUMERATED = re.compile(r"^([一二三四五六七八九十]+、|\(?\d+[.)、）]|（\d+）|step\s*\d)", re.IGNORECASE)
_QUESTION_CUE = re.compile(
    r"什么|怎么|怎样|如何|为什么|为何|哪些|哪个|哪部分|是否|吗|多少|区别|对比|优劣|优缺点|优势|好处|作用|原理|要点|细节|改进"
)
_SENTENCE_PUNCTUATION = re.compile(r"[。；;！!:：$]")
_CLAUSE_PUNCTUATION = re.compile(r"[，,、]")
_SENTENCE_END = ("。", ".", "！", "!")
_STATEMENT = re.compile(r"包括|就是|^是")
_PARENTHESIZED = re.compile(r"[（(][^）)]*[）)]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_MIN_CJK_LINE_SHARE = 0.3
_MAX_TITLE_LENGTH = 60
_MAX_QUESTION_LENGTH = 120


@dataclass
class _Draft:
    """A question whose answer lines are still being collected."""

    question: str
    line: int
    frequency: int = 1
    answer_lines: list[str] = field(default_factory=list)
    closed: bool = False

    def finish(self, file_name: str, hand_numbered: bool = True) -> ParsedQuestion:
        """Freeze the draft into a parsed question with a trimmed answer, hand numbering made into lists."""
        lines = enumerations_as_lists(self.answer_lines) if hand_numbered else self.answer_lines
        answer = "\n".join(lines).strip("\n")
        answer = re.sub(r"\n{3,}", "\n\n", answer)
        return ParsedQuestion(self.question, answer, Source(file_name, self.line), self.frequency)


def parse_text(text: str, file_name: str) -> list[ParsedQuestion]:
    """Detect the format of `text` and parse it; raise BankFormatError when it is not a parsable bank."""
    format_name = identify_format(text)
    if format_name is None:
        raise BankFormatError(file_name, 1, f"not a question bank: {unrecognized_reason(text)}")
    return PARSERS[format_name](text.splitlines(), file_name)


def identify_format(text: str) -> str | None:
    """Name the bank format of `text`, or None when it is not a question bank."""
    lines = text.splitlines()
    headings = [line for line, fenced in zip(lines, _fenced_lines(lines), strict=True)
                if not fenced and _HEADING.match(line)]
    if any(_QA_HEADING.match(line) for line in headings):
        return "qa-headings"
    if any(_NUMBERED.match(line) for line in headings):
        return "numbered-headings"
    if headings or not _mostly_chinese(lines):
        return None
    if not _parse_plain_notes(lines, "", strict=False):
        return None
    return "plain-notes"


def unrecognized_reason(text: str) -> str:
    """Explain why `text` is not recognized as a question bank."""
    lines = text.splitlines()
    fenced = _fenced_lines(lines)
    if any(_QA_HEADING.match(line) for line, inside in zip(lines, fenced, strict=True) if inside):
        return "its question headings are only inside code fences (a template)"
    if any(not inside and _HEADING.match(line) for line, inside in zip(lines, fenced, strict=True)):
        return "Markdown without question headings"
    if not _mostly_chinese(lines):
        return "no Chinese question text"
    return "no question titles found"


def _fenced_lines(lines: list[str]) -> list[bool]:
    """Mark the lines that belong to fenced code blocks, fences included."""
    marks = []
    opener = ""
    for line in lines:
        fence = CODE_FENCE.match(line)
        if opener:
            marks.append(True)
            if fence and fence.group(1)[0] == opener[0] and len(fence.group(1)) >= len(opener):
                opener = ""
        else:
            marks.append(bool(fence))
            if fence:
                opener = fence.group(1)
    return marks


def _mostly_chinese(lines: list[str]) -> bool:
    """Tell whether enough of the non-empty lines carry Chinese text."""
    filled = [line for line in lines if line.strip()]
    return bool(filled) and sum(bool(_CJK.search(line)) for line in filled) >= _MIN_CJK_LINE_SHARE * len(filled)


def _parse_qa_headings(lines: list[str], file_name: str) -> list[ParsedQuestion]:
    """Parse `### Q.` headings with metadata blockquotes and Markdown answers."""
    questions: list[ParsedQuestion] = []
    draft: _Draft | None = None
    for number, (line, fenced) in enumerate(zip(lines, _fenced_lines(lines), strict=True), start=1):
        heading = None if fenced else _HEADING.match(line)
        if heading and len(heading.group(1)) <= 3:
            if draft:
                questions.append(draft.finish(file_name, hand_numbered=False))
                draft = None
            if len(heading.group(1)) == 3:
                question = _QA_PREFIX.sub("", heading.group(2) or "").strip()
                if not question:
                    raise BankFormatError(file_name, number, "question heading has no question text")
                draft = _Draft(question, number)
        elif draft:
            if not draft.answer_lines and not fenced and (_METADATA.match(line) or not line.strip()):
                continue
            draft.answer_lines.append(line.rstrip("\n"))
    if draft:
        draft.answer_lines = _without_sign_off(draft.answer_lines)
        questions.append(draft.finish(file_name, hand_numbered=False))
    return questions


def _without_sign_off(lines: list[str]) -> list[str]:
    """The last answer's lines without the sign-off that closes the file ("---", "以上就是本期内容…点个赞")."""
    end = len(lines)
    while end and (not lines[end - 1].strip() or _ends_answer(lines[end - 1])):
        end -= 1
    return lines[:end]


def _parse_numbered_headings(lines: list[str], file_name: str) -> list[ParsedQuestion]:
    """Parse `# N.` / `### N、` question headings, leaving front matter and boilerplate out."""
    questions: list[ParsedQuestion] = []
    draft: _Draft | None = None
    start = _front_matter_end(lines, file_name)
    fenced_lines = _fenced_lines(lines)
    for number in range(start + 1, len(lines) + 1):
        line, fenced = lines[number - 1].rstrip(), fenced_lines[number - 1]
        numbered = None if fenced else _NUMBERED.match(line)
        heading = None if fenced else _HEADING.match(line)
        if numbered:
            if draft:
                questions.append(draft.finish(file_name))
            if not numbered.group(2):
                raise BankFormatError(file_name, number, "numbered heading has no question text")
            draft = _Draft(numbered.group(2), number)
        elif draft and not draft.closed:
            if (heading and len(heading.group(1)) <= 3) or (not fenced and _ends_answer(line)):
                draft.closed = True
            elif fenced or not _IMAGE.match(line):
                draft.answer_lines.append(line)
    if draft:
        questions.append(draft.finish(file_name))
    return questions


def _front_matter_end(lines: list[str], file_name: str) -> int:
    """Return the number of lines taken by a leading YAML front-matter block."""
    if not lines or lines[0].strip() != _FRONT_MATTER_FENCE:
        return 0
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == _FRONT_MATTER_FENCE:
            return number
    raise BankFormatError(file_name, 1, "front matter is never closed with ---")


def _ends_answer(line: str) -> bool:
    """Tell whether a line starts the boilerplate or link list that follows an answer."""
    return bool(_THEMATIC_BREAK.match(line) or _BARE_URL.match(line) or _BOILERPLATE.search(line))


def _parse_plain_notes(lines: list[str], file_name: str, strict: bool = True) -> list[ParsedQuestion]:
    """Parse one-line question titles followed by paragraphs and bullet lists."""
    questions: list[ParsedQuestion] = []
    draft: _Draft | None = None
    after_section = False
    opening = True
    for start, block in _without_navigation(_blocks(lines)):
        if all(_ends_answer(line) for line in block):
            continue  # an author line, a follow-us plea or a sign-off: no title and no answer
        title = block[0].strip()
        is_opening, opening = opening, False
        if len(block) == 1 and not _BULLET.match(block[0]) and not _LIST_ITEM.match(block[0]):
            if _SECTION.match(title):
                # The file's first line, a section line right after it, names the notes ("面试笔记（自己整理）").
                if draft and not questions and not draft.answer_lines and not _asks(draft.question):
                    draft = None
                after_section = True
                continue
            question, frequency = _split_frequency(title)
            if _is_question_title(question, after_section):
                # The file's first line with nothing under it but boilerplate names the notes, unless it asks.
                if draft and (questions or draft.answer_lines or _asks(draft.question)):
                    questions.append(draft.finish(file_name))
                draft = _Draft(question.rstrip(":："), start, frequency)
                after_section = False
                continue
            if is_opening and not title.endswith(_SENTENCE_END):
                continue  # the notes' own name, worded as no question title ("训练基本功：面试高频八股")
        after_section = False
        if draft is None:
            if strict:
                raise BankFormatError(file_name, start, "answer text before the first question title")
            continue
        if draft.answer_lines:
            draft.answer_lines.append("")
        draft.answer_lines.extend(_as_markdown(block))
    if draft:
        questions.append(draft.finish(file_name))
    return questions


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Split lines into blank-line separated blocks, each with its 1-based first line number."""
    blocks: list[tuple[int, list[str]]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if blocks and number > 1 and lines[number - 2].strip():
            blocks[-1][1].append(line.rstrip())
        else:
            blocks.append((number, [line.rstrip()]))
    return blocks


def _without_navigation(blocks: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Drop the page navigation, title and author line that precede an exported page."""
    head = [index for index, (_, block) in enumerate(blocks[:6]) if _NAVIGATION.search(" ".join(block))]
    return blocks[head[-1] + 1:] if head else blocks


def _split_frequency(title: str) -> tuple[str, int]:
    """Split a trailing " 2" (asked twice) marker off a title."""
    marked = _FREQUENCY.match(title)
    if marked and int(marked.group(2)) >= 2:
        return marked.group(1).strip(), int(marked.group(2))
    return title, 1


def _is_question_title(text: str, after_section: bool) -> bool:
    """Tell whether a one-line block is a question title rather than a line of an answer."""
    if not text or len(text) > _MAX_QUESTION_LENGTH:
        return False
    if text[-1] in "?？":
        return True
    if text[-1] in ":：":
        return after_section
    if len(text) > _MAX_TITLE_LENGTH or _SENTENCE_PUNCTUATION.search(text) or _ENUMERATED.match(text):
        return False
    if _QUESTION_CUE.search(text):
        return True
    if _CLAUSE_PUNCTUATION.search(text) or _STATEMENT.search(text):
        return False
    terms = _PARENTHESIZED.sub(" ", text).split()
    scripts = {_script(term) for term in terms}
    return len(terms) == 1 or len(scripts) > 1 or "mixed" in scripts


def _asks(title: str) -> bool:
    """Tell whether a title is worded as a question, not as a topic name."""
    return title.endswith(("?", "？")) or _QUESTION_CUE.search(title) is not None


def _script(term: str) -> str:
    """Classify a term as Chinese, Latin or mixed, so lists of like terms can be told from titles."""
    chinese, latin = bool(_CJK.search(term)), bool(_LATIN.search(term))
    return "mixed" if chinese and latin else "chinese" if chinese else "latin"


def _as_markdown(block: list[str]) -> list[str]:
    """Turn plain-text bullets into Markdown items and re-indent nested lists so they stay nested."""
    rendered: list[str] = []
    parents: list[tuple[int, int]] = []  # (indent in the source, indent of the item's content in Markdown)
    for line in block:
        bullet = _BULLET.match(line)
        item = _LIST_ITEM.match(line)
        if bullet:
            source_indent, marker, content = len(bullet.group(1)), "-", bullet.group(2)
        elif item:
            source_indent, marker, content = len(item.group(1)), item.group(2), item.group(3)
        else:
            if rendered:
                rendered.append("")
            parents = []
            rendered.append(line.strip())
            continue
        while parents and parents[-1][0] >= source_indent:
            parents.pop()
        indent = parents[-1][1] if parents else 0
        rendered.append(" " * indent + f"{marker} {content.strip()}")
        parents.append((source_indent, indent + len(marker) + 1))
    return rendered


PARSERS: dict[str, Callable[[list[str], str], list[ParsedQuestion]]] = {
    "qa-headings": _parse_qa_headings,
    "numbered-headings": _parse_numbered_headings,
    "plain-notes": _parse_plain_notes,
}
