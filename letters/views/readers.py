"""Reading letters: a download for those who may see the letter, and the public page that
says whether a letter is genuine."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views import View

from common.throttle import allow
from common.views import PermissionRequiredMixin

from ..models import Letter


class LetterDownload(PermissionRequiredMixin, View):
    """The PDF, streamed only to the participant, the host's coordinators and staff."""

    permission_required = "letters.download_letter"

    def get_permission_object(self):
        self.letter = get_object_or_404(
            Letter.objects.select_related("participant__plan", "plan"), pk=self.kwargs["pk"]
        )
        return self.letter

    def get(self, request, *args, **kwargs):
        if not self.letter.file:
            raise Http404  # removed at the end of the retention period
        try:
            stream = self.letter.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        return FileResponse(
            stream,
            as_attachment=True,
            filename=self.letter.download_name,
            content_type="application/pdf",
        )


def verify_letter(request, reference):
    """Public: whether a letter with this reference is genuine and current. Shows the name,
    the dates of stay and the status — nothing else about the person.

    Throttled per address (VERIFY_LETTER_PER_MINUTE), so the page cannot be walked to collect
    names; a reference typed in lower case is the same reference (the check code is upper case
    letters and digits)."""
    if not allow(request, "verify-letter", per_minute=settings.VERIFY_LETTER_PER_MINUTE):
        letter, status = None, 429
    else:
        letter = (
            Letter.objects.select_related("replaced_by")
            .filter(reference__iexact=reference.strip())
            .first()
        )
        status = 200 if letter else 404
    response = render(
        request,
        "letters/verify.html",
        {"letter": letter, "reference": reference, "throttled": status == 429},
        status=status,
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response
