"""The declarations a course's rules ask the host to tick before submission (e.g. "The host
has obtained the consent of each sending institution"), and what a submission records of them.

The list is data on the course's rule set (`programs.models.RuleSet.declarations`), read
through `plan_rules`; `submit_plan(…, declarations=[codes])` refuses a missing one and stores
the ticked ones, with who ticked them and when, in the frozen version (`data["declarations"]`).
"""

from django.utils.translation import gettext as _

from programs.domain.rules import declaration_text, plan_rules

from .checks import with_source


def required_declarations(plan):
    """[{"code", "text_en", "text_ja"}] the host must tick to submit `plan`."""
    return plan_rules(plan).declarations


def missing_declaration_messages(plan, ticked):
    """{code: message} of the required declarations not among the `ticked` codes."""
    rules = plan_rules(plan)
    ticked = set(ticked or ())
    return {
        item["code"]: with_source(
            _("Tick the declaration “%(text)s” to submit the plan.")
            % {"text": declaration_text(item)},
            rules,
        )
        for item in rules.declarations
        if item["code"] not in ticked
    }


def declarations_record(plan, ticked, *, by, at):
    """What the frozen version keeps: each required declaration ticked, its texts, who and when."""
    ticked = set(ticked or ())
    return [
        {
            "code": item["code"],
            "text_en": item["text_en"],
            "text_ja": item["text_ja"],
            "ticked_by": by.pk,
            "ticked_by_name": by.full_name or by.email,
            "ticked_at": at.isoformat(),
        }
        for item in required_declarations(plan)
        if item["code"] in ticked
    ]
