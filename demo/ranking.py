"""The demo's call in review: twenty plans from five hosts, submitted before the deadline,
assigned to three reviewers of different harshness, every review done, so the ranking shows
its calibrated scores, the flags (disagreement, an outlier reviewer) and the budget's cut line.

Everything goes through the real functions (submit, assign, declare, review); only the dates
are set back to when it would have happened.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from applications.domain.declarations import required_declarations
from applications.domain.states import start_review, submit_plan
from applications.models import InvitationPlan, PlanState
from programs.models import Call, fiscal_year_of
from reviews.domain.assignment import apply_assignment
from reviews.domain.reviewing import declare, save_review
from reviews.models import Criterion, ReviewAssignment, ReviewerProfile, ReviewSetup

from .approved_plan import open_again
from .plans import draft_plan

# (host key, lead, partner's country, field, people, title in English, title in Japanese,
#  quality 1–5: what a fair reviewer would give it)
PLANS = [
    (
        "sakura",
        "coordinator@example.org",
        "TH",
        "materials",
        5,
        "Thin-film solar cells",
        "薄膜太陽電池",
        5,
    ),
    ("sakura", "colleague@example.org", "VN", "chemistry", 4, "Green catalysis", "グリーン触媒", 4),
    (
        "sakura",
        "coordinator@example.org",
        "TH",
        "biology",
        6,
        "Mangrove genomics",
        "マングローブのゲノム",
        3,
    ),
    (
        "sakura",
        "colleague@example.org",
        "VN",
        "informatics",
        3,
        "Edge AI for farms",
        "農業のためのエッジAI",
        4,
    ),
    (
        "kirishima",
        "kosen@example.org",
        "ID",
        "engineering",
        5,
        "Volcano sensing robots",
        "火山観測ロボット",
        4,
    ),
    ("kirishima", "kosen@example.org", "ID", "energy", 4, "Geothermal power", "地熱発電", 3),
    (
        "kirishima",
        "kosen@example.org",
        "ID",
        "disaster",
        6,
        "Tsunami early warning",
        "津波早期警報",
        5,
    ),
    (
        "kirishima",
        "kosen@example.org",
        "ID",
        "engineering",
        3,
        "Microgrids for islands",
        "離島のマイクログリッド",
        2,
    ),
    (
        "hikari",
        "company@example.org",
        "MY",
        "materials",
        4,
        "Recycled composites",
        "再生複合材料",
        3,
    ),
    ("hikari", "company@example.org", "MY", "materials", 5, "Battery materials", "電池材料", 4),
    (
        "hikari",
        "company@example.org",
        "MY",
        "engineering",
        3,
        "Factory automation",
        "工場の自動化",
        2,
    ),
    (
        "hokkaido",
        "marine@example.org",
        "PH",
        "earth",
        5,
        "Coral reef monitoring",
        "サンゴ礁のモニタリング",
        5,
    ),
    (
        "hokkaido",
        "marine@example.org",
        "KH",
        "agriculture",
        4,
        "Mekong fisheries",
        "メコン川の漁業",
        3,
    ),
    ("hokkaido", "marine@example.org", "PH", "earth", 6, "Ocean plastics", "海洋プラスチック", 4),
    (
        "hokkaido",
        "marine@example.org",
        "KH",
        "biology",
        3,
        "Freshwater biodiversity",
        "淡水の生物多様性",
        2,
    ),
    ("seto", "seto@example.org", "LA", "agriculture", 5, "Rice breeding", "イネの育種", 4),
    ("seto", "seto@example.org", "MM", "medicine", 4, "Tropical medicine", "熱帯医学", 5),
    ("seto", "seto@example.org", "LA", "energy", 6, "Small hydropower", "小水力発電", 3),
    (
        "seto",
        "seto@example.org",
        "MM",
        "humanities",
        3,
        "Heritage and tourism",
        "文化遺産と観光",
        2,
    ),
    (
        "seto",
        "seto@example.org",
        "LA",
        "mathematics",
        4,
        "Mathematical modelling",
        "数理モデリング",
        3,
    ),
]
# Points each reviewer adds to a fair score (then kept within the scale): one harsh, one
# middling, one lenient — calibration evens them out.
REVIEWERS = [
    ("reviewer@example.org", -1, ["engineering", "materials", "energy"]),
    ("professor@example.org", 0, ["engineering", "informatics", "disaster"]),
    ("reviewer2@example.org", 1, ["biology", "earth", "agriculture", "medicine"]),
]
CRITERIA = [
    ("Scientific and educational value", "科学技術・教育上の意義", 3),
    ("Quality and feasibility of the programme", "計画の質と実現可能性", 2),
    ("Lasting exchange and follow-up", "継続的な交流・波及効果", 1),
]
TITLE_PREFIX = "ASEAN joint research: "


def seed_ranking(institutions):
    """The call in review with its plans and reviews; returns the call."""
    call = Call.objects.get(
        program__code="nexus", round=1, fiscal_year=fiscal_year_of(timezone.localdate())
    )
    officer = User.objects.get(email="officer@example.org")
    ReviewSetup.objects.update_or_create(
        call=call,
        defaults={
            "reviewers_per_plan": 2,
            "max_load": 16,
            "deadline": timezone.now() + timedelta(days=20),
        },
    )
    for position, (name_en, name_ja, weight) in enumerate(CRITERIA):
        Criterion.objects.update_or_create(
            call=call,
            name_en=name_en,
            defaults={"name_ja": name_ja, "weight": weight, "position": position},
        )
    for email, _offset, fields in REVIEWERS:
        ReviewerProfile.objects.update_or_create(
            user=User.objects.get(email=email), defaults={"fields_of_science": fields}
        )
    if not InvitationPlan.objects.filter(call=call).exists():
        _submit_plans(call, institutions, officer)
    _review_all(call)
    return call


def _submit_plans(call, institutions, officer):
    course = call.courses.get(code="N")
    quality = {}
    with open_again(call):
        for index, (key, email, country, field, people, title_en, title_ja, grade) in enumerate(
            PLANS
        ):
            host = institutions[key]
            lead = User.objects.get(email=email)
            plan = draft_plan(
                call,
                course,
                host,
                lead,
                title_en=TITLE_PREFIX + title_en,
                title_ja=f"ASEAN共同研究：{title_ja}",
                partner=host.partners.filter(country=country).first(),
                country=country,
                start=call.exchange_starts_on + timedelta(days=7 * (index % 20)),
                people=people,
                field=field,
            )
            ticked = [item["code"] for item in required_declarations(plan)]
            submit_plan(plan, by=lead, declarations=ticked)
            quality[plan.pk] = grade
    submitted = call.closes_at - timedelta(days=3)
    plans = InvitationPlan.objects.filter(call=call)
    plans.update(submitted_at=submitted, created_at=submitted - timedelta(days=14))
    for plan in plans.filter(state=PlanState.SUBMITTED):
        start_review(plan, by=officer)
    apply_assignment(call, by=officer)


def _review_all(call):
    """Every reviewer declares no conflict and submits: a fair score for the plan's quality,
    moved by the reviewer's harshness, a little different per criterion."""
    grades = {f"{TITLE_PREFIX}{row[5]}": row[7] for row in PLANS}
    offsets = {email: offset for email, offset, _fields in REVIEWERS}
    criteria = list(Criterion.objects.filter(call=call).order_by("position"))
    assignments = ReviewAssignment.objects.filter(plan__call=call).select_related(
        "plan", "reviewer"
    )
    for assignment in assignments:
        if assignment.state == ReviewAssignment.State.SUBMITTED:
            continue
        reviewer = assignment.reviewer
        if assignment.state == ReviewAssignment.State.ASSIGNED:
            declare(assignment, has_conflict=False, by=reviewer)
        grade = grades.get(assignment.plan.title_en, 3)
        offset = offsets.get(reviewer.email, 0)
        scores = {
            criterion.pk: min(
                criterion.scale_max,
                max(criterion.scale_min, grade + offset + (1 if step == 2 and grade < 5 else 0)),
            )
            for step, criterion in enumerate(criteria)
        }
        save_review(
            assignment,
            scores=scores,
            comment_to_staff="Sound plan; the partner is committed." if grade >= 4 else "",
            comment_to_applicant="Clear objectives and a realistic programme.",
            submit=True,
            by=reviewer,
        )
