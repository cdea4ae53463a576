"""Course D's rule sets are made of activities, with limits per kind of activity.

The figures are demo figures, not the agency's (the FY2025 guidelines leave them to each
plan's contract); staff change them on the rule-set page, which records the change.
"""

from django.db import migrations

ACTIVITY_LIMITS = {
    "invitation": {"max_people": 10, "max_days": 14, "max_jpy": 6_000_000},
    "dispatch": {"max_people": 10, "max_days": 14, "max_jpy": 6_000_000},
    "online": {"max_people": 200},
}
NOTE_EN = "activity limits: demo figures"
NOTE_JA = "活動ごとの上限はデモ用の値"


def with_note(source, note, limit=200):
    if note in source:
        return source
    return (f"{source}; {note}" if source else note)[:limit]


def course_d_uses_activities(apps, schema_editor):
    RuleSet = apps.get_model("programs", "RuleSet")
    for rule_set in RuleSet.objects.filter(course__code="D", uses_activities=False):
        rule_set.uses_activities = True
        rule_set.activity_limits = rule_set.activity_limits or ACTIVITY_LIMITS
        rule_set.source_en = with_note(rule_set.source_en, NOTE_EN)
        rule_set.source_ja = with_note(rule_set.source_ja, NOTE_JA)
        rule_set.save(
            update_fields=["uses_activities", "activity_limits", "source_en", "source_ja"]
        )


class Migration(migrations.Migration):
    dependencies = [("programs", "0007_activities_and_agency_hosted")]

    operations = [migrations.RunPython(course_d_uses_activities, migrations.RunPython.noop)]
