"""Every model has a working admin with search and filters, for the operator."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.conftest import with_two_factor
from tests.factories import PlanFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_admin_changelist_searches_and_opens_an_object(client):
    plan = PlanFactory()
    client.force_login(with_two_factor(UserFactory(is_staff=True, is_superuser=True)))
    ours = [
        m
        for m in admin.site._registry
        if m._meta.app_label
        in {"accounts", "institutions", "programs", "applications", "notifications"}
    ]
    assert len(ours) >= 12
    for model in ours:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(url, {"q": plan.reference}).status_code == 200, url
        obj = model.objects.first()
        if obj is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
            assert client.get(change).status_code == 200, change


def test_coordinator_cannot_open_the_admin(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("admin:index"))
    assert response.status_code in (302, 403)
    assert b"Site administration" not in response.content
