"""A contact at a body abroad: joins by a single-use link bound to the invited address, sees
and changes only their own body's nominations for the plans they were invited to."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from common.spreadsheets import looks_like_formula
from nominations.domain.invitations import invite_nominator, new_link_token
from nominations.models import Nomination, NominationRound, Nominator, NominatorInvitation
from notifications import links
from notifications.models import Notification

from ..factories import PlanFactory, UserFactory
from .conftest import make_nomination

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def candidate(**changes):
    """The form's fields for a Thai graduate student born 2001 (25 on arrival in 2027)."""
    return {
        "family_name": "BOONMA",
        "given_name": "Pim",
        "native_name": "พิม บุญมา",
        "date_of_birth": "2001-04-02",
        "gender": "female",
        "nationality": "TH",
        "category": "graduate",
        "email": "pim@example.org",
        "home_institution_name": "Mahidol University",
        "motivation": "Works on perovskite cells.",
        **changes,
    }


def invitation_token(direct_plan, body, staff_user, email="contact@mhesi.go.th"):
    """Invite, then make the link's token as the outbox does when it sends the mail."""
    invitation = invite_nominator(direct_plan, body, email, by=staff_user)
    return invitation, new_link_token(invitation.pk)


def test_invitation_email_keeps_its_link_masked_in_the_outbox(direct_plan, body, staff_user):
    invitation = invite_nominator(direct_plan, body, "contact@mhesi.go.th", by=staff_user)
    message = Notification.objects.get(kind=Notification.Kind.NOMINATOR_INVITED)
    assert message.to_email == "contact@mhesi.go.th"
    assert links.MASK in message.body
    assert message.link_for == invitation.pk


def test_contact_joins_once_and_lands_on_their_nominations(client, direct_plan, body, staff_user):
    invitation, token = invitation_token(direct_plan, body, staff_user)
    url = reverse("nominator_join", args=[token])
    response = client.post(
        url,
        {
            "full_name": "Somchai K.",
            "password1": "a-long-pass-phrase-42",
            "password2": "a-long-pass-phrase-42",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("nominator_plan", args=[direct_plan.pk])
    user = User.objects.get(email="contact@mhesi.go.th")
    assert Nominator.objects.filter(user=user, body=body, plan=direct_plan).count() == 1
    assert not user.is_staff

    client.logout()
    again = client.post(
        url,
        {
            "full_name": "Someone",
            "password1": "another-pass-phrase-7",
            "password2": "another-pass-phrase-7",
        },
    )
    assert again.status_code == 404
    assert Nominator.objects.count() == 1


def test_link_is_bound_to_the_invited_address(client, direct_plan, body, staff_user):
    _invitation, token = invitation_token(direct_plan, body, staff_user)
    someone_else = UserFactory(email="other@example.org")
    client.force_login(someone_else)
    response = client.post(reverse("nominator_join", args=[token]), {})
    assert response.status_code == 403
    assert not Nominator.objects.exists()
    assert NominatorInvitation.objects.get().used_at is None


def test_existing_account_must_sign_in_before_using_the_link(client, direct_plan, body, staff_user):
    UserFactory(email="contact@mhesi.go.th")
    _invitation, token = invitation_token(direct_plan, body, staff_user)
    response = client.post(
        reverse("nominator_join", args=[token]),
        {
            "full_name": "X",
            "password1": "a-long-pass-phrase-42",
            "password2": "a-long-pass-phrase-42",
        },
    )
    assert response.status_code == 400
    assert "sign in" in response.content.decode()
    assert not Nominator.objects.exists()


def test_staff_invite_only_for_agency_plans(body, staff_user, coordinator, direct_plan):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError):
        invite_nominator(PlanFactory(), body, "x@example.org", by=staff_user)
    with pytest.raises(PermissionDenied):
        invite_nominator(direct_plan, body, "x@example.org", by=coordinator)


def test_nominator_nominates_and_sees_their_candidates(client, direct_plan, body, nominator):
    client.force_login(nominator)
    response = client.post(reverse("nomination_create", args=[direct_plan.pk]), candidate())
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert (nomination.body, nomination.nominator.user) == (body, nominator)
    page = client.get(reverse("nominator_plan", args=[direct_plan.pk])).content.decode()
    assert "BOONMA Pim" in page


def test_nominator_sees_only_their_own_bodys_nominations(
    client, direct_plan, body, other_body, nominator, staff_user
):
    own = make_nomination(direct_plan, body, family_name="OWN")
    Nominator.objects.create(user=UserFactory(), body=other_body, plan=direct_plan)
    theirs = make_nomination(direct_plan, other_body, family_name="THEIRS")
    other_plan = PlanFactory(call=direct_plan.call, host=direct_plan.host, lead=staff_user)
    Nominator.objects.create(user=UserFactory(), body=body, plan=other_plan)
    elsewhere = make_nomination(other_plan, body, family_name="ELSEWHERE")
    client.force_login(nominator)

    page = client.get(reverse("nominator_plan", args=[direct_plan.pk])).content.decode()
    assert "OWN Niran" in page
    assert "THEIRS" not in page
    assert client.get(reverse("nomination_edit", args=[own.pk])).status_code == 200
    for nomination in (theirs, elsewhere):
        assert client.get(reverse("nomination_edit", args=[nomination.pk])).status_code == 404
        assert client.post(reverse("nomination_withdraw", args=[nomination.pk])).status_code == 404
    assert client.get(reverse("nominator_plan", args=[other_plan.pk])).status_code == 404
    assert client.get(reverse("nomination_create", args=[other_plan.pk])).status_code == 404
    # Staff pages and the plans themselves are not theirs.
    assert client.get(reverse("direct_plan_nominations", args=[direct_plan.pk])).status_code == 403
    assert client.get(reverse("direct_plan_list")).status_code == 403
    assert client.get(reverse("plan_detail", args=[direct_plan.pk])).status_code == 404
    assert client.get(reverse("participant_list", args=[direct_plan.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Nomination.Status.NOMINATED


def test_nominator_edits_and_withdraws_until_nominations_close(
    client, direct_plan, body, nominator, staff_user
):
    nomination = make_nomination(direct_plan, body)
    client.force_login(nominator)
    edit = reverse("nomination_edit", args=[nomination.pk])
    assert client.post(edit, candidate(family_name="SUKSAWAT-LEE")).status_code == 302
    nomination.refresh_from_db()
    assert nomination.family_name == "SUKSAWAT-LEE"

    NominationRound.objects.filter(plan=direct_plan).update(closed_at=timezone.now())
    assert client.post(edit, candidate(family_name="LATE")).status_code == 404
    assert client.post(reverse("nomination_withdraw", args=[nomination.pk])).status_code == 404
    response = client.post(reverse("nomination_create", args=[direct_plan.pk]), candidate())
    assert response.status_code == 302
    assert Nomination.objects.count() == 1


def test_withdrawn_nomination_is_not_selectable(client, direct_plan, body, nominator):
    nomination = make_nomination(direct_plan, body)
    client.force_login(nominator)
    client.post(reverse("nomination_withdraw", args=[nomination.pk]))
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.WITHDRAWN


def test_ineligible_candidate_refused_at_each_field_input_kept(
    client, direct_plan, body, nominator
):
    """The direct plan's course: undergraduates to researchers and escorts, under 40."""
    client.force_login(nominator)
    response = client.post(
        reverse("nomination_create", args=[direct_plan.pk]),
        candidate(category="high_school", date_of_birth="1980-01-01", family_name="OLDER"),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "is not eligible for course" in form.errors["category"][0]
    assert "the course requires under 40" in form.errors["date_of_birth"][0]
    assert 'value="OLDER"' in response.content.decode()
    assert not Nomination.objects.exists()


def test_nationality_outside_the_courses_countries_is_refused_at_its_field(
    client, direct_plan, body, nominator
):
    direct_plan.course.eligible_countries = ["TH", "VN"]
    direct_plan.course.save(update_fields=["eligible_countries"])
    client.force_login(nominator)
    response = client.post(
        reverse("nomination_create", args=[direct_plan.pk]), candidate(nationality="FR")
    )
    assert response.status_code == 400
    assert "is not eligible for course" in response.context["form"].errors["nationality"][0]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("family_name", "BOON\x00MA"),
        ("motivation", "x" * 10_000),
        ("date_of_birth", "9999-01-01"),
        ("date_of_birth", "0001-01-01"),
        ("home_institution_name", "y" * 10_000),
    ],
)
def test_bad_input_is_refused_at_its_field(client, direct_plan, body, nominator, field, value):
    client.force_login(nominator)
    response = client.post(
        reverse("nomination_create", args=[direct_plan.pk]), candidate(**{field: value})
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Nomination.objects.exists()


def test_formula_like_names_leave_the_export_as_text(
    client, direct_plan, body, nominator, staff_user
):
    client.force_login(nominator)
    response = client.post(
        reverse("nomination_create", args=[direct_plan.pk]),
        candidate(family_name="=cmd|' /C calc'!A0", home_institution_name="+SUM(A1)"),
    )
    assert response.status_code == 302
    client.force_login(staff_user)
    export = client.get(reverse("direct_plan_nominations_csv", args=[direct_plan.pk]))
    cells = [cell for line in export.content.decode().splitlines()[1:] for cell in line.split(",")]
    assert "'=cmd|' /C calc'!A0" in cells
    assert "'+SUM(A1)" in cells
    assert not any(looks_like_formula(cell) for cell in cells)
