"""LongSelect renders what Django's Select renders, only faster: same options, same choice
selected, same attributes (ids, required, the aria attributes of a field with errors)."""

import re

from django import forms
from django.test.html import parse_html
from django.utils import translation
from django_countries.fields import CountryField
from localflavor.jp.jp_prefectures import JP_PREFECTURE_CODES

from common.choices import country_choices
from common.widgets import LongSelect, sort_key


class Row(forms.Form):
    country = CountryField().formfield()


class FastRow(forms.Form):
    country = CountryField().formfield(widget=LongSelect)


def rendered(form):
    return parse_html(str(form["country"]))


def test_same_markup_as_select_with_a_choice_made():
    fast = FastRow(initial={"country": "TH"})
    assert rendered(fast) == rendered(Row(initial={"country": "TH"}))
    html = str(fast["country"])
    assert '<option value="TH" selected>Thailand</option>' in html
    assert html.count(" selected") == 1
    assert 'id="id_country"' in html and " required" in html


def test_same_markup_as_select_on_a_field_with_errors():
    fast, plain = FastRow(data={"country": "XX"}), Row(data={"country": "XX"})
    assert not fast.is_valid() and not plain.is_valid()
    assert rendered(fast) == rendered(plain)
    assert 'aria-invalid="true"' in str(fast["country"])


def test_options_listed_once_still_show_each_selects_own_choice():
    assert 'value="TH" selected' in str(FastRow(initial={"country": "TH"})["country"])
    second = FastRow(initial={"country": "VN"})
    assert rendered(second) == rendered(Row(initial={"country": "VN"}))
    assert str(second["country"]).count(" selected") == 1


def test_labels_are_escaped():
    widget = LongSelect(choices=[("a", "<b>&</b>")])
    assert '<option value="a">&lt;b&gt;&amp;&lt;/b&gt;</option>' in widget.render("x", None)


def test_options_follow_the_alphabet_of_the_readers_language():
    with translation.override("en"):
        english = option_labels(FastRow())
    with translation.override("ja"):
        japanese = option_labels(FastRow())
    assert english[0] == japanese[0] == "---------"
    assert english.index("Tanzania") < english.index("Thailand") < english.index("Timor-Leste")
    assert english.index("Åland Islands") < english.index("Albania")
    assert japanese.index("タイ") < japanese.index("タンザニア")
    assert japanese[1:] == sorted(japanese[1:], key=sort_key)


def option_labels(form):
    return re.findall(r">([^<]+)</option>", str(form["country"]))


def test_country_choices_are_in_the_readers_language_each_time():
    """Listed once per language, not once for whoever asked first."""
    with translation.override("ja"):
        first_in_japanese = dict(country_choices())
    with translation.override("en"):
        in_english = dict(country_choices())
    with translation.override("ja"):
        again_in_japanese = dict(country_choices())

    assert (first_in_japanese["TH"], in_english["TH"], again_in_japanese["TH"]) == (
        "タイ",
        "Thailand",
        "タイ",
    )
    assert len(in_english) == len(first_in_japanese) > 240


class PrefectureRow(forms.Form):
    prefecture = forms.ChoiceField(
        choices=[("", "Any"), *JP_PREFECTURE_CODES], widget=LongSelect(keep_order=True)
    )


def test_keep_order_lists_the_prefectures_north_to_south_in_the_readers_language():
    """Hokkaido to Okinawa, as every Japanese list of prefectures runs; not the alphabet."""
    with translation.override("en"):
        english = re.findall(r">([^<]+)</option>", str(PrefectureRow()["prefecture"]))
    with translation.override("ja"):
        japanese = re.findall(r">([^<]+)</option>", str(PrefectureRow()["prefecture"]))
    chosen = str(PrefectureRow(initial={"prefecture": "13"})["prefecture"])

    assert english[:3] == ["Any", "Hokkaido", "Aomori"] and english[-1] == "Okinawa"
    assert japanese[:3] == ["Any", "北海道", "青森県"] and japanese[-1] == "沖縄県"
    assert '<option value="13" selected>Tokyo</option>' in chosen
