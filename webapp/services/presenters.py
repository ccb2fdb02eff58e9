"""View models for graded turns, prepared once for the chat, the debrief and the transcript."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import load_only
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..models import Interview, Mode, Question, Turn, TurnKind, point_missed, recovered_credit
from ..rendering import clock_text, highlight_evidence
from . import history, interviews

STATUS_LABELS = {"hit": _l("Covered"), "partial": _l("Partly covered"), "miss": _l("Missed"),
                 "contradicted": _l("Contradicted")}
OVERRIDDEN_LABEL = _l("You marked this covered")
DEDUCTION_LABELS = {"keyword_list": _l("A list of keywords, not an explanation"),
                    "keywords_only": _l("A list of keywords, not an explanation"),  # grader 2's name for it
                    "contradiction": _l("Contradicts the reference"),
                    "doubted": _l("Partly covered points count for less beside a contradiction"),
                    "echo": _l("Repeats the question"), "rambling": _l("Rambling"),
                    "off_topic": _l("Off topic"), "dont_know": _l("“I don't know”"), "empty": _l("Empty"),
                    "gibberish": _l("Not an answer")}
# Why a point rule left a point the answer mentions partly covered or missed (grader 3.7's `lowered_by`).
LOWERED_LABELS = {"listed_not_stated": _l("Listed, not explained"),
                  "said_otherwise": _l("Named, but what you say of it is not this point"),
                  "named_only": _l("Named, but what you say of it is not this point"),
                  "named_bare": _l("Named; no explanation of it was recognised"),
                  "named_in_list": _l("Only named in a list"),
                  "answered_alike": _l("Only your yes or no was recognised"),
                  "unnamed": _l("Said of another item, not of this one"),
                  "one_claim": _l("What you said here is counted as wrong under another point"),
                  "shared_only": _l("Only words it shares with points you covered; nothing of its own"),
                  "number_unsaid": _l("The point gives a figure; no number was recognised in what you said"),
                  "outweighed": _l("Not counted: the answer contradicts more points than it covers"),
                  "enumeration": _l("Counted item by item: not every item of this list was named")}
STUDY_NEXT_SHOWN = 5
# Said between questions of a mock: neutral, so it gives nothing away before the debrief.
ACKNOWLEDGEMENTS = (_l("Thank you. Next question."), _l("Noted. Let's move on."), _l("All right. The next one."))


def _rule_label(labels: dict, rule: str) -> str:
    """A grading rule's label for the candidate, or its name in words when it has none."""
    return str(labels.get(rule, rule.replace("_", " ")))


@dataclass(frozen=True)
class PointView:
    """One key point's verdict as the candidate sees it."""

    uid: str
    text: str
    status: str  # the automatic verdict: hit, partial, miss or contradicted
    overridden: bool
    must: bool
    why: str | None
    has_evidence: bool
    recovered: float = 0.0  # the credit (0-1) a follow-up gave back on this point
    lowered_by: str | None = None  # the point rule that lowered the verdict; absent from grades before grader 3.7

    @property
    def covered(self) -> bool:
        return self.status == "hit" or self.overridden

    @property
    def missed(self) -> bool:
        return point_missed(self.status, self.overridden)

    @property
    def label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def lowered_label(self) -> str | None:
        """Why a partly covered or missed point earned no more, when a point rule lowered it."""
        if not self.lowered_by or self.status not in ("partial", "miss"):
            return None
        return _rule_label(LOWERED_LABELS, self.lowered_by)

    @property
    def recovery_label(self) -> str:
        return _("the follow-up gave back %(share)d%% of this point", share=round(100 * self.recovered))

    @property
    def shown_status(self) -> str:
        """The colour the point is drawn in: an override counts as covered."""
        return "hit" if self.overridden else self.status


@dataclass(frozen=True)
class DeductionView:
    """One answer-level rule that took marks off, with what it did."""

    rule: str
    effect: str

    @property
    def label(self) -> str:
        return _rule_label(DEDUCTION_LABELS, self.rule)


@dataclass(frozen=True)
class TurnView:
    """A closed question with everything its partial shows."""

    turn: Turn
    feedback_shown: bool
    can_override: bool
    answer_html: Markup | str
    points: tuple[PointView, ...]
    deductions: tuple[DeductionView, ...]
    automatic_score: float | None
    score: float | None  # with the candidate's overrides counted
    timed_out: bool
    flagged: list[dict[str, Any]]
    acknowledgement: str | None  # the interviewer's word after this answer, in a mock before its last question
    attempt_score: float | None  # this answer's own score; `score` is the question's best attempt
    children: tuple[TurnView, ...] = ()  # the question's closed follow-ups and second attempt
    can_retry: bool = False

    @property
    def all_covered(self) -> bool:
        return bool(self.points) and all(point.covered for point in self.points)

    @property
    def follow_ups(self) -> tuple[TurnView, ...]:
        return tuple(child for child in self.children if child.turn.kind == TurnKind.FOLLOW_UP)

    @property
    def retry(self) -> TurnView | None:
        return next((child for child in self.children if child.turn.kind == TurnKind.RETRY), None)

    @property
    def best(self) -> TurnView:
        """This question's view or its second attempt's, whichever scored higher: the one whose misses count."""
        best = self.turn.best_attempt
        return next((child for child in self.children if child.turn is best), self)

    @property
    def follow_up_point(self) -> PointView | None:
        """The one point a follow-up asked about, as graded in the follow-up's answer."""
        return self.points[0] if self.points else None


@dataclass(frozen=True)
class StudyItem:
    """A missed `must` point worth studying next, with the question it belongs to."""

    text: str
    number: int
    question_id: int | None
    question_text: str


@dataclass(frozen=True)
class DebriefView:
    interview: Interview
    turns: tuple[TurnView, ...]
    study_next: tuple[StudyItem, ...]
    automatic_score: float | None
    score: float | None  # the stored, effective score: automatic, with the candidate's overrides counted
    time_used: int
    can_drill: bool

    @property
    def questions(self) -> int:
        return len(self.turns)

    @property
    def has_follow_ups(self) -> bool:
        return any(view.follow_ups for view in self.turns)


def turn_view(interview: Interview, turn: Turn) -> TurnView:
    """Prepare one closed turn: verdicts with overrides, deductions, highlighted answer and scores."""
    shown = interviews.feedback_visible(interview, turn)
    result = turn.result or {}
    overridden = {override.point_uid for override in turn.overrides}
    recovered = recovered_credit((child.point_uid, child.result) for child in turn.follow_ups)
    must = turn.must_point_uids
    points = tuple(
        PointView(uid=point["id"], text=point["text"], status=point["status"], overridden=point["id"] in overridden,
                  must=point["id"] in must, why=point.get("why"),
                  has_evidence=bool(point.get("evidence")) and point["status"] != "miss",
                  recovered=recovered.get(point["id"], 0.0), lowered_by=point.get("lowered_by"))
        for point in turn.grade.points
    ) if turn.gradable and turn.grade else ()
    deductions = tuple(DeductionView(str(item["rule"]), _effect_text(item.get("effect")))
                       for item in result.get("deductions") or [])
    answer_html = (highlight_evidence(turn.answer, turn.grade.points if turn.grade else [])
                   if shown and turn.answer else turn.answer or "")
    return TurnView(
        turn=turn, feedback_shown=shown, can_override=shown and turn.is_question, answer_html=answer_html,
        points=points, deductions=deductions, automatic_score=turn.automatic_score, score=turn.effective_score,
        timed_out=turn.timed_out,
        flagged=history.flagged_points(turn),
        acknowledgement=_acknowledgement(interview, turn),
        attempt_score=turn.attempt_score,
        children=tuple(turn_view(interview, child) for child in turn.children if child.closed),
        can_retry=interviews.can_try_again(interview, turn),
    )


def _acknowledgement(interview: Interview, turn: Turn) -> str | None:
    questions = interview.questions
    if (interview.mode != Mode.MOCK or interview.finished or not turn.is_question or turn is questions[-1]
            or not all(child.closed for child in turn.children)):
        return None
    return str(ACKNOWLEDGEMENTS[(turn.number - 1) % len(ACKNOWLEDGEMENTS)])


def opening_line(interview: Interview) -> str:
    """The interviewer's first words: the mode, how many questions and the time for each."""
    count = interview.planned_questions or len(interview.questions)
    if interview.mode == Mode.MOCK and interview.seconds_per_question:
        return _("Hello. This is a mock interview: %(count)d questions, %(time)s for each. Answer as you would "
                 "aloud; you will get feedback at the end.", count=count,
                 time=clock_text(interview.seconds_per_question))
    if interview.seconds_per_question:
        return _("Let's drill %(count)d questions, %(time)s for each; you will see feedback after every answer.",
                 count=count, time=clock_text(interview.seconds_per_question))
    return _("Let's drill %(count)d questions with no time limit; you will see feedback after every answer.",
             count=count)


def closed_turn_views(interview: Interview) -> tuple[TurnView, ...]:
    """Prepare every closed question of an interview, in order, each with its closed follow-ups and retry."""
    if interview.finished or interview.mode != Mode.MOCK:
        _load_errata(interview)
    return tuple(turn_view(interview, turn) for turn in interview.questions if turn.closed)


def _load_errata(interview: Interview) -> None:
    """Load the questions asked, with only their erratum, in one query and hand each to its turns: a page showing
    the references shows each one's erratum beside it, which would otherwise query once per turn."""
    question_ids = {turn.question_id for turn in interview.turns if turn.question_id is not None}
    if not question_ids:
        return
    questions = {question.id: question for question in db.session.scalars(
        select(Question).where(Question.id.in_(question_ids)).options(load_only(Question.erratum)))}
    for turn in interview.turns:
        if turn.question_id in questions:
            set_committed_value(turn, "question", questions[turn.question_id])


def debrief_view(interview: Interview) -> DebriefView:
    """Prepare the debrief: totals, what to study next, then every question."""
    turns = closed_turn_views(interview)
    return DebriefView(
        interview=interview, turns=turns, study_next=study_next(turns),
        automatic_score=interviews.automatic_score(interview), score=interview.score,
        time_used=interview.time_used, can_drill=bool(interviews.missed_question_ids(interview)),
    )


def study_next(turns: tuple[TurnView, ...]) -> tuple[StudyItem, ...]:
    """The `must` points still missed (or contradicted) across the interview: each question's first, then seconds."""
    per_question = [[StudyItem(point.text, view.turn.number, view.turn.question_id, view.turn.question_text)
                     for point in view.best.points
                     if point.must and point.missed]
                    for view in turns]
    in_turns = [item for round_ in zip_longest(*per_question) for item in round_ if item is not None]
    return tuple(in_turns[:STUDY_NEXT_SHOWN])


def _effect_text(effect: Any) -> str:
    """Show a deduction's effect: a number of points taken off, or the rule's own wording."""
    if isinstance(effect, int | float):
        return f"−{abs(effect):g}"
    return str(effect or "")
