"""Turning a letter's data into a PDF: a Django template, WeasyPrint, Noto fonts and a QR code.

The stylesheet and the font configuration are loaded once per process; parsing them for every
letter would cost more than the letter itself.
"""

import functools
import logging
import re
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


# Scripts whose shaping reorders, splits or joins glyphs (Arabic, the Indic scripts from
# Devanagari to Sinhala, Thai, Lao, Myanmar, Khmer): their text cannot be read back glyph by glyph.
SHAPED_SCRIPTS = re.compile(
    "[\u0600-\u06ff\u0750-\u077f\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]"
)


@functools.cache
def _install_actual_text():
    """Give each run of text in a shaped script its real text as /ActualText (ISO 32000-1,
    14.9.4), so that search, copy and screen readers get the name as typed.

    Why: WeasyPrint (70) writes one ToUnicode entry per glyph, first come first served, from
    the glyph's slice of the text (`draw_first_line` in weasyprint/draw/text.py). When shaping
    draws a cluster as several glyphs, all but one get an empty text, and a glyph drawn again
    in another cluster (the ा of प्रिया reused in the reph cluster र्मा of शर्मा) keeps its
    first text, so शर्मा reads back as "शार्मा" (pdftotext, with its gap: "श ार्मा"). No
    per-glyph map can be right for such text (upstream: Kozea/WeasyPrint#2841). A marked-content
    span with /ActualText around the run is the PDF's own answer; poppler, Acrobat and Chrome
    read it. Readers that ignore /ActualText (pypdf, pdf.js in Firefox, Apple Preview) still
    read WeasyPrint's per-glyph map.
    """
    import pydyf
    import weasyprint.draw

    draw_text = weasyprint.draw.draw_text

    @functools.wraps(draw_text)
    def draw_text_with_actual_text(stream, textbox, *args, **kwargs):
        if not SHAPED_SCRIPTS.search(textbox.text):
            return draw_text(stream, textbox, *args, **kwargs)
        text = pydyf.Dictionary({"ActualText": pydyf.String(textbox.text)})
        stream.begin_marked_content("Span", text)
        try:
            return draw_text(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()

    weasyprint.draw.draw_text = draw_text_with_actual_text


def html_to_pdf(html):
    """PDF bytes from the letter's HTML, with the letter stylesheet (and /ActualText for the
    runs of shaped scripts, see `_install_actual_text`)."""
    from weasyprint import HTML

    _install_actual_text()

    return HTML(string=html, base_url=str(STYLESHEET.parent)).write_pdf(
        stylesheets=[_stylesheet()], font_config=_font_configuration()
    )


def render_letter(template_name, data, *, reference, issued_at):
    return html_to_pdf(letter_html(template_name, data, reference=reference, issued_at=issued_at))
