"""Signing in through the login page, as the browser tests of coordinators' pages do."""

import re

from playwright.sync_api import expect

from tests.factories import PASSWORD


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.login-form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile("/accounts/login/"))
