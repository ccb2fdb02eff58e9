"""Question-bank use cases: import, export, maintainer edits, browsing and search."""

from __future__ import annotations

import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import selectinload

from .. import grading, questionbank
from ..database import write_transaction
from ..errors import NotFound
from ..extensions import db
from ..grading.normalize import default_terms, normalize_for_matching
from ..models import KeyPointRecord, Question, QuestionSource, ReferenceAnswer, SimilarLink, Topic, question_topics


@dataclass
class ImportReport:
    """What an import did, for the command line."""

    files: tuple[str, ...] = ()
    skipped: tuple[questionbank.SkippedFile, ...] = ()
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    similar_links: int = 0
    curated: int = 0
    merges: tuple[questionbank.Merge, ...] = ()
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """Describe the import in a few lines."""
        lines = [
            f"Imported {len(self.files)} file(s): {self.created} new, {self.updated} updated, "
            f"{self.unchanged} unchanged question(s); {self.similar_links} similar link(s); "
            f"curated key points for {self.curated} question(s)."
        ]
        lines += [merge.describe() for merge in self.merges]
        lines += [f"Skipped {item.path}: {item.reason}" for item in self.skipped]
        return "\n".join(lines + self.notes)


def sync_topics() -> dict[str, Topic]:
    """Create or rename the taxonomy's topics; return them by slug."""
    existing = {topic.slug: topic for topic in db.session.scalars(select(Topic))}
    for position, spec in enumerate(questionbank.load_topics()):
        topic = existing.get(spec.slug) or Topic(slug=spec.slug)
        topic.name_zh, topic.name_en, topic.position = spec.name_zh, spec.name_en, position
        existing[spec.slug] = topic
        db.session.add(topic)
    return existing


def import_bank(paths: Iterable[str | Path]) -> ImportReport:
    """Import bank files, folders and curated key points all or nothing; maintainer edits survive.

    The files are read and every question prepared (key points extracted, search text folded) in memory
    before one short transaction writes them all, so the server's users wait for the write only.
    """
    result = questionbank.read_bank(paths)  # raises BankFormatError before anything changes
    report = ImportReport(files=result.files, skipped=result.skipped, merges=result.merges)
    curated = {entry.key: entry for entry in result.curated}
    keys = [item.key for item in result.questions] + list(curated)
    with write_transaction():
        topics = sync_topics()
        stored = {
            question.key: question
            for question in db.session.scalars(
                select(Question)
                .where(Question.key.in_(keys))
                .options(selectinload(Question.sources), selectinload(Question.key_points),
                         selectinload(Question.topics), selectinload(Question.reference))
            )
        }
    with db.session.no_autoflush:
        for item in result.questions:
            entry = _matching_entry(curated.pop(item.key, None), (item.question,), report)
            question = stored.get(item.key)
            if question is None:
                question = stored[item.key] = Question(key=item.key, aliases=[])
                db.session.add(question)
                _apply(question, item, topics, entry)
                report.created += 1
            elif _apply(question, item, topics, entry):
                report.updated += 1
            else:
                report.unchanged += 1
        for key, entry in curated.items():
            question = stored.get(key)
            if question is None:
                report.notes.append(f"Not applied {entry.source}: no question has the key {key} ({entry.title})")
            elif entry := _matching_entry(entry, (question.text, *(question.aliases or [])), report):
                report.updated += _apply_curated(question, entry)
    with write_transaction():
        db.session.flush()
        report.similar_links = _link_similar(result.similar, stored)
    return report


def _matching_entry(entry: questionbank.CuratedEntry | None, titles: tuple[str, ...],
                    report: ImportReport) -> questionbank.CuratedEntry | None:
    """Pass on a curated entry whose title still names its question; report one that no longer does."""
    if entry is None:
        return None
    if entry.title not in titles:
        report.notes.append(f"Not applied {entry.source}: its title {entry.title!r} no longer matches "
                            f"the question {titles[0]!r}")
        return None
    report.curated += 1
    return entry


def _apply(question: Question, item: questionbank.BankQuestion, topics: dict[str, Topic],
           entry: questionbank.CuratedEntry | None) -> bool:
    """Bring a stored question up to date with its imported copy and curated entry; tell whether anything changed."""
    changed = False
    if question.frequency != item.frequency:
        question.frequency, changed = item.frequency, True
    if question.reference_markdown != item.answer:
        if question.reference is None:
            question.reference = ReferenceAnswer(markdown=item.answer)
        else:
            question.reference.markdown = item.answer
        changed = True
    known_sources = {(source.file, source.line) for source in question.sources}
    for source in item.sources:
        if (source.file, source.line) not in known_sources:
            question.sources.append(QuestionSource(file=source.file, line=source.line))
            changed = True
    if entry is not None:
        changed = _apply_curated(question, entry) or changed
    elif question.curated_source is None:  # curated points stay until a curated file or an admin changes them
        if question.text != item.question:
            question.text, changed = item.question, True
        if not question.key_points_edited:
            changed = _set_points(question, grading.extract_key_points(item.answer), None) or changed
    if changed:
        question.refresh_search_text()
    if not question.topics_edited and {topic.slug for topic in question.topics} != set(item.topics):
        question.topics, changed = [topics[slug] for slug in item.topics], True
    return changed


def _apply_curated(question: Question, entry: questionbank.CuratedEntry) -> bool:
    """Ask the curated question instead of a bare title (kept as an alias) and take the curated points and erratum."""
    changed = False
    if entry.question and question.text != entry.question:
        question.text, changed = entry.question, True
    elif not entry.question and question.text != entry.title:
        question.text, changed = entry.title, True
    if entry.question and entry.title not in (question.aliases or []):
        question.aliases, changed = [*(question.aliases or []), entry.title], True
    source = str(entry.source)
    if question.curated_source != source:
        question.curated_source, changed = source, True
    if not question.key_points_edited:
        points = [_as_key_point(point) for point in entry.points] or grading.extract_key_points(
            question.reference_markdown)
        changed = _set_points(question, points, entry.erratum) or changed
    if changed:
        question.refresh_search_text()
    return changed


def _set_points(question: Question, points: list[grading.KeyPoint], erratum: str | None) -> bool:
    """Replace the question's key points and erratum when they differ; tell whether they did."""
    if [point.as_key_point() for point in question.key_points] == points and question.erratum == erratum:
        return False
    question.key_points = _key_point_records(points)
    question.erratum = erratum
    return True


def _as_key_point(point: str | questionbank.CuratedPoint) -> grading.KeyPoint:
    """Build the grader's point from a plain claim (weight read from its terms) or a weighed one."""
    if isinstance(point, str):
        return grading.key_point(point)
    return grading.key_point(point.text, point.weight, point.aliases, point.ask)


def _key_point_records(points: Iterable[grading.KeyPoint]) -> list[KeyPointRecord]:
    return [
        KeyPointRecord(position=position, uid=point.id, text=point.text, weight=point.weight,
                       terms=list(point.terms), aliases=list(point.aliases), ask=point.ask)
        for position, point in enumerate(points)
    ]


def _link_similar(pairs: Iterable[questionbank.SimilarPair], stored: dict[str, Question]) -> int:
    """Record paraphrase links between imported questions, once per pair: one query reads the links there are,
    one statement adds the new ones and one updates the scores that changed."""
    pairs = list(pairs)
    scores = {tuple(sorted((stored[pair.key_a].id, stored[pair.key_b].id))): pair.score for pair in pairs}
    if not scores:
        return 0
    linked = {(first, second): score for first, second, score in db.session.execute(
        select(SimilarLink.question_a_id, SimilarLink.question_b_id, SimilarLink.score)
        .where(SimilarLink.question_a_id.in_({first for first, _second in scores})))}
    rows = [{"question_a_id": first, "question_b_id": second, "score": score}
            for (first, second), score in scores.items() if linked.get((first, second)) != score]
    if new_links := [row for row in rows if (row["question_a_id"], row["question_b_id"]) not in linked]:
        db.session.execute(insert(SimilarLink), new_links)
    if rescored := [row for row in rows if (row["question_a_id"], row["question_b_id"]) in linked]:
        db.session.execute(update(SimilarLink), rescored)
    return len(pairs)


def export_bank() -> Iterator[dict]:
    """Yield every question as a JSON-ready record, in a stable order."""
    questions = db.session.scalars(
        select(Question)
        .order_by(Question.id)
        .options(selectinload(Question.sources), selectinload(Question.key_points),
                 selectinload(Question.topics), selectinload(Question.reference))
    )
    for question in questions:
        yield {
            "id": question.id,
            "question": question.text,
            "reference": question.reference_markdown,
            "topics": [topic.name_zh for topic in question.topics],
            "topic_slugs": [topic.slug for topic in question.topics],
            "key_points": [{"text": point.text, "weight": point.weight, "aliases": list(point.aliases),
                            "ask": point.ask} for point in curated_points(question)],
            "erratum": question.erratum,
            "sources": [str(source) for source in question.sources],
            "aliases": list(question.aliases or []),
        }


def curated_points(question: Question) -> tuple[questionbank.CuratedPoint, ...]:
    """Return a question's key points in the curated form the editor and the export show."""
    return tuple(questionbank.CuratedPoint(point.text, point.weight, tuple(point.aliases or ()), point.ask)
                 for point in question.key_points)


def edit_question(question_id: int, points: Iterable[questionbank.CuratedPoint], erratum: str | None,
                  aliases: list[str], topic_slugs: list[str]) -> Question:
    """Save a maintainer's edits of a question, each part only if it changed."""
    question = get_question(question_id)
    points = tuple(points)
    # An untouched part is not saved, so it is not pinned against re-imports.
    if points != curated_points(question) or erratum != question.erratum:
        edit_key_points(question_id, points, erratum)
    if aliases != list(question.aliases or []):
        edit_aliases(question_id, aliases)
    if topic_slugs != [topic.slug for topic in question.topics]:
        edit_topics(question_id, topic_slugs)
    return question


def edit_key_points(question_id: int, points: Iterable[str | questionbank.CuratedPoint],
                    erratum: str | None = None) -> Question:
    """Replace a question's key points (plain claims or weighed points) and erratum; re-imports keep them."""
    question = get_question(question_id)
    question.key_points = _key_point_records(_as_key_point(point) for point in points
                                             if not isinstance(point, str) or point.strip())
    question.erratum = erratum
    question.key_points_edited = True
    db.session.commit()
    return question


def edit_topics(question_id: int, slugs: Iterable[str]) -> Question:
    """Set a question's topics by hand; re-imports keep them."""
    question = get_question(question_id)
    wanted = list(db.session.scalars(select(Topic).where(Topic.slug.in_(list(slugs))).order_by(Topic.position)))
    if not wanted:
        raise ValueError("a question needs at least one topic")
    question.topics = wanted
    question.topics_edited = True
    db.session.commit()
    return question


def edit_aliases(question_id: int, aliases: Iterable[str]) -> Question:
    """Set other phrasings of a question, used by search."""
    question = get_question(question_id)
    question.aliases = [alias.strip() for alias in aliases if alias.strip()]
    question.refresh_search_text()
    db.session.commit()
    return question


def get_question(question_id: int) -> Question:
    """Return one question or raise NotFound."""
    question = db.session.get(Question, question_id)
    if question is None:
        raise NotFound("question not found")
    return question


@dataclass(frozen=True)
class TopicCount:
    """A topic with its questions: those with a reference answer (drawn by default) and those without."""

    topic: Topic
    answered_ids: tuple[int, ...]
    unanswered_ids: tuple[int, ...]

    @property
    def questions(self) -> int:
        return len(self.answered_ids) + len(self.unanswered_ids)


def topic_counts() -> list[TopicCount]:
    """List the taxonomy with each topic's questions, split by whether they have a reference answer."""
    answered = select(ReferenceAnswer.question_id).where(func.trim(ReferenceAnswer.markdown) != "")
    links = db.session.execute(
        select(question_topics.c.topic_id, question_topics.c.question_id, question_topics.c.question_id.in_(answered))
        .order_by(question_topics.c.question_id)
    )
    split: dict[int, tuple[list[int], list[int]]] = {}
    for topic_id, question_id, has_answer in links:
        split.setdefault(topic_id, ([], []))[0 if has_answer else 1].append(question_id)
    return [TopicCount(topic, *(tuple(ids) for ids in split.get(topic.id, ([], []))))
            for topic in db.session.scalars(select(Topic).order_by(Topic.position))]


def askable_count(counts: list[TopicCount], slugs: list[str], include_unanswered: bool) -> int:
    """Count the distinct questions a start on these topics (none chosen: all) may draw."""
    chosen = [count for count in counts if count.topic.slug in slugs] if slugs else counts
    return len({question_id for count in chosen
                for question_id in count.answered_ids + (count.unanswered_ids if include_unanswered else ())})


def topics_with_counts() -> list[tuple[Topic, int]]:
    """List the taxonomy with the number of questions in each topic."""
    return [(count.topic, count.questions) for count in topic_counts()]


def get_topic(slug: str) -> Topic:
    """Return one topic by slug or raise NotFound."""
    topic = db.session.scalar(select(Topic).where(Topic.slug == slug))
    if topic is None:
        raise NotFound("topic not found")
    return topic


def questions_of_topic(topic: Topic) -> list[Question]:
    """List a topic's questions in import order."""
    return list(
        db.session.scalars(
            select(Question).where(Question.topics.contains(topic)).order_by(Question.id)
            .options(selectinload(Question.reference), selectinload(Question.topics))
        )
    )


@dataclass(frozen=True)
class SearchResults:
    """Questions found for a query, best first; `broader` names the wider terms searched when nothing matched."""

    questions: list[Question]
    broader: tuple[str, ...] = ()


def search_questions(query: str, limit: int = 100) -> SearchResults:
    """Find questions naming every term of the query, English and Chinese names alike, best matches first."""
    terms = search_terms(query)
    if not terms:
        return SearchResults([])
    found = _questions_naming(terms)
    broader = tuple(_broader_term(term) or term for term in terms)
    if not found and broader != terms:
        return SearchResults(_by_relevance(_questions_naming(broader), broader)[:limit],
                             tuple(term for term in broader if term not in terms))
    return SearchResults(_by_relevance(found, terms)[:limit])


def search_terms(query: str) -> tuple[str, ...]:
    """Split a query into normalized terms; a term-table name of several words stays one term."""
    words = (word.strip(string.punctuation) for word in normalize_for_matching(query).text.split())
    return tuple(dict.fromkeys(word for word in words if word))


def refresh_search_index() -> int:
    """Recompute every question's search text, e.g. after the term table grew; return how many."""
    questions = list(db.session.scalars(select(Question).options(selectinload(Question.reference))))
    for question in questions:
        question.refresh_search_text()
    db.session.commit()
    return len(questions)


def _questions_naming(terms: tuple[str, ...]) -> list[Question]:
    statement = select(Question).options(selectinload(Question.topics), selectinload(Question.reference))
    for term in terms:
        statement = statement.where(Question.search_text.contains(term, autoescape=True))
    return list(db.session.scalars(statement))


def _broader_term(term: str) -> str | None:
    """The longest known term that `term` extends (分词器 -> 分词), for a query nothing matched."""
    table = default_terms()
    if term not in table.canonicals:
        return None
    heads = [head for head in table.canonicals if len(head) >= 2 and head != term and term.startswith(head)]
    return max(heads, key=len, default=None)


def _by_relevance(questions: list[Question], terms: tuple[str, ...]) -> list[Question]:
    """Rank questions naming more of the terms in their own text (or aliases) first, shorter questions first."""
    def relevance(question: Question) -> tuple[int, int, int]:
        title = normalize_for_matching("\n".join([question.text, *(question.aliases or [])])).text
        return -sum(term in title for term in terms), len(question.text), question.id

    return sorted(questions, key=relevance)
