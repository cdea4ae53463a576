"""The questionnaire after the stay, bilingual by design: every question in English and Japanese.

The question texts carry both languages on one label (so that a participant can check a word in
the other language), which is why they are not marked for translation; buttons and messages are.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import SurveyAnswer

QUESTIONS = {
    "satisfaction_overall": "How satisfied are you overall? / 全体の満足度",
    "satisfaction_program": (
        "How satisfied are you with the program of your stay? / 滞在プログラムの満足度"
    ),
    "satisfaction_host": ("How satisfied are you with your host institution? / 受入れ機関の満足度"),
    "would_study_in_japan": (
        "Would you like to study or do research in Japan in the future? / "
        "将来、日本で留学・研究をしたいですか"
    ),
    "would_recommend": (
        "Would you recommend this program to a friend? / この事業を友人に勧めますか"
    ),
    "free_text": (
        "Anything you would like to tell us about your stay (optional) / "
        "滞在についてのご意見・ご感想(任意)"
    ),
}

SCALE_CHOICES = [
    (1, "1 — Very dissatisfied / とても不満"),
    (2, "2 — Dissatisfied / 不満"),
    (3, "3 — Neutral / どちらでもない"),
    (4, "4 — Satisfied / 満足"),
    (5, "5 — Very satisfied / とても満足"),
]

WOULD_STUDY_CHOICES = [
    (SurveyAnswer.WouldStudy.YES, "Yes / はい"),
    (SurveyAnswer.WouldStudy.MAYBE, "Maybe / たぶん"),
    (SurveyAnswer.WouldStudy.NO, "No / いいえ"),
]

YES_NO_CHOICES = [("yes", "Yes / はい"), ("no", "No / いいえ")]


def _scale(name):
    return forms.TypedChoiceField(
        label=QUESTIONS[name], choices=SCALE_CHOICES, coerce=int, widget=forms.RadioSelect
    )


class SurveyForm(forms.Form):
    """The participant's answers; `cleaned_data` fits SurveyAnswer's fields (language aside)."""

    satisfaction_overall = _scale("satisfaction_overall")
    satisfaction_program = _scale("satisfaction_program")
    satisfaction_host = _scale("satisfaction_host")
    would_study_in_japan = forms.ChoiceField(
        label=QUESTIONS["would_study_in_japan"],
        choices=WOULD_STUDY_CHOICES,
        widget=forms.RadioSelect,
    )
    would_recommend = forms.TypedChoiceField(
        label=QUESTIONS["would_recommend"],
        choices=YES_NO_CHOICES,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    free_text = forms.CharField(
        label=QUESTIONS["free_text"],
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Your comments are shown to your host and the agency without your name."),
    )
