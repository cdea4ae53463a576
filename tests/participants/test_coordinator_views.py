"""The host coordinator's participant pages: register, import, export and invite.

Only a host's coordinators manage its participants, and only once the plan is approved (or in
progress); anyone else gets 404 on every page. Every participant must fit the course's rules
(category, age on arrival, nationality, approved number of people) or is refused with the
reason. Passport numbers are stored encrypted and never shown or exported. An import is
checked row by row first and then saves every row or none; every export is audited.
"""

import csv
import io
from datetime import date

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from applications.models import InvitationPlan, PlanState
from participants.domain import importing
from participants.domain.eligibility import check_eligibility
from participants.domain.importing import COLUMNS
from participants.models import Participant, ParticipantChange, PersonalDataAccess
from tests.factories import PartnerInstitutionFactory, PlanFactory, UserFactory

from .builders import PLACES, approved, approved_plan, register_many, registered

pytestmark = pytest.mark.django_db

PASSPORT = "TH9876543"
NOT_OPEN = "Participants can be registered once the plan is approved."


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Nobody signs in with a password here: spare the many users the slow default hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def own_cache(settings):
    """Checked uploads wait in the cache. conftest's `empty_cache` flushes the shared Redis
    database before every test, so a test run beside this one would drop them mid-test: keep
    them in this process's memory instead."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def plan(institution):
    """An approved plan of the coordinator's institution: 5 places, one partner in Thailand."""
    return approved(PlanFactory(host=institution))


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def url(name, plan, *args):
    return reverse(name, args=[plan.pk, *args])


def form_data(plan, **changes):
    """The participant form as a browser posts it: an eligible graduate from Thailand."""
    data = {
        "family_name": "CHAIYAPORN",
        "given_name": "Somchai",
        "native_name": "สมชาย ชัยพร",
        "date_of_birth": "2001-05-20",
        "gender": "male",
        "nationality": "TH",
        "home_institution": plan.partners.get().pk,
        "category": "graduate",
        "email": "somchai@example.ac.th",
        "phone": "+66 81 000 0000",
        "passport_number": PASSPORT,
        "first_stay_in_japan": "true",
        "dietary_needs": "halal",
        "accessibility_needs": "",
    }
    data.update(changes)
    return data


def page(response):
    return response.content.decode()


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def row(**changes):
    """One row of an import file, in the template's columns."""
    values = {
        "family_name": "NGUYEN",
        "given_name": "Van An",
        "native_name": "Nguyễn Văn An",
        "date_of_birth": "2003-04-15",
        "gender": "male",
        "nationality": "VN",
        "home_institution": "",
        "category": "undergraduate",
        "email": "an.nguyen@example.edu.vn",
        "phone": "",
        "passport_number": "C1234567",
        "first_stay_in_japan": "yes",
        "dietary_needs": "",
        "accessibility_needs": "",
    }
    values.update(changes)
    return values


def csv_file(rows, *, encoding="utf-8-sig"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for values in rows:
        writer.writerow([values[column] for column in COLUMNS])
    return out.getvalue().encode(encoding)


def xlsx_file(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for values in rows:
        sheet.append([values[column] for column in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, plan, name, content):
    file = io.BytesIO(content)
    file.name = name
    return client.post(url("participant_import", plan), {"file": file})


def upload_and_confirm(client, plan, name, content):
    checked = upload(client, plan, name, content)
    assert checked.status_code == 200
    assert checked.context["confirm_form"] is not None, checked.context["errors"]
    token = checked.context["confirm_form"].initial["token"]
    return client.post(url("participant_import", plan), {"token": token}, follow=True)


# Who may open the pages


def every_url(plan, participant):
    return [
        ("get", url("participant_list", plan)),
        ("get", url("participant_create", plan)),
        ("post", url("participant_create", plan)),
        ("get", url("participant_update", plan, participant.pk)),
        ("post", url("participant_update", plan, participant.pk)),
        ("get", url("participant_import", plan)),
        ("post", url("participant_import", plan)),
        ("get", url("participant_template_csv", plan)),
        ("get", url("participant_template_xlsx", plan)),
        ("get", url("participant_export", plan)),
        ("post", url("participant_invite", plan, participant.pk)),
    ]


@pytest.mark.parametrize("who", ["other_coordinator", "reviewer"])
def test_every_participant_page_is_not_found_for_others(client, plan, who, request):
    participant = registered(plan)
    client.force_login(request.getfixturevalue(who))
    for method, address in every_url(plan, participant):
        response = getattr(client, method)(address, form_data(plan) if method == "post" else {})
        assert response.status_code == 404, address
    assert Participant.objects.count() == 1
    assert not PersonalDataAccess.objects.exists()


def test_participant_of_another_plan_is_not_found(signed_in, plan):
    elsewhere = registered(approved(PlanFactory()))
    response = signed_in.get(url("participant_update", plan, elsewhere.pk))
    assert response.status_code == 404


def test_pages_need_sign_in(client, plan):
    response = client.get(url("participant_list", plan))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_invite_is_post_only(signed_in, plan):
    participant = registered(plan)
    assert signed_in.get(url("participant_invite", plan, participant.pk)).status_code == 405


@pytest.mark.parametrize("state", [PlanState.DRAFT, PlanState.SUBMITTED, PlanState.COMPLETED])
def test_registration_refused_unless_plan_approved_or_in_progress(signed_in, institution, state):
    plan = PlanFactory(host=institution)
    InvitationPlan.objects.filter(pk=plan.pk).update(state=state)
    for address in (url("participant_create", plan), url("participant_import", plan)):
        response = signed_in.post(address, form_data(plan), follow=True)
        assert response.redirect_chain[-1][0] == url("participant_list", plan)
        assert NOT_OPEN in messages_of(response)
    assert not Participant.objects.exists()
    listing = signed_in.get(url("participant_list", plan))
    assert "can be registered only while the plan is approved or in progress" in page(listing)
    assert url("participant_create", plan) not in page(listing)


def test_registration_open_while_plan_in_progress(signed_in, plan):
    InvitationPlan.objects.filter(pk=plan.pk).update(state=PlanState.IN_PROGRESS)
    response = signed_in.post(url("participant_create", plan), form_data(plan))
    assert response.status_code == 302
    assert Participant.objects.filter(plan=plan).count() == 1


def test_plan_page_links_to_participants_once_approved(signed_in, plan, institution):
    draft = PlanFactory(host=institution)
    assert url("participant_list", plan) in page(signed_in.get(url("plan_detail", plan)))
    assert url("participant_list", draft) not in page(signed_in.get(url("plan_detail", draft)))


# Registering one participant


def test_register_the_same_person_twice_refused_as_the_import_refuses_it(signed_in, plan):
    assert signed_in.post(url("participant_create", plan), form_data(plan)).status_code == 302

    again = signed_in.post(
        url("participant_create", plan),
        form_data(plan, family_name="Chaiyaporn", email="other@example.ac.th"),
    )

    assert again.status_code == 400
    assert "Already registered in this plan." in page(again)
    assert Participant.objects.filter(plan=plan).count() == 1


def test_register_participant_stores_passport_number_encrypted(signed_in, plan):
    response = signed_in.post(url("participant_create", plan), form_data(plan))
    assert response.status_code == 302
    assert response["Location"] == url("participant_list", plan)
    participant = Participant.objects.get(plan=plan)
    assert participant.native_name == "สมชาย ชัยพร"
    assert participant.home_institution == plan.partners.get()
    assert participant.first_stay_in_japan is True
    assert participant.passport_number == PASSPORT
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT passport_number_encrypted FROM participants_participant WHERE id = %s",
            [participant.pk],
        )
        (stored,) = cursor.fetchone()
    assert stored and PASSPORT not in stored


def test_register_with_bad_input_keeps_input_and_shows_errors_at_fields(signed_in, plan):
    response = signed_in.post(
        url("participant_create", plan),
        form_data(plan, family_name="", email="not-an-email", date_of_birth="20/05/2001"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"family_name", "email", "date_of_birth"}
    html = page(response)
    assert 'class="error-summary"' in html
    assert 'href="#id_family_name"' in html
    assert 'value="Somchai"' in html  # what was typed stays
    assert 'value="not-an-email"' in html
    assert not Participant.objects.exists()


def test_home_institution_must_be_a_partner_of_the_plan(signed_in, plan):
    stranger = PartnerInstitutionFactory()
    response = signed_in.post(
        url("participant_create", plan), form_data(plan, home_institution=stranger.pk)
    )
    assert response.status_code == 400
    assert "home_institution" in response.context["form"].errors


def make_course_narrow(plan):
    plan.course.eligible_countries = ["TH", "VN"]
    plan.course.save()


@pytest.mark.parametrize(
    "changes, prepare, reason",
    [
        ({"category": "teacher"}, None, "The category “Teacher” is not eligible for course"),
        ({"date_of_birth": "1985-01-01"}, None, "Aged 42 on arrival (2027-01-10)"),
        ({"nationality": "US"}, make_course_narrow, "Nationality United States of America"),
        ({}, lambda plan: register_many(plan, PLACES), "approved for 5 people"),
    ],
    ids=["category", "age", "nationality", "places"],
)
def test_ineligible_participant_refused_with_reason(signed_in, plan, changes, prepare, reason):
    if prepare:
        prepare(plan)
    before = Participant.objects.count()
    response = signed_in.post(url("participant_create", plan), form_data(plan, **changes))
    assert response.status_code == 400
    assert any(reason in error for error in response.context["form"].non_field_errors())
    assert reason.replace("“", "&ldquo;") in page(response) or reason in page(response)
    assert 'value="CHAIYAPORN"' in page(response)
    assert Participant.objects.count() == before


def test_escort_over_age_limit_is_accepted(signed_in, plan):
    response = signed_in.post(
        url("participant_create", plan),
        form_data(plan, category="escort", date_of_birth="1970-03-03"),
    )
    assert response.status_code == 302


def test_flags_are_shown_after_saving(signed_in, plan, institution):
    other = approved(PlanFactory(host=institution, call=plan.call))
    registered(
        other, family_name="CHAIYAPORN", given_name="Somchai", date_of_birth=date(2001, 5, 20)
    )
    response = signed_in.post(
        url("participant_create", plan), form_data(plan, first_stay_in_japan="false"), follow=True
    )
    shown = " ".join(messages_of(response))
    assert "Not the first stay in Japan." in shown
    assert "Took part in this program already in fiscal year 2026." in shown
    assert Participant.objects.filter(plan=plan).count() == 1


# Editing


def test_edit_page_never_shows_the_passport_number(signed_in, plan):
    participant = registered(plan)
    participant.passport_number = PASSPORT
    participant.save()
    html = page(signed_in.get(url("participant_update", plan, participant.pk)))
    assert PASSPORT not in html
    assert "••••543" in html


def test_edit_with_blank_passport_number_keeps_it(signed_in, plan):
    participant = registered(plan)
    participant.passport_number = PASSPORT
    participant.save()
    response = signed_in.post(
        url("participant_update", plan, participant.pk),
        form_data(plan, passport_number="", phone="+66 2 000 0000"),
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.phone == "+66 2 000 0000"
    assert participant.passport_number == PASSPORT
    signed_in.post(
        url("participant_update", plan, participant.pk), form_data(plan, passport_number="AB111")
    )
    participant.refresh_from_db()
    assert participant.passport_number == "AB111"


def test_edit_after_letters_issued_is_recorded_and_listed(signed_in, plan, coordinator):
    participant = registered(plan, email="old@example.ac.th")
    participant.passport_number = PASSPORT
    participant.save()
    Participant.objects.filter(pk=participant.pk).update(letters_issued_at=timezone.now())
    before = signed_in.get(url("participant_update", plan, participant.pk))
    assert "every change is recorded" in page(before)
    response = signed_in.post(
        url("participant_update", plan, participant.pk),
        form_data(
            plan,
            family_name=participant.family_name,
            given_name=participant.given_name,
            date_of_birth="2003-04-15",
            email="new@example.ac.th",
            passport_number="TH1111222",
        ),
        follow=True,
    )
    assert "saved and recorded" in " ".join(messages_of(response))
    change = ParticipantChange.objects.get(participant=participant, field="email")
    assert (change.old_value, change.new_value, change.by) == (
        "old@example.ac.th",
        "new@example.ac.th",
        coordinator,
    )
    history = page(signed_in.get(url("participant_update", plan, participant.pk)))
    assert "old@example.ac.th" in history
    assert "new@example.ac.th" in history
    assert plan.partners.get().name in history  # the home institution by name, not its id
    assert ">None<" not in history
    assert "••••543" in history and "••••222" in history  # a new passport, masked
    assert PASSPORT not in history and "TH1111222" not in history


def test_edit_refused_once_plan_is_completed(signed_in, plan):
    participant = registered(plan)
    InvitationPlan.objects.filter(pk=plan.pk).update(state=PlanState.COMPLETED)
    response = signed_in.post(
        url("participant_update", plan, participant.pk), form_data(plan, phone="+66 1")
    )
    assert response.status_code == 400
    assert NOT_OPEN in response.context["form"].non_field_errors()
    participant.refresh_from_db()
    assert participant.phone == ""


# The list


def test_list_shows_participants_without_passport_numbers(signed_in, plan):
    participant = registered(plan, native_name="สมชาย แซ่ตั้ง")
    participant.passport_number = PASSPORT
    participant.save()
    html = page(signed_in.get(url("participant_list", plan)))
    assert "SAETANG Somchai" in html
    assert "สมชาย แซ่ตั้ง" in html
    assert "Thailand" in html
    assert "Graduate student" in html
    assert PASSPORT not in html
    assert participant.masked_passport_number not in html
    assert "Not invited" in html


def test_list_flags_agree_with_the_eligibility_rules(signed_in, plan, institution):
    earlier = approved(PlanFactory(host=institution, call=plan.call))
    registered(earlier, family_name="SAETANG", given_name="SOMCHAI")
    withdrawn = PlanFactory(host=institution, call=plan.call, state=PlanState.WITHDRAWN)
    registered(withdrawn, family_name="PERSON1", given_name="Test")
    register_many(plan, 2)
    registered(plan, first_stay_in_japan=False)  # also took part in `earlier`
    response = signed_in.get(url("participant_list", plan))
    shown = {p.pk: p.flags for p in response.context["participants"]}
    expected = {
        p.pk: check_eligibility(p, plan, exclude_pk=p.pk).flags
        for p in Participant.objects.filter(plan=plan)
    }
    assert shown == expected
    assert sorted(map(len, shown.values())) == [0, 0, 2]


def test_list_runs_the_same_queries_for_more_participants(
    signed_in, plan, coordinator, django_assert_num_queries
):
    address = url("participant_list", plan)
    registered(plan)
    signed_in.get(address)  # warm the session
    with CaptureQueriesContext(connection) as one:
        signed_in.get(address)
    expected = len(one.captured_queries)  # read now: the next request empties the log
    others = register_many(plan, 4)
    signed_in.post(url("participant_invite", plan, others[0].pk), {"language": "en"})
    others[1].user = UserFactory()
    others[1].save()
    with django_assert_num_queries(expected):
        response = signed_in.get(address)
    assert len(response.context["participants"]) == 5
    assert "Account active" in page(response)
    assert "Invited " in page(response)


def test_list_pages_by_fifty(signed_in, institution):
    plan = PlanFactory(host=institution)
    InvitationPlan.objects.filter(pk=plan.pk).update(state=PlanState.APPROVED)
    register_many(plan, 51)
    first = signed_in.get(url("participant_list", plan))
    assert len(first.context["participants"]) == 50
    assert 'rel="next"' in page(first)
    second = signed_in.get(url("participant_list", plan) + "?page=2")
    assert len(second.context["participants"]) == 1


# Export


def test_export_has_personal_data_but_no_passport_numbers_and_is_audited(
    signed_in, plan, coordinator
):
    participant = registered(plan, native_name="สมชาย แซ่ตั้ง", phone="+66 81 234 5678")
    participant.passport_number = PASSPORT
    participant.save()
    response = signed_in.get(url("participant_export", plan))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{plan.reference}-participants.csv"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(content.removeprefix("\ufeff"))))
    assert len(rows) == 1
    assert rows[0]["native_name"] == "สมชาย แซ่ตั้ง"
    assert rows[0]["date_of_birth"] == "2003-04-15"
    assert rows[0]["email"] == "somchai@example.ac.th"
    assert "passport_number" not in rows[0]
    assert PASSPORT not in content
    access = PersonalDataAccess.objects.get()
    assert (access.actor, access.action, access.what, access.count) == (
        coordinator,
        "export_participants",
        plan.reference,
        1,
    )


# The import template's header as the coordinators' instructions give it.
TEMPLATE_HEADER = [
    "family_name",
    "given_name",
    "native_name",
    "date_of_birth",
    "gender",
    "nationality",
    "home_institution",
    "category",
    "email",
    "phone",
    "passport_number",
    "first_stay_in_japan",
    "dietary_needs",
    "accessibility_needs",
]


def test_export_header_is_the_import_templates_header_without_passport_numbers(signed_in, plan):
    """An exported file can be corrected and imported into another plan: the same columns in
    the same order (passport numbers are never exported), then two columns for the host."""
    registered(plan)
    template = signed_in.get(url("participant_template_csv", plan)).content.decode("utf-8-sig")
    export = signed_in.get(url("participant_export", plan)).content.decode("utf-8-sig")

    template_header = next(csv.reader(io.StringIO(template)))
    export_header = next(csv.reader(io.StringIO(export)))

    assert template_header == TEMPLATE_HEADER
    assert export_header == [
        *(column for column in TEMPLATE_HEADER if column != "passport_number"),
        "portal_account",
        "letters_issued_at",
    ]


def test_an_exported_file_imports_into_another_plan(signed_in, plan, coordinator):
    registered(plan, native_name="สมชาย แซ่ตั้ง", phone="+66 81 234 5678")
    exported = signed_in.get(url("participant_export", plan)).content
    other = approved_plan(host=plan.host, lead=coordinator)
    other.partners.set(plan.partners.all())

    report = importing.dry_run(other, "participants.csv", exported)

    assert report.ok, report.errors
    assert [row["native_name"] for row in report.rows] == ["สมชาย แซ่ตั้ง"]


# Import


def test_template_downloads_open(signed_in, plan):
    csv_response = signed_in.get(url("participant_template_csv", plan))
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="participants-template.csv"' in csv_response["Content-Disposition"]
    assert csv_response.content.startswith(b"\xef\xbb\xbf" + ",".join(COLUMNS).encode())
    xlsx_response = signed_in.get(url("participant_template_xlsx", plan))
    assert xlsx_response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="participants-template.xlsx"' in xlsx_response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert [cell.value for cell in sheet[1]] == COLUMNS


def test_import_dry_run_names_every_problem_and_saves_nothing(signed_in, plan):
    content = csv_file(
        [
            row(),
            row(family_name="TRAN", date_of_birth="15/04/2003", email="tran@example.vn"),
            row(family_name="", gender="x", given_name="Thi", email="thi@example.vn"),
        ]
    )
    response = upload(signed_in, plan, "participants.csv", content)
    assert response.status_code == 200
    html = page(response)
    assert "Row 3, column date_of_birth" in html
    assert "Not a date: write it as YYYY-MM-DD." in html
    assert "Row 4, column family_name" in html
    assert "Row 4, column gender" in html
    assert response.context["confirm_form"] is None
    assert "Import these" not in html
    assert not Participant.objects.exists()


def test_import_clean_file_saves_every_row_after_confirming(signed_in, plan):
    partner = plan.partners.get()
    content = csv_file(
        [
            row(home_institution=partner.name),
            row(family_name="TRAN", given_name="Thi Mai", email="mai@example.vn", gender="f"),
            row(family_name="LE", given_name="Minh", email="minh@example.vn"),
        ]
    )
    checked = upload(signed_in, plan, "participants.csv", content)
    assert "Import these 3 participants" in page(checked)
    assert not Participant.objects.exists()  # the dry run saves nothing
    response = upload_and_confirm(signed_in, plan, "participants.csv", content)
    assert "3 participants were imported." in messages_of(response)
    assert Participant.objects.filter(plan=plan).count() == 3
    nguyen = Participant.objects.get(family_name="NGUYEN")
    assert nguyen.home_institution == partner
    assert nguyen.passport_number == "C1234567"


def test_import_file_with_one_bad_row_imports_none(signed_in, plan):
    content = csv_file([row(), row(family_name="TRAN", nationality="Atlantis")])
    checked = upload(signed_in, plan, "participants.csv", content)
    assert "Row 3, column nationality" in page(checked)
    assert checked.context["confirm_form"] is None
    # Even a confirmation of such a file (one waiting in the cache) saves nothing.
    cache.set(
        f"participant-import:{plan.pk}:0b1e7a52-4c5e-4a53-9d7e-5f2c1c1b9e01", ("p.csv", content)
    )
    response = signed_in.post(
        url("participant_import", plan), {"token": "0b1e7a52-4c5e-4a53-9d7e-5f2c1c1b9e01"}
    )
    assert response.status_code == 400
    assert "Row 3, column nationality" in page(response)
    assert not Participant.objects.exists()


def test_import_more_people_than_places_imports_none(signed_in, plan):
    register_many(plan, 4)
    content = csv_file([row(), row(family_name="TRAN", email="tran@example.vn")])
    response = upload(signed_in, plan, "participants.csv", content)
    assert "2 people in the file, but only 1 places are left." in page(response)
    assert response.context["confirm_form"] is None
    assert Participant.objects.count() == 4


def test_import_shift_jis_csv_with_japanese_names(signed_in, plan):
    content = csv_file(
        [
            row(
                family_name="YAMADA",
                given_name="Hanako",
                native_name="山田 花子",
                nationality="JP",
                gender="女性",
                email="hanako@example.jp",
            ),
            row(
                family_name="SUZUKI",
                given_name="Ichiro",
                native_name="鈴木 一郎",
                nationality="JP",
                gender="男性",
                email="ichiro@example.jp",
                first_stay_in_japan="いいえ",
            ),
        ],
        encoding="cp932",
    )
    response = upload_and_confirm(signed_in, plan, "参加者.csv", content)
    assert "2 participants were imported." in messages_of(response)
    names = dict(Participant.objects.values_list("family_name", "native_name"))
    assert names == {"YAMADA": "山田 花子", "SUZUKI": "鈴木 一郎"}
    assert Participant.objects.get(family_name="YAMADA").gender == "female"


def test_import_utf8_bom_csv_with_asian_scripts(signed_in, plan):
    people = {
        "SAETANG": ("TH", "สมชาย แซ่ตั้ง"),
        "NGUYEN": ("VN", "Nguyễn Văn An"),
        "SHARMA": ("IN", "प्रिया शर्मा"),
        "WANG": ("CN", "王小明"),
    }
    content = csv_file(
        [
            row(
                family_name=family,
                nationality=country,
                native_name=native,
                email=f"{family.lower()}@example.org",
            )
            for family, (country, native) in people.items()
        ]
    )
    assert content.startswith(b"\xef\xbb\xbf")
    response = upload_and_confirm(signed_in, plan, "participants.csv", content)
    assert "4 participants were imported." in messages_of(response)
    stored = dict(Participant.objects.values_list("family_name", "native_name"))
    assert stored == {family: native for family, (_, native) in people.items()}


def test_import_xlsx(signed_in, plan):
    content = xlsx_file(
        [
            row(date_of_birth=date(2002, 2, 2), native_name="Nguyễn Thị Mai"),
            row(family_name="PHAM", email="pham@example.vn"),
        ]
    )
    response = upload_and_confirm(signed_in, plan, "participants.xlsx", content)
    assert "2 participants were imported." in messages_of(response)
    nguyen = Participant.objects.get(family_name="NGUYEN")
    assert nguyen.date_of_birth == date(2002, 2, 2)
    assert nguyen.native_name == "Nguyễn Thị Mai"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("participants.csv", b"family_name\n\x81 \n", "The file&#x27;s encoding is not UTF-8"),
        ("participants.xlsx", b"PK\x03\x04 broken", "This is not a readable XLSX file."),
        ("participants.pdf", b"%PDF-1.4", "Upload a .csv or .xlsx file."),
        ("participants.csv", b"a," + b"x" * 140_000 + b"\n", "This is not a readable CSV file."),
    ],
    ids=["encoding", "xlsx", "kind", "huge-cell"],
)
def test_import_unreadable_file_is_a_form_error(signed_in, plan, name, content, message):
    response = upload(signed_in, plan, name, content)
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert message in page(response)


def test_import_file_over_size_limit_refused(signed_in, plan, settings):
    settings.MAX_IMPORT_BYTES = 100
    response = upload(signed_in, plan, "participants.csv", csv_file([row()]))
    assert response.status_code == 400
    assert "The file is larger than" in page(response)


def test_import_confirmation_works_once(signed_in, plan):
    content = csv_file([row()])
    checked = upload(signed_in, plan, "participants.csv", content)
    token = checked.context["confirm_form"].initial["token"]
    signed_in.post(url("participant_import", plan), {"token": token})
    again = signed_in.post(url("participant_import", plan), {"token": token}, follow=True)
    assert "expired or was imported already" in " ".join(messages_of(again))
    assert Participant.objects.count() == 1


def test_import_token_of_another_plan_is_refused(signed_in, plan, institution):
    other = approved(PlanFactory(host=institution))
    checked = upload(signed_in, other, "participants.csv", csv_file([row()]))
    token = checked.context["confirm_form"].initial["token"]
    response = signed_in.post(url("participant_import", plan), {"token": token}, follow=True)
    assert "expired or was imported already" in " ".join(messages_of(response))
    assert not Participant.objects.exists()


# Inviting to the portal


def test_invite_sends_a_join_link(signed_in, plan, django_capture_on_commit_callbacks):
    participant = registered(plan)
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            url("participant_invite", plan, participant.pk), {"language": "ja"}, follow=True
        )
    assert response.redirect_chain[-1][0] == url("participant_list", plan)
    assert "An invitation was sent to SAETANG Somchai" in " ".join(messages_of(response))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["somchai@example.ac.th"]
    assert "/participant/join/" in mail.outbox[0].body
    assert participant.invitations.get().language == "ja"
    assert "Invited " in page(signed_in.get(url("participant_list", plan)))


def test_invite_refused_for_participant_with_account(
    signed_in, plan, django_capture_on_commit_callbacks
):
    participant = registered(plan)
    participant.user = UserFactory(email=participant.email)
    participant.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            url("participant_invite", plan, participant.pk), {"language": "en"}, follow=True
        )
    assert "already has an account" in " ".join(messages_of(response))
    assert not mail.outbox
    assert not participant.invitations.exists()


def test_edit_page_escapes_the_masked_passport_number(signed_in, plan):
    """Whatever the stored number holds is text on the page, never markup."""
    participant = registered(plan)
    participant.passport_number = "AB12<s>"
    participant.save()
    html = page(signed_in.get(url("participant_update", plan, participant.pk)))
    assert "••••&lt;s&gt;" in html
    assert "<s>" not in html


def test_form_refuses_a_name_with_question_marks_at_its_field(signed_in, plan):
    response = signed_in.post(
        url("participant_create", plan), form_data(plan, family_name="Tr?n", given_name="V?n H?ng")
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"family_name", "given_name"}
    assert "save it as “CSV UTF-8”" in errors["family_name"][0]
    assert response.context["form"]["family_name"].value() == "Tr?n"  # the input is kept
    assert not Participant.objects.exists()
