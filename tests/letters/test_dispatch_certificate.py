"""Course D: one of the host's people dispatched abroad gets a dispatch certificate (bilingual,
verifiable, issued once per data, a new version when what it shows changes), never an
acceptance (visa) letter; an invitee of a course-D plan gets the acceptance letter with the
dates of their own invitation, not the plan's year."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from applications.models import Activity
from letters.domain.letters import issue_letter
from letters.models import Letter
from letters.tasks import issue_participant_letter
from tests.participants.course_d import course_d_plan, dispatch_of, dispatched, invited

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(institution):
    return course_d_plan(host=institution)


@pytest.fixture
def traveller(plan):
    """YAMADA Hanako (山田 花子), dispatched to IIT Example, India, 8–17 February 2027."""
    return dispatched(plan)


def pdftotext(letter):
    """The certificate's text as poppler's pdftotext reads it (Debian poppler-utils)."""
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed: make test installs it"
    with letter.file.open("rb") as stream:
        pdf = stream.read()
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode()


def test_a_dispatched_participant_gets_a_dispatch_certificate_and_no_acceptance_letter(
    traveller,
):
    letter = issue_letter(traveller)

    assert letter.kind == Letter.Kind.DISPATCH
    assert not Letter.objects.filter(participant=traveller, kind=Letter.Kind.ACCEPTANCE).exists()
    assert letter.data["dispatch"]["partner"] == "IIT Example"
    assert letter.data["dispatch"]["country_en"] == "India"
    assert letter.data["dispatch"]["arrival_en"] == "8 February 2027"
    assert letter.data["dispatch"]["departure_en"] == "17 February 2027"
    assert letter.data["dispatch"]["days"] == 10
    assert "stay" not in letter.data, "the plan's year is no stay of this person"
    traveller.refresh_from_db()
    assert traveller.letters_issued_at == letter.issued_at


def test_the_certificate_reads_in_both_languages_with_destination_and_dates(traveller):
    text = " ".join(pdftotext(issue_letter(traveller)).split())

    assert "派遣証明書" in text
    assert "Certificate of Dispatch" in text
    assert "YAMADA Hanako" in text
    assert "IIT Example" in text
    assert "インド" in text
    assert "India" in text
    assert "2027年2月8日" in text
    assert "17 February 2027" in text
    assert "水工学の年間相互交流" in text
    assert "A year of exchange in water engineering" in text
    assert "受入証明書" not in text
    assert "visa" in text  # it says it is not a letter of invitation for a visa


def test_issuing_twice_without_change_makes_one_certificate(traveller):
    first = issue_letter(traveller)
    second = issue_letter(traveller)

    assert first == second
    assert Letter.objects.filter(participant=traveller).count() == 1


def test_task_run_twice_gives_one_certificate(traveller):
    first = issue_participant_letter.apply(args=[traveller.pk]).get()
    second = issue_participant_letter.apply(args=[traveller.pk]).get()

    assert first == second
    assert Letter.objects.get(participant=traveller).kind == Letter.Kind.DISPATCH


def test_changed_dispatch_dates_make_exactly_one_new_version(traveller, plan):
    old = issue_letter(traveller)
    Activity.objects.filter(pk=dispatch_of(plan).pk).update(ends_on="2027-02-19")
    traveller.refresh_from_db()

    new = issue_letter(traveller)
    again = issue_letter(traveller)

    old.refresh_from_db()
    assert again == new
    assert new.version == 2
    assert old.status == Letter.Status.REPLACED
    assert old.replaced_by == new
    assert Letter.objects.filter(participant=traveller).count() == 2
    assert "19 February 2027" in " ".join(pdftotext(new).split())


def test_changed_name_makes_a_new_version(traveller):
    old = issue_letter(traveller)
    traveller.given_name = "Hanae"
    traveller.save()

    new = issue_letter(traveller)

    assert new.version == 2
    assert new.data["participant"]["passport_name"] == "YAMADA Hanae"
    assert old.reference != new.reference


def test_the_verify_page_answers_for_a_certificate(client, traveller):
    letter = issue_letter(traveller)

    response = client.get(reverse("letter_verify", args=[letter.reference]))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Genuine and current" in text
    assert "Dispatch certificate" in text
    assert "YAMADA Hanako" in text
    assert "8 February 2027 to 17 February 2027, in India" in text
    assert "Dates of stay in Japan" not in text


def test_another_institutions_coordinator_gets_404_for_the_certificate(
    client, traveller, other_coordinator
):
    letter = issue_letter(traveller)
    client.force_login(other_coordinator)

    assert client.get(reverse("letter_download", args=[letter.pk])).status_code == 404


def test_an_invitee_of_course_d_gets_the_acceptance_letter_for_their_invitation(plan):
    # The plan spans 12 January to 1 March 2027; the invitation is 12 to 21 January.
    participant = invited(plan)

    letter = issue_letter(participant)

    assert letter.kind == Letter.Kind.ACCEPTANCE
    assert letter.data["stay"]["arrival_en"] == "12 January 2027"
    assert letter.data["stay"]["departure_en"] == "21 January 2027"
    assert letter.data["stay"]["days"] == 10
    assert "21 January 2027" in " ".join(pdf_text(letter).split())


def test_a_person_moved_from_the_invitation_to_the_dispatch_keeps_one_current_letter(plan):
    participant = invited(plan, nationality="JP")
    acceptance = issue_letter(participant)
    participant.activity = dispatch_of(plan)
    participant.direction = participant.Direction.DISPATCHED
    participant.save()

    certificate = issue_letter(participant)

    acceptance.refresh_from_db()
    assert acceptance.status == Letter.Status.REPLACED
    assert acceptance.replaced_by == certificate
    assert list(Letter.objects.filter(participant=participant, status=Letter.Status.CURRENT)) == [
        certificate
    ]
