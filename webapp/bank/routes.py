from flask import render_template, request

from ..rendering import render_markdown
from ..services import bank as bank_service
from . import bp


@bp.get("/")
def index():
    """List the topics with their question counts."""
    return render_template("bank/index.html", topics=bank_service.topics_with_counts())


@bp.get("/topics/<slug>")
def topic(slug: str):
    """List the questions of one topic."""
    topic = bank_service.get_topic(slug)
    return render_template("bank/questions.html", topic=topic, questions=bank_service.questions_of_topic(topic))


@bp.get("/search")
def search():
    """Search questions in Chinese or English."""
    query = request.args.get("q", "").strip()[:200]
    return render_template("bank/questions.html", query=query, questions=bank_service.search_questions(query))


@bp.get("/questions/<int:question_id>")
def question(question_id: int):
    """Show a question with its rendered reference answer and key points."""
    question = bank_service.get_question(question_id)
    return render_template(
        "bank/question.html", question=question, reference_html=render_markdown(question.reference_markdown)
    )
