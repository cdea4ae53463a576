"""Turning a letter's data into a PDF: a Django template, WeasyPrint, Noto fonts and a QR code.

The stylesheet and the font configuration are loaded once per process; parsing them for every
letter would cost more than the letter itself.
"""

import functools
import logging
from pathlib import Path

import segno
from django.template.loader import render_to_string
from django.urls import reverse

from common.dates import JAPAN

# WeasyPrint reports every step of every letter at INFO; a batch of 1,000 would drown the log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

STYLESHEET = Path(__file__).resolve().parent.parent / "pdf" / "letter.css"

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def date_ja(day):
    """2027年1月10日"""
    return f"{day.year}年{day.month}月{day.day}日"


def date_en(day):
    """10 January 2027 — spelled out, so that nobody reads 01/10 as 10 January or 1 October."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def verification_url(reference, site):
    """Where the QR code points: the public verification page of this reference at `site`
    (the portal's address when the letter was issued, kept in its data)."""
    return site.rstrip("/") + reverse("letter_verify", args=[reference])


def qr_code_data_uri(url):
    return segno.make(url, error="m").svg_data_uri(border=0, dark="#111")


@functools.cache
def _font_configuration():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.cache
def _stylesheet():
    from weasyprint import CSS

    return CSS(filename=str(STYLESHEET), font_config=_font_configuration())


def letter_html(template_name, data, *, reference, issued_at):
    """The letter as HTML: the data, its reference, the date of issue and the QR code."""
    url = verification_url(reference, data["verification"]["site"])
    issued_on = issued_at.astimezone(JAPAN).date()
    return render_to_string(
        template_name,
        {
            "letter": data,
            "reference": reference,
            "verify_url": url,
            "qr_code": qr_code_data_uri(url),
            "issued_on_ja": date_ja(issued_on),
            "issued_on_en": date_en(issued_on),
        },
    )


def html_to_pdf(html):
    """PDF bytes from the letter's HTML, with the letter stylesheet."""
    from weasyprint import HTML

    return HTML(string=html, base_url=str(STYLESHEET.parent)).write_pdf(
        stylesheets=[_stylesheet()], font_config=_font_configuration()
    )


def render_letter(template_name, data, *, reference, issued_at):
    return html_to_pdf(letter_html(template_name, data, reference=reference, issued_at=issued_at))
