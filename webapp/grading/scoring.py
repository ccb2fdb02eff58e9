"""Stage 5, score: run the pipeline on one answer and total the point verdicts less the named deductions."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import repeat
from math import fsum
from typing import Literal

from webapp.grading.evidence import Evidence, best_evidence, label_units, topic_units, with_named_clauses, wordings
from webapp.grading.keypoints import KeyPoint
from webapp.grading.params import DEFAULT, Parameters
from webapp.grading.profiles import cues
from webapp.grading.rules import (
    ANSWER_RULES,
    CONTRADICTION_RULES,
    NEGATION_RULES,
    POINT_RULES,
    AnswerCase,
    Finding,
    PointCase,
    Subject,
    asked_name,
    asks,
    conclusions,
    contradiction_why,
    heading_subject,
    is_keyword_list,
    point_subjects,
    says_dont_know,
    subjects_of,
)
from webapp.grading.text import Reading, read, read_bank_text
from webapp.grading.units import ENGLISH_STOP_WORDS, idf, idf_table, units

GRADER_VERSION = "3.30"

Status = Literal["hit", "partial", "miss", "contradicted"]
_STATUSES: tuple[Status, ...] = ("miss", "partial", "hit")  # lowest first
# The flag each answer rule raised under grader 2, kept for readers of stored results.
_FLAGS = {"keyword_list": "keywords_only", "contradiction": "negated"}
_ENGLISH_WORD = re.compile(r"[a-z]+(?:['-][a-z]+)*")
_PROSE_FUNCTION_SHARE = 0.2
_CLAUSE_PUNCTUATION = re.compile(r"[，。；：！？,;:!?]|\.(?!\d)")


def whole_points(value: float) -> int:
    """Round a score to whole points, halves up: the one rounding every score and effect goes through."""
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


@dataclass(frozen=True)
class PointResult:
    """The verdict on one key point: its status, the credit it earns, where the answer says it, and why."""

    id: str
    text: str
    status: Status
    score: float
    evidence: tuple[tuple[int, int], ...]
    why: str | None = None
    # The point rule that took it below the status its evidence alone earns, or `enumeration` for a partial list.
    lowered_by: str | None = None


@dataclass(frozen=True)
class Deduction:
    """A named answer-level rule that took points off the score, and where."""

    rule: str
    effect: int
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class GradeResult:
    """The grade of one answer: a 0-100 score, the per-point verdicts, the deductions and what was noticed."""

    score: int
    points: tuple[PointResult, ...]
    flags: tuple[str, ...]
    version: str
    gradable: bool = True
    deductions: tuple[Deduction, ...] = ()
    findings: tuple[Finding, ...] = ()

    def to_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return {
            "score": self.score,
            "gradable": self.gradable,
            "points": [{"id": p.id, "text": p.text, "status": p.status, "score": p.score,
                        "evidence": [list(span) for span in p.evidence], "why": p.why, "lowered_by": p.lowered_by}
                       for p in self.points],
            "deductions": [{"rule": d.rule, "effect": d.effect, "spans": [list(span) for span in d.spans]}
                           for d in self.deductions],
            "flags": list(self.flags),
            "version": self.version,
        }


def _reads_as_english(text: str) -> bool:
    """Tell whether the text's English words read as prose: the grader's corpus is Chinese, so it knows few of them."""
    words = _ENGLISH_WORD.findall(text)
    return len(words) >= 5 and sum(word in ENGLISH_STOP_WORDS for word in words) >= _PROSE_FUNCTION_SHARE * len(words)


def _echoes(found: list[str], question_units: frozenset[str], params: Parameters) -> bool:
    """Tell whether the answer only gives the question back: little of its weight is new to the question."""
    weights, unseen = idf_table()
    total = fsum(map(weights.get, found, repeat(unseen)))
    asked = fsum(weights.get(unit, unseen) for unit in question_units.intersection(found))
    return total - asked < params.echo_novel_share * total


def _gate(answer: Reading, question: Reading, expected: frozenset[str], params: Parameters) -> str | None:
    """Name why an answer has nothing to grade (empty, "I don't know", an echo, gibberish), or None."""
    text = answer.mapped.text
    if not text:
        return "empty"
    if params.enabled("dont_know") and says_dont_know(text):
        return "dont_know"
    found = list(answer.occurrences)
    if params.enabled("echo") and question.units and _echoes(found, question.units, params):
        return "echo"
    # The units neither known, expected nor English prose's words, found by set difference: a long answer has a
    # thousand distinct units, and a test per unit costs more.
    unread = answer.units.difference(idf_table()[0], expected)
    if _reads_as_english(text):
        unread = [unit for unit in unread if not unit.isascii()]
    if not found or len(found) - len(unread) < params.gibberish_known * len(found):
        return "gibberish"
    return None


def _verdict(point: KeyPoint, evidence: Evidence | None, answer: Reading, answer_text: str, question: Reading,
             listed: bool, vocabulary: frozenset[str], subject: str | None, subjects: tuple[Subject, ...],
             stated: frozenset[str], concludes: bool | None, skipped: frozenset[str],
             params: Parameters) -> tuple[PointResult, list[Finding]]:
    """Run the point verdict rules, but those `skipped`, over a point's evidence and give its status, credit and
    findings."""
    if evidence is None:
        return PointResult(point.id, point.text, "miss", 0.0, ()), []
    if params.enabled("label_named"):
        evidence = with_named_clauses(evidence, answer, label_units(point.text, params))
    case = PointCase(point.id, point.text, evidence, answer, question, listed, params, vocabulary,
                     point.aliases, subject, subjects, stated, concludes)
    findings = [finding for name, rule in POINT_RULES.items()
                if name not in skipped and params.enabled(name) and (finding := rule(case, answer_text))]
    contradicted = next((f for f in findings if f.why), None)
    if contradicted:
        return PointResult(point.id, point.text, "contradicted", 0.0, contradicted.spans, contradicted.why), findings
    credit = round(evidence.credit + sum(finding.effect for finding in findings), 9)  # 0.3 stays partial
    status = _status(credit, params)
    earned = {"hit": 1.0, "partial": credit}.get(status, 0.0)
    lowered = _STATUSES.index(status) < _STATUSES.index(_status(evidence.credit, params))
    lowered_by = min(findings, key=lambda finding: finding.effect).rule if lowered else None
    if lowered_by is None and status == "partial" and evidence.credit and evidence.wording.items:
        lowered_by = "enumeration"  # its credit counts the list's items, and some went unnamed
    return PointResult(point.id, point.text, status, earned, evidence.spans if earned else (), None,
                       lowered_by), findings


def _headed(points: Sequence[KeyPoint], headings: list[str | None], results: list[PointResult], answer: Reading,
            ignored: frozenset[str], params: Parameters) -> tuple[list[KeyPoint], list[PointResult]]:
    """Give each point that is only a section title the verdict of the answer's best-stated other point, when the
    answer names the title's subject and contradicts no point (rule `heading`), and the weight of a `nice` point: it
    repeats what its section's points say. "GPU 分区的思路" is stated by an answer that says how to partition a GPU.
    `headings` holds each title's subject (None for a point that says something)."""
    stated = [result for result, subject in zip(results, headings, strict=True)
              if subject is None and result.status in ("hit", "partial")]
    best = max(stated, key=lambda result: result.score, default=None)
    named = best is not None and not any(result.status == "contradicted" for result in results)
    out = []
    for point, result, subject in zip(points, results, headings, strict=True):
        if named and subject is not None and result.status != "contradicted" and best.score > result.score:
            # A title that is a question names the question's words, as an answer to that question does.
            asked = asks(point.text, params)
            weights = {unit: idf(unit) for unit, _, _ in units(subject) if asked or unit not in ignored}
            said = sum(weight for unit, weight in weights.items() if unit in answer.occurrences or unit in ignored)
            if said >= params.heading_subject_share * sum(weights.values()):
                result = PointResult(result.id, result.text, best.status, best.score, best.evidence)
        out.append(result)
    return [replace(point, weight="nice") if subject is not None else point
            for point, subject in zip(points, headings, strict=True)], out


def _charged_once(results: list[PointResult], findings: list[Finding],
                  params: Parameters) -> tuple[list[PointResult], list[Finding]]:
    """Charge one wrong clause to the points it says best (rule `one_claim`): "不适合大规模对齐" contradicts "收敛稳定，
    适合大规模对齐任务", and a summary point that says it in passing is missed, not contradicted a second time."""
    why = {finding.point: finding for finding in findings if finding.why}
    best: dict[tuple[tuple[int, int], ...], float] = {}
    for result in results:
        if result.status == "contradicted":
            best[result.evidence] = max(best.get(result.evidence, 0.0), -why[result.id].effect)
    demoted = {result.id for result in results if result.status == "contradicted"
               and -why[result.id].effect < params.one_claim_share * best[result.evidence]}
    if not demoted:
        return results, findings
    return ([PointResult(r.id, r.text, "miss", 0.0, (), None, "one_claim") if r.id in demoted else r
             for r in results], [f for f in findings if not (f.why and f.point in demoted)])


# A clause runs to the next clause punctuation: what a `named_wrongly` finding quotes.
_CLAUSE_REST = re.compile(r"[^，。；！？,;!?\n]*")


def _named_wrongly(results: list[PointResult], findings: list[Finding],
                   answer_text: str) -> tuple[list[PointResult], list[Finding]]:
    """Contradict each point the answer names and says something else of (rules `said_otherwise`, `named_only`) beside
    another wrong claim: a contradicted point, or another point named and said otherwise (rule `named_wrongly`).
    "LayerNorm 是对整个 batch 的同一个特征做归一化" beside a wrong claim elsewhere states a false mechanism for
    LayerNorm, where alone it may be a true aside."""
    otherwise = {result.id for result in results
                 if result.status == "miss" and result.lowered_by in ("said_otherwise", "named_only")}
    if not otherwise or (len(otherwise) < 2 and not any(result.status == "contradicted" for result in results)):
        return results, findings
    out = []
    for result in results:
        if result.id in otherwise:
            spans = next(f.spans for f in findings if f.point == result.id and f.rule == result.lowered_by)
            start = spans[0][0]
            why = contradiction_why(answer_text[start:_CLAUSE_REST.match(answer_text, start).end()], result.text)
            findings.append(Finding("named_wrongly", result.id, 0.0, spans, why))
            result = PointResult(result.id, result.text, "contradicted", 0.0, spans, why)
        out.append(result)
    return out, findings


def _outweighed(results: list[PointResult], params: Parameters) -> list[PointResult]:
    """Miss the points an answer seems to state when it contradicts at least `outweighed_contradictions` points and
    more points than it hits (rule `outweighed`): a fluent wrong answer says the points' words without their claims.
    Of the points credited in such answers on the per-point splits, nine in ten were labelled unsaid."""
    contradictions = sum(result.status == "contradicted" for result in results)
    hits = sum(result.status == "hit" for result in results)
    if contradictions < params.outweighed_contradictions or hits >= contradictions:
        return results
    return [PointResult(r.id, r.text, "miss", 0.0, (), None, "outweighed") if r.status in ("hit", "partial") else r
            for r in results]


def _status(credit: float, params: Parameters) -> Status:
    """The status a point's credit earns."""
    return "hit" if credit >= params.hit else "partial" if credit >= params.partial else "miss"


def score_ceiling(credits: Iterable[float], params: Parameters = DEFAULT) -> int:
    """The most an answer scores before deductions, given its points' credits (0-1): 100 needs every point in full,
    `nice` ones too; short of that it stops at `partial_cap`, and at `missed_cap` with a point earning nothing."""
    least = min(credits, default=1.0)
    return 100 if least >= 1.0 else params.partial_cap if least > 0.0 else params.missed_cap


def grade(question: str, points: Sequence[KeyPoint], answer: str, params: Parameters = DEFAULT) -> GradeResult:
    """Grade `answer` to `question` against the key points of its reference answer."""
    if not points:
        return GradeResult(0, (), ("no_reference",), GRADER_VERSION, gradable=False)
    asked = read_bank_text(question, params)
    topic = topic_units(tuple(point.text for point in points), params) if params.enabled("topic") else frozenset()
    listing = params.enabled("enumeration") and bool(cues().listing.search(asked.mapped.text))
    point_wordings = [wordings(point.text, point.aliases, asked.units, topic, params, listing) for point in points]
    reading = read(answer, params, keep_lines=True)
    expected = asked.units.union(*(wording.weights for found in point_wordings for wording in found))
    gate = _gate(reading, asked, expected, params)
    if gate:
        misses = tuple(PointResult(p.id, p.text, "miss", 0.0, ()) for p in points)
        return GradeResult(0, misses, (gate,), GRADER_VERSION)
    # English prose is no list, though folding writes its terms in Chinese and makes it look like one (asked after
    # `is_keyword_list`, which most answers fail at once: a sentence end); nor is the list a question asks for, where
    # every point counts the items of one.
    listed = (params.enabled("keyword_list") and is_keyword_list(reading.mapped.text, typed=answer)
              and not _reads_as_english(reading.plain) and not is_keyword_list(
        ",".join(found[0].reading.mapped.text for found in point_wordings if found), names_as_words=False)
              and not all(found and found[0].items for found in point_wordings))
    names = point_subjects(tuple((point.text, point.aliases) for point in points), params)
    wording_units = [frozenset().union(*(wording.weights for wording in found if not wording.alias))
                     for found in point_wordings]
    subjects = subjects_of(names, wording_units)
    headings = [heading_subject(point.text, params) or asked_name(point.text, asked.units, params)
                if params.enabled("heading") else None for point in points]
    # A section title claims nothing an answer could contradict; in a keyword list with no clause punctuation a
    # negation cue belongs to its keyword: "非对称 最小化 等价" names terms, it denies none.
    negations = NEGATION_RULES if listed and not _CLAUSE_PUNCTUATION.search(answer) else frozenset()
    # Every point's evidence first: a point is read against the words of the points the answer states (rule
    # `shared_only`).
    evidences = [best_evidence(reading, found, params) for found in point_wordings]
    results = []
    findings: list[Finding] = []
    # A point that answers a yes-or-no question is read against the answer's opening even where they share no word.
    concluded = (conclusions(asked, tuple(point.text for point in points), params)
                 if params.enabled("answered_otherwise") else (None,) * len(points))
    evidences = [Evidence(found[0], 0.0, frozenset(), (), ()) if evidence is None and found and concludes else evidence
                 for evidence, found, concludes in zip(evidences, point_wordings, concluded, strict=True)]
    stated = frozenset().union(*(theirs for theirs, evidence in zip(wording_units, evidences, strict=True)
                                 if evidence is not None and evidence.credit >= params.hit))
    for point, evidence, name, heading, concludes in zip(points, evidences, names, headings, concluded, strict=True):
        result, noticed = _verdict(point, evidence, reading, answer, asked, listed,
                                   expected, name[0] if name else None, subjects, stated, concludes,
                                   CONTRADICTION_RULES if heading is not None else negations, params)
        results.append(result)
        findings.extend(noticed)
    if params.enabled("one_claim"):
        results, findings = _charged_once(results, findings, params)
    if params.enabled("named_wrongly"):
        results, findings = _named_wrongly(results, findings, answer)
    if params.enabled("outweighed"):
        results = _outweighed(results, params)
    if params.enabled("heading"):
        points, results = _headed(points, headings, results, reading, asked.units, params)
    total_weight = sum(point.weight_value for point in points)
    earned = sum(point.weight_value * result.score for point, result in zip(points, results, strict=True))
    contradicted = [(point, result) for point, result in zip(points, results, strict=True)
                    if result.status == "contradicted"]
    case = AnswerCase(reading, answer, asked, expected,
                      sum(point.weight_value for point, _ in contradicted) / total_weight,
                      sum(point.weight_value for point, result in zip(points, results, strict=True)
                          if result.status != "miss") / total_weight,
                      tuple(span for _, result in contradicted for span in result.evidence), listed, params,
                      sum(point.weight_value * result.score for point, result in zip(points, results, strict=True)
                          if result.status == "partial") / earned if earned else 0.0,
                      sum(result.status == "hit" for result in results), len(contradicted))
    full = max(params.full_mark, min(params.full_mark_cap, params.expected_points / len(points)))
    short = any(point.weight == "must" and result.status != "hit"
                for point, result in zip(points, results, strict=True))
    if short and reading.unknown and params.enabled("unknown_rest"):
        full = 1.0  # the candidate said the rest is unknown: the must points missing were not left out for brevity
    ceiling = score_ceiling((result.score for result in results), params)
    score = min(whole_points(min(100.0, 100 * earned / total_weight / full)), ceiling)
    deductions = []
    for name, rule in ANSWER_RULES.items():
        finding = rule(case, score) if params.enabled(name) else None
        if finding is None:
            continue
        after = max(0, whole_points(score + finding.effect))
        if after != score:
            deductions.append(Deduction(name, after - score, finding.spans))
            findings.append(finding)
        score = after
    flags = [_FLAGS.get(d.rule, d.rule) for d in deductions]
    if contradicted and "negated" not in flags:
        flags.append("negated")
    if not any(result.status in ("hit", "partial") for result in results) and len(reading.mapped.text) >= (
            params.off_topic_length):
        flags.append("off_topic")
    return GradeResult(score, tuple(results), tuple(flags), GRADER_VERSION, True, tuple(deductions),
                       tuple(findings))
