"""Demo rules: each course's rule set for last fiscal year and this one, an airfare table for
the demo's countries, and China's registration receipt. Saved through the rules' service, so
the history shows them; running the seed again changes nothing."""

from django.utils import timezone

from accounts.models import User
from demo.calls import ACTIVITIES_BY_COURSE
from programs.domain.rules import save_country_rule, save_rule_set, start_fiscal_year
from programs.models import CountryRule, Course, fiscal_year_of

# Yen per invitee (return), by departure country; demo figures, not the agency's table.
AIRFARE_CAPS = {
    "CN": 120_000,
    "ID": 170_000,
    "IN": 200_000,
    "KE": 300_000,
    "MY": 160_000,
    "PH": 160_000,
    "TH": 150_000,
    "VN": 150_000,
}
# Countries whose sending institutions register each round with their government.
RECEIPT_REQUIRED = {"CN"}
# Invitees per sending institution, by course (DESIGN: course C up to 8 per sending
# institution, 12 in all from several); the other courses have no such limit.
PER_SENDING_INSTITUTION = {"C": 8}
# What every host declares before submission (demo wording, not the agency's).
DECLARATIONS = [
    {
        "code": "partner_consent",
        "text_en": "The host has obtained the consent of each sending institution.",
        "text_ja": "受入れ機関は各派遣元機関の同意を得ています。",
    },
    {
        "code": "export_control",
        "text_en": "The host has checked export control.",
        "text_ja": "受入れ機関は安全保障輸出管理の確認を行いました。",
    },
]


def seed_rules():
    officer = User.objects.get(email="officer@example.org")
    this_year = fiscal_year_of(timezone.localdate())
    for year in (this_year - 1, this_year):
        for course in Course.objects.all():
            rule_set = start_fiscal_year(course, year, by=officer)
            rule_set.source_en = f"FY{year} guidelines, course {course.code}"
            rule_set.source_ja = f"{year}年度募集要項 {course.code}コース"
            rule_set.max_invitees_per_institution = PER_SENDING_INSTITUTION.get(course.code)
            rule_set.declarations = DECLARATIONS
            limits = ACTIVITIES_BY_COURSE.get(course.code)
            rule_set.uses_activities = limits is not None
            rule_set.activity_limits = limits or {}
            if limits:
                rule_set.source_en += "; activity limits: demo figures"
                rule_set.source_ja += "；活動ごとの上限はデモ用の値"
            save_rule_set(rule_set, by=officer)
        for country, cap in AIRFARE_CAPS.items():
            rule = CountryRule.objects.filter(country=country, fiscal_year=year).first()
            rule = rule or CountryRule(country=country, fiscal_year=year)
            rule.airfare_cap_jpy = cap
            rule.registration_receipt_required = country in RECEIPT_REQUIRED
            rule.source_en = f"FY{year} guidelines, airfare table"
            rule.source_ja = f"{year}年度募集要項 航空運賃上限表"
            save_country_rule(rule, by=officer)
