"""What a participant's data must not hold: the marks a file saved in the wrong encoding leaves.

Japanese Excel's "CSV" is Shift_JIS, and it writes "?" for every letter Shift_JIS cannot hold:
"Trần Văn Hùng" arrives as "Tr?n V?n H?ng", a Thai or Myanmar name as "??? ?????". A decoder
that meets bytes it cannot read puts U+FFFD (�) in their place. Neither may reach a visa letter.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REPLACEMENT_CHARACTER = "\ufffd"


def no_question_mark(value):
    """No name has a "?": it is a letter that an encoding could not hold."""
    if "?" in value:
        raise ValidationError(
            _(
                "“%(value)s” has “?” where a letter should be: Excel's “CSV” (Shift_JIS) writes "
                "“?” for the letters it cannot hold. Type the name as in the passport; to "
                "import a file, save it as “CSV UTF-8”."
            ),
            code="question_mark",
            params={"value": value},
        )


def no_replacement_character(value):
    """No text has U+FFFD (�): the mark of bytes read in the wrong encoding."""
    if REPLACEMENT_CHARACTER in value:
        raise ValidationError(
            _(
                "“%(value)s” has “�” where a letter was lost to a wrong encoding. Type it "
                "again; to import a file, save it as “CSV UTF-8”."
            ),
            code="replacement_character",
            params={"value": value},
        )


NAME_VALIDATORS = [no_question_mark, no_replacement_character]
TEXT_VALIDATORS = [no_replacement_character]
