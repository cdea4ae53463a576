"""The ground floor: helpers every app may use and that know no app of the portal.

Japan time, yen, country names, form widgets and rendering, the permission mixin and the
one way to queue a Celery task after commit. Nothing here imports accounts, programs,
institutions, applications, reviews, participants, letters, reports, notifications, insights,
demo or sakura (tests/test_layout.py checks it).
"""
