"""What a submitted version keeps of the export-control screening: the host's answers and the
security forms (names and checksums, like attachments), as they were when the plan was checked.

Registered with `applications.domain.snapshots` in apps.py, so that applications never import
this app.
"""

from django.utils.translation import gettext as _

from ..models import ScreeningAnswers, SecurityForm

KEY = "screening"
ANSWER_FIELDS = (
    "tied_to_listed_entity",
    "listed_technology",
    "exemption",
    "specific_category",
    "explanation",
)


def screening_as_data(plan):
    """The plan's answers (by code) and security forms, as JSON-able data."""
    answers = ScreeningAnswers.objects.filter(plan=plan).first()
    forms = SecurityForm.objects.filter(plan=plan).select_related("partner")
    return {
        "answers": {name: getattr(answers, name) for name in ANSWER_FIELDS} if answers else {},
        "security_forms": [
            {
                "partner": form.partner.name if form.partner else "",
                "name": form.original_name,
                "sha256": form.sha256,
                "size": form.size,
            }
            for form in forms
        ],
    }


def screening_as_rows(data):
    """{label: [line]} of stored screening data, in the reader's language."""
    answers = []
    for name in ANSWER_FIELDS:
        value = data.get("answers", {}).get(name)
        if not value:
            continue
        field = ScreeningAnswers._meta.get_field(name)
        answers.append(
            _("%(question)s — %(answer)s")
            % {
                "question": field.verbose_name,
                "answer": dict(field.choices or ()).get(value, value),
            }
        )
    forms = [
        (
            _("Form of %(partner)s: %(name)s (sha256 %(sha256)s)")
            if form["partner"]
            else _("Host's form: %(name)s (sha256 %(sha256)s)")
        )
        % {"partner": form["partner"], "name": form["name"], "sha256": form["sha256"][:12]}
        for form in data.get("security_forms", [])
    ]
    return {_("Export-control screening"): answers, _("Security forms"): forms}
