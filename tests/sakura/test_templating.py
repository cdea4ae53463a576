"""The rows of the longest tables are Jinja2 templates included in Django pages
(sakura/templating.py): they see the page's context, escape what people typed as the Django
templates do, and speak the reader's language."""

from types import SimpleNamespace

from django.template import Context, Template
from django.urls import reverse

from tests.factories import PlanFactory

TYPED = "<script>alert(\"x\")</script> & 'q'"


def test_a_jinja2_part_sees_the_page_context():
    page = Template('<tbody>{% jinja2_include "reviews/includes/projected_loads.html" %}</tbody>')
    reviewer = SimpleNamespace(full_name="Ada Lovelace")
    context = Context({"projected": [(reviewer, 4, 2, 6)], "setup": {"max_load": 6}})
    html = page.render(context)
    assert '<th scope="row">Ada Lovelace</th>' in html
    assert '<td class="num">4</td><td class="num">+2</td>' in html
    assert '<span class="badge">at the maximum</span>' in html


def test_rows_escape_what_people_typed(client, coordinator, institution):
    PlanFactory(host=institution, lead=coordinator, title_en=TYPED)
    client.force_login(coordinator)
    html = client.get(reverse("plan_list")).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;q&#39;" in html


def test_rows_speak_the_readers_language(client, coordinator, institution):
    coordinator.preferred_language = "ja"
    coordinator.save()
    PlanFactory(host=institution, lead=coordinator)
    PlanFactory(host=institution, lead=coordinator, complete=False, title_en="")
    client.force_login(coordinator)
    html = client.get(reverse("plan_list")).content.decode()
    assert html.count('<span class="badge state-draft">下書き</span>') == 2
    assert "確認・提出できます" in html  # the complete plan: ready
    assert "基本情報" in html  # the other one: its basics are missing
