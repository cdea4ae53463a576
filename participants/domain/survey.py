"""The questionnaire after the stay: who may answer, saving the one answer, and the results.

Results are anonymous: they give counts, means, distributions and the free texts, never who
wrote what. Below a minimum number of answers (`minimum_answers()`) a plan's or a call's
results are not shown at all: with one or two answers the "means" are one person's scores
and the comments are theirs, recognisable to a host who knows who came.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import InvitationPlan, PlanState

from ..models import Participant, SurveyAnswer

# The survey opens once the stay is over: the plan ran and the departure date has passed.
SCALE_VALUES = range(1, 6)


def has_answered(participant):
    return SurveyAnswer.objects.filter(participant=participant).exists()


def survey_open(plan, today):
    """The plan's stay is over: departure date passed and the plan ran."""
    return (
        plan.departure_on is not None
        and plan.departure_on < today
        and plan.state in PlanState.stay_begun()
    )


def may_answer(participant, today):
    """The stay is over and this participant has not answered yet."""
    return survey_open(participant.plan, today) and not has_answered(participant)


def answer_survey(participant, data, *, by):
    """Save `participant`'s one answer from `data` (the questionnaire's cleaned fields).

    Side effects: creates one SurveyAnswer, in one transaction. Raises ValidationError when
    `by` is not the participant, the stay is not over yet or an answer exists already (the
    one-to-one constraint in the database settles a race between two submissions).
    """
    if participant.user_id is None or participant.user_id != by.pk:
        raise ValidationError(_("Only the participant may answer their survey."))
    today = timezone.localdate()
    if not survey_open(participant.plan, today):
        raise ValidationError(_("The survey opens after your departure from Japan."))
    answer = SurveyAnswer(participant=participant, **data)
    answer.full_clean(exclude=["participant"])
    try:
        with transaction.atomic():
            # Lock the participant so that two submissions at once are decided one after
            # the other; the unique participant column is the last word either way.
            Participant.objects.select_for_update().filter(pk=participant.pk).first()
            if has_answered(participant):
                raise ValidationError(_("You have already answered this survey. Thank you!"))
            answer.save()
    except IntegrityError as error:
        raise ValidationError(_("You have already answered this survey. Thank you!")) from error
    return answer


def minimum_answers():
    """The fewest answers whose results are shown (setting SURVEY_MIN_ANSWERS, default 3)."""
    return settings.SURVEY_MIN_ANSWERS


def results(answers):
    """Counts, means, distributions and free texts of a queryset of answers.

    Two queries whatever the number of answers: one aggregate, one for the free texts.
    Returns {"count", "shown": True, "minimum", "scales": {name: {"mean", "distribution":
    {1..5: n}}}, "would_study": {"yes"|"maybe"|"no": {"count", "share"}}, "would_recommend",
    "free_texts": [str]}. Means are rounded to 2 places; shares are fractions of 1. With fewer
    answers than `minimum_answers()`: only {"count", "shown": False, "minimum"} (one query).
    """
    aggregates = {"count": Count("pk"), "recommend": Count("pk", filter=Q(would_recommend=True))}
    for scale in SurveyAnswer.SCALES:
        aggregates[f"{scale}__mean"] = Avg(scale)
        for value in SCALE_VALUES:
            aggregates[f"{scale}__{value}"] = Count("pk", filter=Q(**{scale: value}))
    for choice in SurveyAnswer.WouldStudy.values:
        aggregates[f"study__{choice}"] = Count("pk", filter=Q(would_study_in_japan=choice))
    row = answers.order_by().aggregate(**aggregates)
    count = row["count"]
    minimum = minimum_answers()
    if count < minimum:
        return {"count": count, "shown": False, "minimum": minimum}

    def share(number):
        return round(number / count, 4) if count else 0

    scales = {
        scale: {
            "mean": round(row[f"{scale}__mean"], 2) if count else None,
            "distribution": {value: row[f"{scale}__{value}"] for value in SCALE_VALUES},
        }
        for scale in SurveyAnswer.SCALES
    }
    would_study = {
        choice: {"count": row[f"study__{choice}"], "share": share(row[f"study__{choice}"])}
        for choice in SurveyAnswer.WouldStudy.values
    }
    free_texts = list(
        answers.exclude(free_text="")
        .order_by("submitted_at", "pk")
        .values_list("free_text", flat=True)
    )
    return {
        "count": count,
        "shown": True,
        "minimum": minimum,
        "scales": scales,
        "would_study": would_study,
        "would_recommend": {"count": row["recommend"], "share": share(row["recommend"])},
        "free_texts": free_texts,
    }


def results_for_plan(plan):
    return results(SurveyAnswer.objects.filter(participant__plan=plan))


def results_for_call(call):
    return results(SurveyAnswer.objects.filter(participant__plan__call=call))


def results_by_plan(call):
    """The plans of `call` that have answers, each with `answers` (how many) and `overall` (the
    mean overall satisfaction, None below `minimum_answers()`). One query."""
    minimum = minimum_answers()
    plans = list(
        InvitationPlan.objects.filter(call=call, participants__survey_answer__isnull=False)
        .select_related("host")
        .annotate(
            answers=Count("participants__survey_answer"),
            overall=Avg("participants__survey_answer__satisfaction_overall"),
        )
        .order_by("reference", "pk")
    )
    for plan in plans:
        if plan.answers < minimum:
            plan.overall = None
    return plans
