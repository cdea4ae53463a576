"""In Chromium, in both languages: a contact at a body abroad opens the emailed link, sets a
password, nominates two candidates and sees them listed; staff select one of them."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from institutions.models import Institution, hash_token
from nominations.models import NominatingBody, Nomination, NominationRound, NominatorInvitation
from participants.models import Participant
from tests.conftest import totp_code, with_two_factor
from tests.factories import (
    PASSWORD,
    CallFactory,
    CourseFactory,
    InstitutionFactory,
    PlanFactory,
    ProgramFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a-long-pass-phrase-for-hanoi"


def accessibility_violations(page):
    return [violation["id"] for violation in Axe().run(page).response["violations"]]


@pytest.fixture
def direct_world(db):
    """An approved agency plan (5 places), a ministry of Viet Nam, and its contact's link."""
    staff = with_two_factor(UserFactory(is_staff=True, email="officer@example.org"))
    program = ProgramFactory(
        code="direct",
        name_en="JST Direct Invitation Program",
        name_ja="JST直接招へいプログラム",
        agency_hosted=True,
    )
    course = CourseFactory(
        program=program,
        code="DIP",
        eligible_categories=["undergraduate", "graduate", "postdoc", "researcher", "escort"],
    )
    call = CallFactory(
        program=program,
        closes_at=timezone.now() - timedelta(days=1),
        opens_at=timezone.now() - timedelta(days=30),
        courses=[course],
    )
    agency = InstitutionFactory(
        kind=Institution.Kind.AGENCY, name_en="JST", name_ja="科学技術振興機構"
    )
    plan = PlanFactory(call=call, host=agency, lead=staff, state="approved")
    NominationRound.objects.create(plan=plan)
    body = NominatingBody.objects.create(
        name_en="Ministry of Science and Technology of Viet Nam",
        name_ja="ベトナム科学技術省",
        country="VN",
    )
    NominatorInvitation.objects.create(
        body=body,
        plan=plan,
        email="contact@most.gov.vn",
        token_hash=hash_token("known-token"),
        invited_by=staff,
        expires_at=timezone.now() + timedelta(days=14),
    )
    return {"plan": plan, "staff": staff}


def nominate(page, family, given, category):
    page.get_by_label("Family name (as in passport)").fill(family)
    page.get_by_label("Given name(s) (as in passport)").fill(given)
    page.get_by_label("Date of birth").fill("2001-04-02")
    page.get_by_label("Gender").select_option("female")
    page.get_by_label("Nationality").select_option("TH")
    page.get_by_label("Category").select_option(category)
    page.get_by_label("Email address").fill(f"{given.lower()}@example.org")
    page.get_by_role("button", name="Nominate", exact=True).click()


def test_nominator_joins_nominates_two_and_staff_selects_one(browser, live_server, direct_world):
    plan = direct_world["plan"]
    nominator = browser.new_context().new_page()
    nominator.goto(f"{live_server.url}/nominations/join/known-token/")
    expect(nominator.get_by_role("heading", level=1)).to_have_text("Nominate candidates")
    assert accessibility_violations(nominator) == []
    nominator.get_by_label("Your name").fill("Pham Quoc Dung")
    nominator.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    nominator.get_by_label("Password (again)").fill(NEW_PASSWORD)
    nominator.get_by_role("button", name="Create my account").click()

    expect(nominator.get_by_role("heading", level=1)).to_have_text("My nominations")
    expect(nominator.get_by_text("Welcome! You can now nominate candidates.")).to_be_visible()
    assert accessibility_violations(nominator) == []

    nominator.get_by_role("link", name="Nominate a candidate").click()
    # A first try without a date of birth: the error at its field, the input kept.
    nominator.get_by_label("Family name (as in passport)").fill("NGUYEN")
    nominator.get_by_role("button", name="Nominate", exact=True).click()
    expect(nominator.locator(".error-summary")).to_be_visible()
    expect(nominator.get_by_label("Family name (as in passport)")).to_have_value("NGUYEN")
    assert accessibility_violations(nominator) == []
    nominate(nominator, "NGUYEN", "Lan", "graduate")
    expect(nominator.get_by_text("NGUYEN Lan nominated.")).to_be_visible()

    # The second in Japanese.
    nominator.get_by_label("Language").select_option("ja")
    nominator.get_by_role("button", name="Switch").click()
    expect(nominator.get_by_role("heading", level=1)).to_have_text("推薦した候補者")
    assert accessibility_violations(nominator) == []
    nominator.get_by_role("link", name="候補者を推薦する").click()
    expect(nominator.get_by_role("heading", level=1)).to_have_text("候補者を推薦する")
    nominator.get_by_label("姓（パスポート表記）").fill("TRAN")
    nominator.get_by_label("名（パスポート表記）").fill("Minh")
    nominator.get_by_label("生年月日").fill("1999-09-09")
    nominator.get_by_label("性別").select_option("male")
    nominator.get_by_label("国籍").select_option("VN")
    nominator.get_by_label("区分").select_option("postdoc")
    nominator.get_by_label("メールアドレス").fill("minh@example.org")
    assert accessibility_violations(nominator) == []
    nominator.get_by_role("button", name="推薦する", exact=True).click()
    rows = nominator.locator("tbody th[scope=row]")
    expect(rows).to_have_text(["NGUYEN Lan", "TRAN Minh"])

    # Staff sign in with their second factor and select the first candidate.
    staff = browser.new_context().new_page()
    staff.goto(f"{live_server.url}/accounts/login/")
    staff.get_by_label("Email").fill("officer@example.org")
    staff.get_by_label("Password").fill(PASSWORD)
    staff.locator("form.login-form").get_by_role("button", name="Sign in").click()
    staff.get_by_label("Code", exact=True).fill(totp_code())
    staff.locator("main").get_by_role("button", name="Sign In", exact=True).click()
    staff.goto(f"{live_server.url}/staff/direct/{plan.pk}/nominations/")
    expect(staff.get_by_role("heading", level=1)).to_have_text(f"Nominations for {plan.reference}")
    assert accessibility_violations(staff) == []
    staff.get_by_label("Select NGUYEN Lan").check()
    staff.get_by_role("button", name="Select", exact=True).click()
    expect(
        staff.get_by_text("1 candidates selected: they are now participants of the plan.")
    ).to_be_visible()
    assert accessibility_violations(staff) == []

    participant = Participant.objects.get(plan=plan)
    assert participant.family_name == "NGUYEN"
    statuses = dict(Nomination.objects.values_list("family_name", "status"))
    assert statuses == {"NGUYEN": "selected", "TRAN": "nominated"}
