import secrets
from collections.abc import Iterable
from functools import wraps

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_time, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from ..errors import AlreadyAnswered, AnswerTooLong, InterviewFinished, TurnNotOpen
from ..models import Mode
from ..rendering import clock_text
from ..services import bank as bank_service
from ..services import interviews as service
from ..services import presenters
from . import bp
from .forms import UNTIMED, ActionForm, AnswerForm, DraftForm, RetryForm, StartForm, TurnForm

# The loser of a race, or a submit for a question no longer asked: the page says so and keeps the text.
SUPERSEDED = (AlreadyAnswered, InterviewFinished, TurnNotOpen)


def signed_in_or_back_to_chat(view):
    """Require a sign-in; a signed-out post goes to sign-in and then back to the chat, not to this post's URL.

    The typed text stays in the browser's storage and the chat page puts it back.
    """

    @wraps(view)
    def guarded(interview_id: int, **kwargs):
        if current_user.is_authenticated:
            return view(interview_id, **kwargs)
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error=_("signed out — sign in to keep saving"), signed_out=True), 401
        flash(_("You were signed out. Sign in to continue; your answer is kept in this browser."))
        return redirect(url_for("auth.login", next=url_for(".show", interview_id=interview_id)), 303)

    return guarded


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Choose topics, mode, number of questions and time, then start."""
    form = StartForm()
    topics = [count for count in bank_service.topic_counts() if count.questions]
    form.topics.choices = [SelectChoice(count.topic.slug) for count in topics]
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        chosen, included = form.topics.data or [], bool(form.include_unanswered.data)
        available = bank_service.askable_count(topics, chosen, included)
        unanswered = 0 if included else bank_service.askable_count(topics, chosen, True) - available
        return render_template("interview/new.html", form=form, topics=topics, available=available,
                               unanswered=unanswered), status
    interview = service.start_interview(
        current_user, topic_slugs=form.topics.data or [], mode=form.mode.data, count=form.count.data,
        seconds=None if form.seconds.data == UNTIMED else form.seconds.data,
        include_unanswered=form.include_unanswered.data, follow_ups=form.follow_ups.data,
    )
    if len(interview.questions) < form.count.data:
        flash(ngettext("You asked for %(asked)d questions; these topics have %(num)d to ask, so this interview has "
                       "%(num)d.", "You asked for %(asked)d questions; these topics have %(num)d to ask, so this "
                       "interview has %(num)d.", len(interview.questions), asked=form.count.data), "info")
    return redirect(url_for(".show", interview_id=interview.id))


@bp.get("/<int:interview_id>")
@login_required
def show(interview_id: int):
    """Show the chat at the current question, drill feedback, or the debrief once finished."""
    feedback = request.args.get("feedback", type=int)
    if feedback:
        interview = service.get_interview(current_user, interview_id)
        if interview.finished or interview.mode == Mode.MOCK:
            return redirect(url_for(".show", interview_id=interview_id))
        return _chat(interview, feedback=feedback)
    interview = service.show_interview(current_user, interview_id)
    if interview.finished:
        return _debrief(interview)
    return _chat(interview)


@bp.post("/<int:interview_id>/answer")
@signed_in_or_back_to_chat
def answer(interview_id: int):
    """Record the answer to the current question."""
    form = AnswerForm()
    if not form.validate_on_submit():
        interview = service.get_interview(current_user, interview_id)
        return _chat(interview, form=form), 400
    try:
        turn = service.submit_answer(current_user, interview_id, int(form.turn.data), form.answer.data,
                                     form.key.data)
    except AnswerTooLong as error:
        interview = service.get_interview(current_user, interview_id)
        return _chat(interview, error=str(error)), error.status
    except SUPERSEDED as error:
        return _chat(service.get_interview(current_user, interview_id), error=str(error),
                     kept=form.answer.data), error.status
    question = turn.parent or turn
    if turn.interview.mode != Mode.MOCK and not turn.interview.finished and service.feedback_visible(
            turn.interview, question):
        return redirect(url_for(".show", interview_id=interview_id, feedback=question.number,
                                _anchor=f"turn-{question.number}"))
    return redirect(url_for(".show", interview_id=interview_id,
                            _anchor=None if turn.interview.finished else "current-question"))


@bp.post("/<int:interview_id>/draft")
@signed_in_or_back_to_chat
def draft(interview_id: int):
    """Autosave the draft of the current question."""
    form = DraftForm()
    if not form.validate_on_submit():
        return jsonify(error=_("The draft could not be read.")), 400
    state = service.save_draft(current_user, interview_id, int(form.turn.data), form.answer.data)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(saved=state.saved_at.isoformat() if state.saved_at else None,
                       label=_saved_label(state.saved_at), closed=state.closed)
    return redirect(url_for(".show", interview_id=interview_id))


@bp.post("/<int:interview_id>/skip")
@signed_in_or_back_to_chat
def skip(interview_id: int):
    """Skip the current question."""
    form = TurnForm()
    if not form.validate_on_submit():
        abort(400)
    service.skip(current_user, interview_id, int(form.turn.data))
    return redirect(url_for(".show", interview_id=interview_id))


@bp.post("/<int:interview_id>/finish")
@signed_in_or_back_to_chat
def finish(interview_id: int):
    """End the interview early, grading what is typed for the open question, and go to the debrief."""
    if not ActionForm().validate_on_submit():
        abort(400)
    form = AnswerForm()
    typed = (int(form.turn.data), form.answer.data or "", form.key.data) if form.validate() else None
    try:
        service.finish(current_user, interview_id, typed)
    except AnswerTooLong as error:
        return _chat(service.get_interview(current_user, interview_id), error=str(error)), error.status
    except SUPERSEDED as error:
        return _chat(service.get_interview(current_user, interview_id), error=str(error),
                     kept=typed[1] if typed else None), error.status
    return redirect(url_for(".debrief", interview_id=interview_id))


@bp.get("/<int:interview_id>/debrief")
@login_required
def debrief(interview_id: int):
    """Show the scored debrief of a finished interview."""
    interview = service.get_interview(current_user, interview_id)
    if not interview.finished:
        return redirect(url_for(".show", interview_id=interview_id))
    return _debrief(interview)


@bp.post("/<int:interview_id>/turns/<int:number>/points/<point_uid>/override")
@login_required
def override(interview_id: int, number: int, point_uid: str):
    """Count a missed or partial key point as covered, at the candidate's word."""
    if not ActionForm().validate_on_submit():
        abort(400)
    turn = service.override_point(current_user, interview_id, number, point_uid)
    if turn.interview.finished:
        return redirect(url_for(".debrief", interview_id=interview_id, _anchor=f"turn-{number}"))
    return redirect(url_for(".show", interview_id=interview_id, feedback=number, _anchor=f"turn-{number}"))


@bp.post("/<int:interview_id>/turns/<int:number>/retry")
@signed_in_or_back_to_chat
def retry(interview_id: int, number: int):
    """Grade a second attempt at a drilled question and show both."""
    form = RetryForm()
    if not form.validate_on_submit():
        flash(_("Type your second attempt first."), "error")
    else:
        try:
            service.try_again(current_user, interview_id, number, form.answer.data, form.key.data)
        except (AnswerTooLong, AlreadyAnswered) as error:
            flash(str(error), "error")
            if isinstance(error, AnswerTooLong):  # the text comes back in its box to be shortened
                return _feedback_or_debrief(service.get_interview(current_user, interview_id), number,
                                            (number, form.answer.data)), error.status
    interview = service.get_interview(current_user, interview_id)
    if interview.finished:
        return redirect(url_for(".debrief", interview_id=interview_id, _anchor=f"turn-{number}"))
    return redirect(url_for(".show", interview_id=interview_id, feedback=number, _anchor=f"turn-{number}"))


@bp.post("/<int:interview_id>/drill")
@login_required
def drill_missed(interview_id: int):
    """Start a drill on the questions of this interview that scored low."""
    if not ActionForm().validate_on_submit():
        abort(400)
    drill = service.drill_missed(current_user, interview_id)
    return redirect(url_for(".show", interview_id=drill.id))


@bp.post("/practise/<int:question_id>")
@login_required
def practise(question_id: int):
    """Start a one-question drill on a question of the bank."""
    if not ActionForm().validate_on_submit():
        abort(400)
    drill = service.practise(current_user, question_id)
    return redirect(url_for(".show", interview_id=drill.id, _anchor="current-question"))


def _saved_label(saved_at) -> str:
    if saved_at is None:
        return ""
    return _("saved %(time)s", time=format_time(saved_at, "HH:mm:ss"))


def _chat(interview, *, form: AnswerForm | None = None, feedback: int | None = None, error: str | None = None,
          kept: str | None = None, kept_retry: tuple[int, str] | None = None):
    """Render the chat page; a fresh submission key per render lets a resubmit of this page count once.

    `kept` is text this tab sent for a question closed meanwhile: it fills the answer box of the question now
    asked, or is shown apart when none is.
    """
    turn = None if feedback else service.current_turn(interview)
    if form is None:
        form = AnswerForm()
        form.answer.data = turn.draft if turn is not None else ""
    if kept and turn is not None and not (turn.draft or "").strip():
        form.answer.data = kept
        kept = None
    if turn is not None:
        form.turn.data = str(turn.number)
    form.key.data = secrets.token_urlsafe(16)
    remaining = service.remaining_seconds(turn) if turn is not None else None
    closed_turns = presenters.closed_turn_views(interview)
    return render_template(
        "interview/chat.html", interview=interview, turn=turn, form=form,
        action_form=ActionForm() if feedback else None,  # its one use: "End interview" under feedback
        feedback=feedback, error=error, kept=kept, remaining=remaining,
        countdown=clock_text(remaining) if remaining is not None else None,
        draft_label=_saved_label(turn.draft_saved_at) if turn is not None else "",
        max_chars=current_app.config["MAX_ANSWER_CHARS"], closed_turns=closed_turns,
        opening=presenters.opening_line(interview), questions=len(interview.questions),
        retry_form=_retry_form(closed_turns, kept_retry),
    )


def _retry_form(views: Iterable[presenters.TurnView], kept: tuple[int, str] | None = None) -> RetryForm | None:
    """A second-attempt form with a fresh submission key, so a resubmit of the page counts once, when one of
    `views` may be tried again (None otherwise: a form costs a CSRF token); `kept` is (question number, text)
    refused, shown again in that question's box."""
    if not any(view.can_retry for view in views):
        return None
    form = RetryForm(formdata=None)
    form.key.data = secrets.token_urlsafe(16)
    form.kept_for, form.answer.data = kept if kept else (None, "")
    return form


def _feedback_or_debrief(interview, number: int, kept: tuple[int, str]):
    if interview.finished:
        return _debrief(interview, kept)
    return _chat(interview, feedback=number, kept_retry=kept)


def _debrief(interview, kept_retry: tuple[int, str] | None = None):
    debrief = presenters.debrief_view(interview)
    return render_template("interview/debrief.html", debrief=debrief,
                           action_form=ActionForm() if debrief.can_drill else None,  # its one use
                           retry_form=_retry_form(debrief.turns, kept_retry))
