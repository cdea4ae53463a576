"""Operators (superusers) administer the portal; they do not act as hosts, reviewers or staff.

Django gives a superuser every permission (`PermissionsMixin.has_perm` answers True before
asking any backend). In the portal a superuser's permissions are those of their roles, exactly
as for anyone else: the admin site still works for them through Django's model permissions.
"""

import pytest
import rules
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from applications.domain.states import set_plan_state, submit_plan
from applications.models import PlanState
from tests.applications.test_views_permissions import (
    EDITOR_REQUESTS,
    PLAN_REQUESTS,
    _id,
    send,
    with_everything,
)
from tests.applications.view_helpers import snapshot
from tests.conftest import with_two_factor
from tests.factories import PlanFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def operator(db):
    """An operator: superuser, not a program officer, a member of no institution."""
    return with_two_factor(UserFactory(is_superuser=True, full_name="Operator"))


@pytest.fixture
def operator_and_officer(db):
    """The demo's admin: an operator who is also a program officer."""
    return with_two_factor(UserFactory(is_superuser=True, is_staff=True, full_name="Admin"))


@pytest.fixture
def draft(institution):
    return with_everything(PlanFactory(host=institution, state=PlanState.REVISION_REQUESTED))


@pytest.mark.parametrize(("name", "method"), PLAN_REQUESTS, ids=map(_id, PLAN_REQUESTS))
def test_plan_url_answers_404_to_operator_without_membership(client, draft, operator, name, method):
    before = snapshot(draft)
    client.force_login(operator)
    assert send(client, name, method, draft).status_code == 404
    assert snapshot(draft) == before


@pytest.mark.parametrize(("name", "method"), EDITOR_REQUESTS, ids=map(_id, EDITOR_REQUESTS))
def test_editor_answers_403_to_operator_who_is_a_program_officer(
    client, draft, operator_and_officer, name, method
):
    """Seeing every plan as a program officer, the operator still never writes in a draft."""
    before = snapshot(draft)
    client.force_login(operator_and_officer)
    assert send(client, name, method, draft).status_code == 403
    assert snapshot(draft) == before


def test_operator_cannot_submit_a_hosts_draft(institution, operator):
    plan = PlanFactory(host=institution, complete=True)
    with pytest.raises(PermissionDenied):
        submit_plan(plan, by=operator)
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT


def test_operator_cannot_move_plans_unless_also_a_program_officer(
    institution, operator, operator_and_officer
):
    plan = PlanFactory(host=institution, state=PlanState.SUBMITTED)
    with pytest.raises(PermissionDenied):
        set_plan_state(plan, PlanState.UNDER_REVIEW, by=operator)
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED
    set_plan_state(plan, PlanState.UNDER_REVIEW, by=operator_and_officer)
    assert plan.state == PlanState.UNDER_REVIEW


def test_staff_pages_answer_403_to_operator_who_is_no_program_officer(client, operator):
    client.force_login(operator)
    assert client.get(reverse("staff_dashboard")).status_code == 403


# The operator's own role (DESIGN.md, "People and roles": admin — Django admin, user support).
OPERATOR_PERMISSIONS = {"accounts.use_admin_site"}


def answer(user, perm, obj):
    """What `user.has_perm` answers, or the kind of error it raises for an object of another
    kind (the loop below offers each permission a plan and an institution)."""
    try:
        return user.has_perm(perm, obj)
    except (AttributeError, TypeError) as error:
        return type(error)


def test_every_portal_permission_answers_a_superuser_as_the_same_person_without_it(
    institution,
):
    """Without an object and with one (a plan, an institution), a superuser's answer is that of
    the same person who is not a superuser: no role, no permission. Only the admin site is the
    operator's own."""
    plan = PlanFactory(host=institution, state=PlanState.SUBMITTED)
    for perm in sorted(set(rules.permissions.permissions) - OPERATOR_PERMISSIONS):
        for obj in (None, plan, institution):
            # New users each time: no cached membership masks the answer.
            plain = UserFactory(full_name="Plain")
            superuser = UserFactory(full_name="Super", is_superuser=True)
            assert answer(superuser, perm, obj) == answer(plain, perm, obj), (perm, obj)
    assert len(rules.permissions.permissions) > 20  # the apps' rules.py were all loaded


def test_operator_may_use_the_admin_site(operator, staff_user):
    assert operator.has_perm("accounts.use_admin_site")
    assert staff_user.has_perm("accounts.use_admin_site")
    assert not UserFactory().has_perm("accounts.use_admin_site")


def test_admin_site_works_for_an_operator(client, operator, draft):
    client.force_login(operator)
    assert client.get(reverse("admin:index")).status_code == 200
    changelist = client.get(reverse("admin:applications_invitationplan_changelist"))
    assert changelist.status_code == 200
    assert draft.reference in changelist.content.decode()
    change = client.get(reverse("admin:applications_invitationplan_change", args=[draft.pk]))
    assert change.status_code == 200


def test_admin_site_works_for_operator_who_is_also_a_program_officer(
    client, operator_and_officer, draft
):
    client.force_login(operator_and_officer)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    change = client.get(reverse("admin:applications_invitationplan_change", args=[draft.pk]))
    assert change.status_code == 200


def test_admin_site_answers_program_officer_only_through_granted_model_permissions(
    client, staff_user
):
    """A program officer who is not an operator sees the admin's index, but no model they
    were not granted."""
    client.force_login(staff_user)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
