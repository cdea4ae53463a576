"""The survey after the stay: one answer per participant, after departure, anonymous results."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import InvitationPlan, PlanState
from participants.domain.survey import (
    answer_survey,
    may_answer,
    results,
    results_for_call,
    results_for_plan,
)
from participants.models import SurveyAnswer
from tests.factories import PlanFactory

from .portal_builders import participant_of, signed_up

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def stay_over(plan, state=PlanState.COMPLETED):
    """The plan ran and its participants left Japan two weeks ago."""
    InvitationPlan.objects.filter(pk=plan.pk).update(
        state=state,
        arrival_on=TODAY - timedelta(days=20),
        departure_on=TODAY - timedelta(days=14),
    )
    plan.refresh_from_db()
    return plan


def answers(overall=5, **fields):
    return {
        "satisfaction_overall": overall,
        "satisfaction_program": 4,
        "satisfaction_host": 5,
        "would_study_in_japan": "yes",
        "would_recommend": True,
        "free_text": "",
        "language": "en",
        **fields,
    }


def answered(participant, **fields):
    return SurveyAnswer.objects.create(participant=participant, **answers(**fields))


def form_data(**fields):
    return {
        "satisfaction_overall": "5",
        "satisfaction_program": "4",
        "satisfaction_host": "3",
        "would_study_in_japan": "maybe",
        "would_recommend": "yes",
        "free_text": "The lab visits were the best part.",
        **fields,
    }


@pytest.fixture
def plan(institution):
    return stay_over(PlanFactory(host=institution))


@pytest.fixture
def participant(plan):
    participant = participant_of(plan)
    signed_up(participant)
    return participant


def people(plan, count):
    return [
        participant_of(plan, family_name=f"Person{n}", email=f"p{n}@example.ac.th")
        for n in range(count)
    ]


def survey_url(participant):
    return reverse("participant_survey", args=[participant.pk])


# Who may answer, and when


def test_may_answer_after_departure_until_answered(participant):
    assert may_answer(participant, TODAY)
    answered(participant)
    assert not may_answer(participant, TODAY)


def test_may_not_answer_before_departure(participant):
    assert not may_answer(participant, participant.plan.departure_on)
    assert not may_answer(participant, participant.plan.departure_on - timedelta(days=3))


@pytest.mark.parametrize("state", [PlanState.APPROVED, PlanState.WITHDRAWN])
def test_may_not_answer_for_a_plan_that_did_not_run(participant, state):
    InvitationPlan.objects.filter(pk=participant.plan_id).update(state=state)
    participant.plan.refresh_from_db()
    assert not may_answer(participant, TODAY)


def test_answer_refused_before_departure(participant):
    InvitationPlan.objects.filter(pk=participant.plan_id).update(
        state=PlanState.IN_PROGRESS, departure_on=TODAY + timedelta(days=2)
    )
    participant.plan.refresh_from_db()
    with pytest.raises(ValidationError):
        answer_survey(participant, answers(), by=participant.user)
    assert not SurveyAnswer.objects.exists()


def test_answer_refused_to_anyone_but_the_participant(participant, coordinator):
    with pytest.raises(ValidationError):
        answer_survey(participant, answers(), by=coordinator)
    assert not SurveyAnswer.objects.exists()


def test_second_answer_refused(participant):
    answer_survey(participant, answers(overall=5), by=participant.user)
    with pytest.raises(ValidationError):
        answer_survey(participant, answers(overall=1), by=participant.user)
    assert SurveyAnswer.objects.get().satisfaction_overall == 5


def test_database_holds_one_answer_per_participant(participant):
    answered(participant)
    with pytest.raises(IntegrityError), transaction.atomic():
        answered(participant)


def test_database_refuses_scores_outside_1_to_5(participant):
    with pytest.raises(IntegrityError), transaction.atomic():
        answered(participant, overall=6)


# The questionnaire page


def test_form_is_bilingual(client, participant):
    client.force_login(participant.user)
    page = client.get(survey_url(participant)).content.decode()
    assert "How satisfied are you overall? / 全体の満足度" in page
    assert "5 — Very satisfied / とても満足" in page
    assert 'type="radio"' in page


def test_participant_answers_once_and_is_thanked(client, participant):
    client.force_login(participant.user)
    response = client.post(survey_url(participant), form_data(), follow=True)
    assert "Thank you for telling us about your stay!" in response.content.decode()
    answer = SurveyAnswer.objects.get(participant=participant)
    assert (answer.satisfaction_overall, answer.satisfaction_host) == (5, 3)
    assert answer.would_study_in_japan == "maybe" and answer.would_recommend is True
    assert answer.language == "en"

    again = client.get(survey_url(participant)).content.decode()
    assert "You have already answered the survey" in again
    client.post(survey_url(participant), form_data(satisfaction_overall="1"))
    assert SurveyAnswer.objects.get().satisfaction_overall == 5


def test_answer_in_japanese_records_the_language(client, participant):
    participant.user.preferred_language = "ja"
    participant.user.save(update_fields=["preferred_language"])
    client.force_login(participant.user)
    client.post(survey_url(participant), form_data())
    assert SurveyAnswer.objects.get().language == "ja"


def test_incomplete_form_is_shown_again(client, participant):
    client.force_login(participant.user)
    response = client.post(survey_url(participant), form_data(satisfaction_host=""))
    assert response.status_code == 400
    assert not SurveyAnswer.objects.exists()


def test_survey_not_open_before_departure(client, participant):
    InvitationPlan.objects.filter(pk=participant.plan_id).update(
        departure_on=TODAY + timedelta(days=1)
    )
    client.force_login(participant.user)
    page = client.get(survey_url(participant)).content.decode()
    assert "The survey opens after your departure from Japan." in page
    client.post(survey_url(participant), form_data())
    assert not SurveyAnswer.objects.exists()


def test_another_participants_survey_is_not_found(client, plan, participant):
    other = participant_of(plan, family_name="Other", email="other@example.ac.th")
    signed_up(other)
    client.force_login(participant.user)
    assert client.get(survey_url(other)).status_code == 404
    assert client.post(survey_url(other), form_data()).status_code == 404
    assert not SurveyAnswer.objects.exists()


def test_home_links_to_the_survey_after_departure_while_unanswered(client, participant):
    client.force_login(participant.user)
    home = reverse("participant_home")
    assert survey_url(participant) in client.get(home).content.decode()
    answered(participant)
    assert survey_url(participant) not in client.get(home).content.decode()


def test_home_has_no_survey_link_before_departure(client, participant):
    InvitationPlan.objects.filter(pk=participant.plan_id).update(
        departure_on=TODAY + timedelta(days=1)
    )
    client.force_login(participant.user)
    assert survey_url(participant) not in client.get(reverse("participant_home")).content.decode()


# Results, computed by hand


def test_results_of_a_known_set(plan):
    first, second, third = people(plan, 3)
    answered(first, overall=5, would_study_in_japan="yes", free_text="Wonderful labs.")
    answered(second, overall=4, would_study_in_japan="yes", would_recommend=False)
    answered(third, overall=3, satisfaction_host=2, would_study_in_japan="no", free_text="Cold.")

    figures = results_for_plan(plan)

    assert figures["count"] == 3
    overall = figures["scales"]["satisfaction_overall"]
    assert overall["mean"] == 4.0
    assert overall["distribution"] == {1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    assert figures["scales"]["satisfaction_host"]["mean"] == 4.0  # (5 + 5 + 2) / 3
    assert figures["scales"]["satisfaction_program"]["distribution"][4] == 3
    assert figures["would_study"]["yes"] == {"count": 2, "share": 0.6667}
    assert figures["would_study"]["maybe"] == {"count": 0, "share": 0}
    assert figures["would_study"]["no"] == {"count": 1, "share": 0.3333}
    assert figures["would_recommend"]["count"] == 2
    assert figures["free_texts"] == ["Wonderful labs.", "Cold."]


def test_mean_is_rounded_to_two_places(plan):
    for person, score in zip(people(plan, 3), [5, 5, 4], strict=True):
        answered(person, overall=score)
    assert results_for_plan(plan)["scales"]["satisfaction_overall"]["mean"] == 4.67


def test_results_without_answers(plan):
    assert results_for_plan(plan) == {"count": 0, "shown": False, "minimum": 3}


def test_results_per_plan_and_per_call(plan):
    same_call = stay_over(PlanFactory(call=plan.call))
    other_call = stay_over(PlanFactory())
    for person in people(plan, 3):
        answered(person, overall=5)
    for person in people(same_call, 3):
        answered(person, overall=3)
    for person in people(other_call, 3):
        answered(person, overall=1)

    assert results_for_plan(plan)["scales"]["satisfaction_overall"]["mean"] == 5.0
    by_call = results_for_call(plan.call)
    assert by_call["count"] == 6
    assert by_call["scales"]["satisfaction_overall"]["mean"] == 4.0


def test_results_take_a_fixed_number_of_queries(plan, django_assert_num_queries):
    for person in people(plan, 3):
        answered(person)
    with django_assert_num_queries(2):
        results(SurveyAnswer.objects.filter(participant__plan=plan))
    for person in people(plan, 6)[3:]:
        answered(person)
    with django_assert_num_queries(2):
        results(SurveyAnswer.objects.filter(participant__plan=plan))


# Too few answers to show: one or two answers would be one person's scores and words


def test_plan_results_with_fewer_than_three_answers_are_not_shown(plan):
    first, second = people(plan, 2)
    answered(first, overall=1, free_text="My supervisor ignored me.")
    answered(second, overall=5)
    assert results_for_plan(plan) == {"count": 2, "shown": False, "minimum": 3}


def test_plan_results_are_shown_from_the_third_answer(plan):
    for person in people(plan, 3):
        answered(person, overall=4, free_text="Good.")
    figures = results_for_plan(plan)
    assert figures["shown"] is True
    assert figures["scales"]["satisfaction_overall"]["mean"] == 4.0
    assert figures["free_texts"] == ["Good.", "Good.", "Good."]


def test_minimum_is_a_setting(plan, settings):
    settings.SURVEY_MIN_ANSWERS = 5
    for person in people(plan, 4):
        answered(person)
    assert results_for_plan(plan)["shown"] is False
    settings.SURVEY_MIN_ANSWERS = 4
    assert results_for_plan(plan)["shown"] is True


def test_call_results_with_fewer_than_three_answers_are_not_shown(plan):
    """Two plans of the call with one answer each: the call's figures would be two people's."""
    answered(people(plan, 1)[0], overall=1)
    answered(people(stay_over(PlanFactory(call=plan.call)), 1)[0], overall=5)
    assert results_for_call(plan.call) == {"count": 2, "shown": False, "minimum": 3}


def test_hidden_results_take_one_query(plan, django_assert_num_queries):
    answered(people(plan, 1)[0])
    with django_assert_num_queries(1):
        results(SurveyAnswer.objects.filter(participant__plan=plan))


# The results pages


def plan_results_url(plan):
    return reverse("plan_survey_results", args=[plan.pk])


def call_results_url(call):
    return reverse("call_survey_results", args=[call.pk])


def test_host_coordinator_sees_results_with_free_texts_but_no_names(client, plan, coordinator):
    first, second, third = people(plan, 3)
    answered(first, overall=5, free_text="I want to come back for my PhD.")
    answered(second, overall=3)
    answered(third, overall=4)
    client.force_login(coordinator)
    response = client.get(plan_results_url(plan))
    assert response.status_code == 200
    page = response.content.decode()
    assert "I want to come back for my PhD." in page
    assert "How satisfied are you overall? / 全体の満足度" in page
    assert "4.00" in page
    for person in (first, second, third):
        assert person.family_name not in page
        assert person.email not in page


TOO_FEW = (
    "Results are shown once 3 participants have answered, so that no one's answers can be "
    "recognised."
)


def test_host_coordinator_sees_no_results_of_two_answers(client, plan, coordinator):
    first, second = people(plan, 2)
    answered(first, overall=1, satisfaction_program=2, free_text="The dormitory was awful.")
    answered(second, overall=2, satisfaction_program=2)
    client.force_login(coordinator)
    page = client.get(plan_results_url(plan)).content.decode()
    assert "2 of 2 participants answered." in page
    assert TOO_FEW in page
    assert "The dormitory was awful." not in page
    assert "1.50" not in page and "全体の満足度" not in page


def test_staff_call_page_hides_plans_with_too_few_answers(client, plan, staff_user):
    """The call has enough answers, but the plan-by-plan table must not show the mean of a
    plan with one answer: that would be the person's own score."""
    lonely = stay_over(PlanFactory(call=plan.call))
    for person in people(plan, 3):
        answered(person, overall=4)
    answered(people(lonely, 1)[0], overall=1)
    client.force_login(staff_user)
    response = client.get(call_results_url(plan.call))
    page = response.content.decode()
    rows = {row.reference: row for row in response.context["plans"]}
    assert (rows[plan.reference].answers, rows[plan.reference].overall) == (3, 4.0)
    assert (rows[lonely.reference].answers, rows[lonely.reference].overall) == (1, None)
    assert "too few answers to show" in page
    assert "3.25" in page  # the call's mean over its 4 answers


@pytest.mark.parametrize("who", ["other_coordinator", "reviewer"])
def test_plan_results_not_found_for_others(client, plan, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(plan_results_url(plan)).status_code == 404


def test_participant_does_not_see_plan_results(client, participant):
    client.force_login(participant.user)
    assert client.get(plan_results_url(participant.plan)).status_code == 404


def test_staff_see_plan_and_call_results(client, plan, staff_user):
    person, *others = people(plan, 3)
    answered(person, overall=4, free_text="Great hosts.")
    for other in others:
        answered(other, overall=4)
    client.force_login(staff_user)
    assert client.get(plan_results_url(plan)).status_code == 200
    response = client.get(call_results_url(plan.call))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Great hosts." in page
    assert plan.reference in page
    assert person.family_name not in page


@pytest.mark.parametrize("who", ["coordinator", "reviewer", "other_coordinator"])
def test_call_results_refused_to_all_but_staff(client, plan, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(call_results_url(plan.call)).status_code == 403


def test_call_results_page_queries_do_not_grow_with_plans(
    client, plan, staff_user, django_assert_max_num_queries
):
    for person in people(plan, 3):  # enough answers for the figures to be shown
        answered(person)
    client.force_login(staff_user)
    client.get(call_results_url(plan.call))  # warm the session and permission caches
    with CaptureQueriesContext(connection) as one_plan:
        client.get(call_results_url(plan.call))
    for _ in range(2):
        answered(people(stay_over(PlanFactory(call=plan.call)), 1)[0])
    with django_assert_max_num_queries(len(one_plan)):
        client.get(call_results_url(plan.call))
