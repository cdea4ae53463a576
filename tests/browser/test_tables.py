"""The busy tables at 1280 px, in Japanese, on the demo's data: headers on one line, amounts
and dates unbroken, no column squeezed until its words break letter by letter; and axe finds
nothing on those pages."""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

from applications.models import InvitationPlan
from programs.models import Call
from tests.conftest import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "sakura-demo-2026"

# For every table on the page: header cells that wrap onto a second line, number cells that
# wrap, and cells whose lines hold fewer than four letters on average (a column squeezed
# until its words break per character).
MEASURE = r"""
() => {
  // Lines of text in an element: the rectangles of its text (not of its boxes), a new line
  // wherever a rectangle starts below the bottom of the line before.
  const lines = (element) => {
    const rects = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (!walker.currentNode.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(walker.currentNode);
      for (const rect of range.getClientRects()) if (rect.width > 0) rects.push(rect);
    }
    rects.sort((a, b) => a.top - b.top);
    let count = 0;
    let bottom = -Infinity;
    for (const rect of rects) {
      if (rect.top >= bottom - 2) count += 1;
      bottom = Math.max(bottom, rect.bottom);
    }
    return count;
  };
  const problems = [];
  for (const cell of document.querySelectorAll("table th, table td")) {
    const text = cell.innerText.trim();
    if (!text || cell.closest("[hidden]") || cell.offsetParent === null) continue;
    const count = lines(cell);
    const letters = text.replace(/\s+/g, "").length;
    const header = cell.tagName === "TH" && cell.closest("thead");
    if (header && count > 1) problems.push(`header wraps: ${text}`);
    if (cell.classList.contains("num") && count > 1) problems.push(`number wraps: ${text}`);
    if (count > 1 && letters / count < 4) problems.push(`squeezed: ${text.slice(0, 40)}`);
  }
  return problems;
}
"""


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo")
    return {
        "in_review": Call.objects.get(program__code="nexus", round=1),
        "in_progress": InvitationPlan.objects.get(title_en="Monsoon hydrology field school"),
    }


def sign_in_as_officer(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill("officer@example.org")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form.login-form button[type=submit]").click()
    page.locator("input[name=code]").fill(totp_code())
    page.locator("main button[type=submit]").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    return page


def test_busy_tables_keep_headers_numbers_and_words_whole_at_1280_px(browser, live_server, demo):
    page = sign_in_as_officer(browser, live_server)
    call = demo["in_review"]
    pages = [
        f"/staff/calls/{call.pk}/ranking/",
        f"/staff/calls/{call.pk}/assignments/",
        f"/staff/calls/{call.pk}/plans/",
        f"/plans/{demo['in_progress'].pk}/participants/",
        "/staff/outbox/",
        "/staff/dashboard/",
        "/staff/",
    ]
    found = {}
    for path in pages:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        problems = page.evaluate(MEASURE)
        problems += [violation["id"] for violation in Axe().run(page).response["violations"]]
        if problems:
            found[path] = problems
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)
