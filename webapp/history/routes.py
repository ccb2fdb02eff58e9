from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..models import Mode
from ..services import history, presenters, progress
from ..services import review as reviews
from . import bp
from .forms import RATING_CHOICES, ConfirmDeleteForm, ImportForm, RatingForm, StartReviewForm

EXPORTS = {
    "md": ("text/markdown; charset=utf-8", history.export_markdown),
    "csv": ("text/csv; charset=utf-8", history.export_csv),
    "json": ("application/json; charset=utf-8", history.export_json),
}


def _download(content: str, content_type: str, filename: str) -> Response:
    return Response(content, content_type=content_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _export(interviews, fmt: str, stem: str) -> Response:
    if fmt not in EXPORTS:
        abort(404)
    content_type, write = EXPORTS[fmt]
    return _download(write(interviews), content_type, f"{stem}.{fmt}")


@bp.get("/history/")
@login_required
def index():
    """List past interviews, newest first, filtered by topic and mode."""
    topic = request.args.get("topic", "")
    mode = request.args.get("mode", "")
    listing = history.list_interviews(current_user, page=request.args.get("page", 1, type=int), topic=topic,
                                      mode=mode)
    return render_template("history/index.html", listing=listing, topic=topic, mode=mode,
                           topics=history.filter_topics(), modes=list(Mode), import_form=ImportForm())


@bp.get("/history/<int:interview_id>")
@login_required
def transcript(interview_id: int):
    """Show an interview's full transcript."""
    interview = history.get_interview(current_user, interview_id)
    return render_template("history/transcript.html", interview=interview,
                           turns=presenters.closed_turn_views(interview))


@bp.get("/history/<int:interview_id>/export.<fmt>")
@login_required
def export_one(interview_id: int, fmt: str):
    """Download one interview as Markdown, JSON or CSV."""
    interview = history.get_interview(current_user, interview_id)
    return _export([interview], fmt, f"mianshi-interview-{interview.id}")


@bp.get("/history/export.<fmt>")
@login_required
def export_all(fmt: str):
    """Download the whole history as Markdown, JSON or CSV."""
    return _export(history.all_interviews(current_user), fmt, "mianshi-history")


@bp.get("/history/anki.csv")
@login_required
def anki():
    """Download the missed key points as Anki cards."""
    return _download(history.export_anki(current_user), "text/csv; charset=utf-8", "mianshi-missed-points.csv")


@bp.post("/history/import")
@login_required
def import_history():
    """Restore interviews from a JSON export."""
    form = ImportForm()
    if not form.validate_on_submit():
        for message in form.file.errors:
            flash(message, "error")
        return redirect(url_for(".index"))
    count = history.import_json(current_user, form.file.data.read())
    flash(ngettext("Imported %(num)d interview.", "Imported %(num)d interviews.", count), "success")
    return redirect(url_for(".index"))


@bp.route("/history/<int:interview_id>/delete", methods=["GET", "POST"])
@login_required
def delete(interview_id: int):
    """Ask for confirmation, then delete an interview for good."""
    interview = history.get_interview(current_user, interview_id)
    form = ConfirmDeleteForm()
    if form.validate_on_submit():
        history.delete_interview(current_user, interview.id)
        flash(_("The interview was deleted."), "success")
        return redirect(url_for(".index"))
    return render_template("history/confirm_delete.html", interview=interview, form=form)


@bp.get("/progress/")
@login_required
def progress_page():
    """Chart the user's scores over time, with the weakest topics and key points."""
    return render_template("history/progress.html", series=progress.score_series(current_user),
                           weakest_topics=progress.weakest_topics(current_user),
                           weakest_points=progress.weakest_points(current_user),
                           topic_names={t.slug: t for t in history.filter_topics()})


@bp.get("/review/")
@login_required
def review():
    """List what is due for review today, weakest first."""
    return render_template("history/review.html", due=reviews.due_reviews(current_user, reviews.DUE_SHOWN),
                           due_count=reviews.count_due(current_user), due_now=reviews.count_due_now(current_user),
                           upcoming=reviews.upcoming_reviews(current_user), start_form=StartReviewForm(),
                           rating_options=[(choice.value, str(choice.label)) for choice in RATING_CHOICES],
                           review_size=reviews.REVIEW_SIZE)


@bp.post("/review/start")
@login_required
def start_review():
    """Start today's review drill."""
    if not StartReviewForm().validate_on_submit():
        abort(400)
    try:
        interview = reviews.start_review(current_user)
    except reviews.NothingDue as error:
        flash(str(error), "info")
        return redirect(url_for(".review"))
    return redirect(url_for("interview.show", interview_id=interview.id))


@bp.post("/review/<int:question_id>/rating")
@login_required
def rate(question_id: int):
    """Change the rating of a question's last review and reschedule it."""
    form = RatingForm()
    if not form.validate_on_submit():
        abort(400)
    reviews.set_rating(current_user, question_id, form.rating.data)
    flash(_("Rescheduled."), "success")
    return redirect(url_for(".review"))
