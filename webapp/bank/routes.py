from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import questionbank
from ..i18n import current_locale_name
from ..rendering import render_markdown
from ..services import bank as bank_service
from . import bp
from .forms import QuestionEditForm, lines


@bp.get("/")
def index():
    """List the topics with their question counts."""
    return render_template("bank/index.html", topics=bank_service.topic_counts())


@bp.get("/topics/<slug>")
def topic(slug: str):
    """List the questions of one topic."""
    topic = bank_service.get_topic(slug)
    return render_template("bank/questions.html", topic=topic, questions=bank_service.questions_of_topic(topic))


@bp.get("/search")
def search():
    """Search questions in Chinese or English."""
    query = request.args.get("q", "").strip()[:200]
    results = bank_service.search_questions(query)
    return render_template("bank/questions.html", query=query, questions=results.questions, broader=results.broader)


@bp.get("/questions/<int:question_id>")
def question(question_id: int):
    """Show a question with its rendered reference answer and key points."""
    question = bank_service.get_question(question_id)
    return render_template(
        "bank/question.html", question=question, reference_html=render_markdown(question.reference_markdown)
    )


def _require_admin() -> None:
    """Hide the editor from everyone but admins."""
    if not current_user.is_admin:
        abort(404)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@login_required
def edit_question(question_id: int):
    """Let an admin correct a question's key points, aliases and topics; re-imports keep the edits."""
    _require_admin()
    question = bank_service.get_question(question_id)
    locale = current_locale_name()
    topic_choices = [(topic.slug, topic.name(locale)) for topic, _count in bank_service.topics_with_counts()]
    form = QuestionEditForm(topic_choices=topic_choices, data={
        "key_points": questionbank.dump_points(bank_service.curated_points(question), question.erratum),
        "aliases": "\n".join(question.aliases or []),
        "topics": [topic.slug for topic in question.topics],
    })
    if form.validate_on_submit():
        bank_service.edit_question(question_id, form.key_points.points, form.key_points.erratum,
                                   lines(form.aliases.data), form.topics.data)
        flash(_("The question is saved. Re-imports keep these edits."), "success")
        return redirect(url_for(".question", question_id=question_id))
    return render_template("bank/edit.html", question=question, form=form), 400 if form.errors else 200
