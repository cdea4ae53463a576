"""The bench's floor: a bare view doing one indexed query, routed beside every page of the
portal, so that `make bench` requests it through the same middleware and the same signed-in
client as the pages (bench/pages.py makes this module the ROOT_URLCONF while it measures)."""

from django.http import HttpResponse
from django.urls import path

from applications.models import InvitationPlan
from sakura.urls import urlpatterns as portal


def floor(request, pk):
    """One indexed query, rendered into a response: the least a page can cost."""
    reference = InvitationPlan.objects.filter(pk=pk).values_list("reference", flat=True).first()
    return HttpResponse(f"<p>{reference}</p>")


urlpatterns = [path("bench/floor/<int:pk>/", floor, name="bench_floor"), *portal]
