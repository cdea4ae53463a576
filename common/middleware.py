"""Requests no page can answer, refused before any view runs."""

from django.core.exceptions import BadRequest
from django.views.defaults import bad_request

NUL = "\x00"


class RefuseNulCharactersMiddleware:
    """A NUL character in the address or its query string (/verify/%00/, ?q=%00) answers 400.

    PostgreSQL stores and compares no NUL in text, so any lookup with one would fail with a
    500; no reference, token or search term holds one. Forms refuse NUL at their fields
    (Django's CharField does), so POST bodies are left to them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET
        if NUL in request.path or any(
            NUL in key or any(NUL in value for value in values) for key, values in query.lists()
        ):
            return bad_request(request, BadRequest("NUL character in the request"))
        return self.get_response(request)
