"""A user's past interviews: listing, transcripts, deletion, export and import."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import to_user_timezone
from markupsafe import escape
from pydantic import ValidationError
from sqlalchemy import String, cast, false, func, select
from sqlalchemy.orm import selectinload

from ..clock import now
from ..database import write_transaction
from ..errors import DomainError, NotFound
from ..extensions import db
from ..i18n import mode_name
from ..models import (
    Interview,
    InterviewStatus,
    Mode,
    PointOverride,
    Question,
    Topic,
    Turn,
    TurnKind,
    TurnState,
    User,
    point_missed,
)
from ..rendering import render_markdown, score_text
from . import history_schema, rollups
from .interviews import find_owned

PER_PAGE = 20
IMPORT_BATCH = 25  # interviews written per transaction: each holds SQLite's write lock for some milliseconds only
EXPORT_FORMAT = history_schema.EXPORT_FORMAT
EXPORT_VERSION = history_schema.EXPORT_VERSION


class ImportRefused(DomainError):
    """The uploaded file is not a history export this app can read."""


@dataclass(frozen=True)
class HistoryRow:
    interview: Interview
    questions: int
    timed_out: int  # questions whose time ran out


@dataclass(frozen=True)
class HistoryPage:
    rows: list[HistoryRow]
    page: int
    pages: int
    total: int


def list_interviews(user: User, *, page: int = 1, topic: str = "", mode: str = "") -> HistoryPage:
    """Return one page of the user's interviews, newest first, optionally of one topic or mode."""
    conditions = [Interview.user_id == user.id]
    if mode in set(Mode):
        conditions.append(Interview.mode == mode)
    if topic:
        # No slug is longer than its column, and a longer pattern is more than SQLite's LIKE accepts.
        known = len(topic) <= Topic.slug.type.length
        conditions.append(cast(Interview.topic_slugs, String).contains(json.dumps(topic)) if known else false())
    total = db.session.scalar(select(func.count()).select_from(Interview).where(*conditions)) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    interviews = list(db.session.scalars(
        select(Interview).where(*conditions).order_by(Interview.started_at.desc(), Interview.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE).options(selectinload(Interview.turns))
    ))
    rows = [HistoryRow(interview, len(interview.questions), sum(turn.timed_out for turn in interview.questions))
            for interview in interviews]
    return HistoryPage(rows, page, pages, total)


def filter_topics() -> list[Topic]:
    """Return the topics a user can filter the history by."""
    return list(db.session.scalars(select(Topic).order_by(Topic.position, Topic.id)))


def get_interview(user: User, interview_id: int) -> Interview:
    """Return one of the user's interviews with its turns; another user's is not found."""
    interview = find_owned(user, interview_id)
    if interview is None:
        raise NotFound(_("No such interview in your history."))
    return interview


def delete_interview(user: User, interview_id: int) -> None:
    """Delete one of the user's interviews and take its answers out of the progress figures."""
    interview = get_interview(user, interview_id)
    if interview.finished:
        rollups.forget_interview(interview)
    db.session.delete(interview)
    db.session.commit()


def all_interviews(user: User) -> list[Interview]:
    """Return every interview of the user, oldest first, with turns and overrides loaded."""
    interviews = list(db.session.scalars(
        select(Interview).where(Interview.user_id == user.id)
        .order_by(Interview.started_at, Interview.id)
        .options(selectinload(Interview.turns).selectinload(Turn.overrides), selectinload(Interview.turns)
                 .selectinload(Turn.question))
    ))
    for interview in interviews:
        interview.link_loaded_turns()
    return interviews


def point_rows(turn: Turn) -> list[dict[str, Any]]:
    """Return the turn's graded points, each marked when the candidate overrode it."""
    overridden = {override.point_uid for override in turn.overrides}
    return [{**point, "overridden": point["id"] in overridden}
            for point in (turn.grade.points if turn.grade else ())]


def flagged_points(turn: Turn) -> list[dict[str, Any]]:
    """Return the points a review flagged for this turn and whether the answer (its better attempt) covered each."""
    by_id = {point["id"]: point for point in point_rows(turn.best_attempt)}
    return [{"id": uid, "text": by_id[uid]["text"],
             "covered": not point_missed(by_id[uid]["status"], by_id[uid]["overridden"])}
            for uid in turn.flagged_point_uids or [] if uid in by_id]


def _iso(moment: datetime | None) -> str | None:
    """Write a time in the user's timezone with its offset, so it reads as the pages show it and restores exactly."""
    return to_user_timezone(moment).isoformat() if moment else None


def _local_time(moment: datetime) -> str:
    """Write a time for people: the user's local time and its UTC offset."""
    offset = to_user_timezone(moment).strftime("%z")
    return f"{to_user_timezone(moment):%Y-%m-%d %H:%M} (UTC{offset[:3]}:{offset[3:]})"


def _turn_dict(turn: Turn) -> dict[str, Any]:
    return {
        "number": turn.number,
        "kind": turn.kind,
        "parent_number": turn.parent.number if turn.parent else None,
        "point_uid": turn.point_uid,
        "question_key": turn.question.key if turn.question else None,
        "question_text": turn.question_text,
        "reference_markdown": turn.reference_markdown,
        "asked_at": _iso(turn.asked_at),
        "deadline": _iso(turn.deadline),
        "answer": turn.answer,
        "answered_at": _iso(turn.answered_at),
        "state": turn.state,
        "skipped": turn.skipped,
        "late": turn.late,
        "points_snapshot": turn.points_snapshot,
        "result": turn.result,
        "score": turn.score,
        "grader_version": turn.grader_version,
        "flagged_point_uids": turn.flagged_point_uids or [],
        "overrides": [{"point_uid": o.point_uid, "created_at": _iso(o.created_at)} for o in turn.overrides],
    }


def interview_dict(interview: Interview) -> dict[str, Any]:
    """Return the interview as plain JSON-ready data, with everything needed to restore it."""
    return {
        "id": interview.id,
        "mode": interview.mode,
        "seconds_per_question": interview.seconds_per_question,
        "include_unanswered": interview.include_unanswered,
        "follow_ups": interview.follow_ups,
        "topic_slugs": interview.topic_slugs,
        "started_at": _iso(interview.started_at),
        "finished_at": _iso(interview.finished_at),
        "score": interview.score,
        "turns": [_turn_dict(turn) for turn in interview.turns],
    }


def export_json(interviews: Sequence[Interview]) -> str:
    """Serialize interviews as a JSON history export."""
    document = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "exported_at": now().isoformat(),
                "interviews": [interview_dict(interview) for interview in interviews]}
    return json.dumps(document, ensure_ascii=False, indent=2)


def _status_mark(point: dict[str, Any]) -> str:
    if point["overridden"]:
        return _("covered (my override)")
    return {"hit": _("hit"), "partial": _("partial"), "miss": _("missed"),
            "contradicted": _("contradicted")}[point["status"]]


def _markdown_text(text: str) -> str:
    """Escape raw HTML so a Markdown viewer shows what was typed instead of running it."""
    return str(escape(text))


def export_markdown(interviews: Sequence[Interview]) -> str:
    """Write interviews as a readable Markdown transcript."""
    lines: list[str] = []
    for interview in interviews:
        topics = ", ".join(interview.topic_slugs) or _("all topics")
        lines += [f"# {_('Interview')} {_local_time(interview.started_at)} · {mode_name(interview.mode)}", "",
                  f"- {_('Score')}: {score_text(interview.score)}",
                  f"- {_('Topics')}: {_markdown_text(topics)}", ""]
        for turn in interview.questions:
            marks = [label for flag, label in ((turn.late, _("late")), (turn.skipped, _("skipped")),
                                               (turn.timed_out, _("time ran out"))) if flag]
            heading = f"## {turn.number}. {_markdown_text(turn.question_text)}"
            lines += [heading + (f" ({', '.join(marks)})" if marks else ""), "",
                      f"{_('Score')}: {score_text(turn.effective_score)}", "", f"### {_('My answer')}", ""]
            lines += [f"> {_markdown_text(line)}" for line in (turn.answer or "").splitlines()] \
                or [f"> ({_('no answer')})"]
            lines.append("")
            points = point_rows(turn)
            if points:
                lines += [f"### {_('Key points')}", ""]
                lines += [f"- [{_status_mark(p)}] {_markdown_text(p['text'])}" for p in points]
                lines.append("")
            for child in turn.children:
                lines += _markdown_child(child)
            if turn.reference_markdown.strip():
                lines += [f"### {_('Reference answer')}", "", _markdown_text(turn.reference_markdown.strip()), ""]
    return "\n".join(lines)


def _markdown_child(child: Turn) -> list[str]:
    """Write a follow-up (its question, answer and the point it asked) or a second attempt under its question."""
    if child.kind == TurnKind.FOLLOW_UP:
        lines = [f"### {_('Follow-up')}: {_markdown_text(child.question_text)}", ""]
    else:
        lines = [f"### {_('Second attempt')}", "", f"{_('Score')}: {score_text(child.attempt_score)}", ""]
    lines += [f"> {_markdown_text(line)}" for line in (child.answer or "").splitlines()] \
        or [f"> ({_('skipped') if child.skipped else _('no answer')})"]
    lines.append("")
    marks = [f"- [{_status_mark(p)}] {_markdown_text(p['text'])}" for p in point_rows(child)]
    return lines + marks + ([""] if marks else [])


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> str:
    """Neutralise a cell a spreadsheet would run as a formula (OWASP: prefix a quote to = + - @ tab CR)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _csv_document(rows: Sequence[Sequence[Any]], preamble: str = "") -> str:
    """Write safe CSV cells after a byte-order mark, so spreadsheet programs read the Chinese as UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff" + preamble)
    writer = csv.writer(buffer)
    writer.writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def export_csv(interviews: Sequence[Interview]) -> str:
    """Write one CSV row per question asked, with its score and the points still missed."""
    header = [_("Interview"), _("Started"), _("Mode"), _("Question number"), _("Question"), _("My answer"),
              _("Score"), _("late"), _("skipped"), _("time ran out"), _("Missed key points")]
    rows = [[interview.id, _iso(interview.started_at), mode_name(interview.mode), turn.number, turn.question_text,
             turn.answer or "", score_text(turn.effective_score), int(turn.late), int(turn.skipped),
             int(turn.timed_out),
             "\n".join(p["text"] for p in point_rows(turn) if point_missed(p["status"], p["overridden"]))]
            for interview in interviews for turn in interview.questions]
    return _csv_document([header, *rows])


def _missed_must_points(user: User) -> list[tuple[Turn, dict[str, Any], int, int]]:
    """Return (turn, point, position, count) for each `must` point missed in the latest answer to each question."""
    latest: dict[int, Turn] = {}
    for interview in all_interviews(user):
        for turn in interview.turns:
            if turn.question_id is not None and interview.finished and rollups.counts_toward_progress(turn):
                latest[turn.question_id] = turn
    missed = []
    for question_id in sorted(latest):
        turn = latest[question_id]
        asks = {point["id"]: point.get("ask") for point in turn.points_snapshot}
        must = turn.must_point_uids
        points = [{**point, "ask": asks.get(point["id"])} for point in point_rows(turn.best_attempt)]
        missed += [(turn, point, position, len(points)) for position, point in enumerate(points, start=1)
                   if point_missed(point["status"], point["overridden"]) and point["id"] in must]
    return missed


def export_anki(user: User) -> str:
    """Write an Anki-importable CSV: one card per `must` key point missed, front the question, back the point."""
    rows = []
    for turn, point, position, count in _missed_must_points(user):
        prompt = point.get("ask") or _("Key point %(n)d of %(count)d", n=position, count=count)
        front = f"<p>{escape(turn.question_text)}</p><p><small>{escape(prompt)}</small></p>"
        back = f"<p>{escape(point['text'])}</p>"
        if turn.reference_markdown.strip():
            back += f"<hr>{render_markdown(turn.reference_markdown)}"
        rows.append([front, back])
    return _csv_document(rows, preamble="#separator:Comma\n#html:true\n")


def _restored_state(turn: history_schema.ImportedTurn) -> TurnState:
    """Read a turn's state; exports made before states were explicit carry only `skipped` and the close time."""
    if turn.state is not None:
        return TurnState(turn.state)
    if turn.skipped:
        return TurnState.SKIPPED
    return TurnState.ANSWERED if turn.answered_at else TurnState.OPEN


def _restore(user: User, data: history_schema.ImportedInterview, questions: dict[str, int]) -> Interview:
    interview = Interview(
        user_id=user.id, mode=Mode(data.mode),
        status=InterviewStatus.FINISHED if data.finished_at else InterviewStatus.OPEN,
        seconds_per_question=data.seconds_per_question, follow_ups=data.follow_ups,
        include_unanswered=data.include_unanswered, topic_slugs=list(data.topic_slugs),
        started_at=data.started_at, finished_at=data.finished_at, score=data.score,
    )
    by_number: dict[int, Turn] = {}
    for turn in data.turns:
        restored = Turn(
            number=turn.number, kind=TurnKind(turn.kind), point_uid=turn.point_uid,
            question_id=questions.get(turn.question_key or ""),
            question_text=turn.question_text, reference_markdown=turn.reference_markdown,
            asked_at=turn.asked_at, deadline=turn.deadline, answer=turn.answer, answered_at=turn.answered_at,
            state=_restored_state(turn), late=turn.late,
            points_snapshot=[point.model_dump() for point in turn.points_snapshot],
            result=turn.result.model_dump(exclude_unset=True) if turn.result else None, score=turn.score,
            grader_version=turn.grader_version, flagged_point_uids=list(turn.flagged_point_uids),
        )
        restored.overrides = [PointOverride(point_uid=o.point_uid, created_at=o.created_at) for o in turn.overrides]
        by_number[turn.number] = restored
        interview.turns.append(restored)
    for turn in data.turns:
        if turn.parent_number is not None:
            by_number[turn.number].parent = by_number[turn.parent_number]
    return interview


def _read_export(raw: bytes) -> history_schema.HistoryExport:
    """Validate the whole file before anything is saved; name the first bad field and where it is."""
    if len(raw) > current_app.config["MAX_IMPORT_BYTES"]:
        raise ImportRefused(_("This file is larger than %(size)d MB, the most an import reads.",
                              size=current_app.config["MAX_IMPORT_BYTES"] // (1024 * 1024)))
    try:
        return history_schema.parse(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise ImportRefused(_("This file is not UTF-8 text.")) from error
    except ValidationError as error:
        kind, path, problem = history_schema.first_problem(error)
        if kind.startswith("json_"):
            raise ImportRefused(_("This file is not JSON: %(error)s", error=problem)) from error
        if path == "format" or (kind == "model_type" and not path):
            raise ImportRefused(_("This JSON file is not a Mianshi history export.")) from error
        if path == "version":
            raise ImportRefused(_("This export's version is not supported.")) from error
        raise ImportRefused(_("Nothing was imported: %(path)s: %(problem)s", path=path, problem=problem)) from error


def import_json(user: User, raw: bytes) -> int:
    """Restore interviews from a JSON export, skipping those already in the history; return how many.

    The whole file is read and validated before anything is written, so a bad file saves nothing. The
    interviews are then written a few at a time, each batch in a short transaction of its own, and the
    rollups rebuilt last: a long import never holds SQLite's write lock for long, so other people's saves
    go on meanwhile. Were it cut short, importing the file again adds the interviews still missing.
    """
    document = _read_export(raw)
    existing = set(db.session.scalars(select(Interview.started_at).where(Interview.user_id == user.id)))
    questions = dict(db.session.execute(select(Question.key, Question.id)).all())
    fresh = []
    for data in document.interviews:
        if data.started_at not in existing:
            existing.add(data.started_at)
            fresh.append(data)
    for start in range(0, len(fresh), IMPORT_BATCH):
        batch = [_restore(user, data, questions) for data in fresh[start:start + IMPORT_BATCH]]
        with write_transaction():
            db.session.add_all(batch)
    if any(data.finished_at for data in document.interviews):
        with write_transaction():
            rollups.rebuild(user)
    return len(fresh)
