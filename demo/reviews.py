"""Demo review set-up of the open call: criteria, reviewers per plan, the deadline, and the
reviewers' fields of expertise."""

from datetime import timedelta

from accounts.models import User
from programs.models import Call
from reviews.models import Criterion, ReviewerProfile, ReviewSetup


def seed_review():
    """Criteria and set-up for the open call; fields of expertise for the reviewers."""
    call = Call.objects.get(program__code="ssp", status=Call.Status.PUBLISHED)
    ReviewSetup.objects.update_or_create(
        call=call,
        defaults={
            "reviewers_per_plan": 2,
            "max_load": 20,
            "deadline": call.closes_at + timedelta(days=30),
        },
    )
    criteria = [
        ("Scientific and educational value", "科学技術・教育上の意義", 3),
        ("Quality and feasibility of the programme", "計画の質と実現可能性", 2),
        ("Lasting exchange and follow-up", "継続的な交流・波及効果", 1),
    ]
    for position, (name_en, name_ja, weight) in enumerate(criteria):
        Criterion.objects.update_or_create(
            call=call,
            name_en=name_en,
            defaults={"name_ja": name_ja, "weight": weight, "position": position},
        )
    for email, fields in [
        ("reviewer@example.org", ["engineering", "materials"]),
        ("professor@example.org", ["engineering", "informatics"]),
    ]:
        ReviewerProfile.objects.update_or_create(
            user=User.objects.get(email=email), defaults={"fields_of_science": fields}
        )
