"""The rush's simulated browser sends a form as htmx would, from the page's own markup."""

from bench.browser_forms import post_form

PAGE = "http://testserver/plans/7/edit/"


def form(attributes):
    return (
        f'<form method="post" {attributes}><input type="hidden" name="plan_version" value="3">'
        '<input name="title_en" value="Kept"><button type="submit">Save</button></form>'
    )


def test_a_boosted_form_goes_to_its_action_as_a_boosted_request():
    action, fields, headers = post_form(form('hx-boost="true"'), PAGE, "plan_version")

    assert action == PAGE
    assert fields == {"plan_version": ["3"], "title_en": ["Kept"]}
    assert headers == {"HX-Request": "true", "HX-Current-URL": PAGE, "HX-Boosted": "true"}


def test_a_form_with_hx_post_goes_there_naming_its_target():
    html = form('action="/plain/" hx-post="/plans/7/edit/itinerary/" hx-target="#itinerary"')

    action, _fields, headers = post_form(html, PAGE, "plan_version")

    assert action == "http://testserver/plans/7/edit/itinerary/"
    assert headers == {"HX-Request": "true", "HX-Current-URL": PAGE, "HX-Target": "itinerary"}


def test_a_plain_form_is_sent_without_htmx():
    action, _fields, headers = post_form(form('action="/plain/"'), PAGE, "plan_version")

    assert action == "http://testserver/plain/"
    assert headers == {}


def test_no_form_holding_the_field():
    assert post_form(form(""), PAGE, "missing") == (None, None, None)
