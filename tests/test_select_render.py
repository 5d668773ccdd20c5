"""Selects are put together in Python (``config.ui.select_html``) with the HTML Django's own
templates give: a province's filter form lists a hundred communes on every page."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import Jinja2
from django.utils.translation import gettext_lazy

from config.ui import WidgetRenderer, select_html

GROUPED = [
    ("", "---------"),
    ("Lai Châu", [(1, 'Xã "Bình" Lư'), (2, "Phường Tân Phong")]),
    ("Điện Biên", [(3, "Xã <Mường> Chà")]),
    (4, gettext_lazy("Other")),
]


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("a", "A & B"), ("b", "B")])
    grouped = forms.ChoiceField(choices=GROUPED, required=False)
    many = forms.MultipleChoiceField(choices=[(1, "Một"), (2, "Hai"), (3, "Ba")])
    maybe = forms.NullBooleanField()
    styled = forms.ChoiceField(
        choices=[("x", "X")],
        widget=forms.Select(attrs={"class": "form-select", "disabled": True, "hidden": False}),
    )


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"plain": "a", "grouped": "3", "many": ["1", "3"], "maybe": "true", "styled": "x"},
        {"grouped": "4", "maybe": "false"},
    ],
)
def test_every_select_is_drawn_as_djangos_templates_draw_it(data):
    form = Everything(data or None, renderer=WidgetRenderer())
    jinja = Everything(data or None, renderer=Jinja2())
    for name in form.fields:
        fast, slow = str(form[name]), str(jinja[name])
        assert fast == slow, name
    assert "Xã &#34;Bình&#34; Lư" in str(form["grouped"])
    assert "Xã &lt;Mường&gt; Chà" in str(form["grouped"])


def test_a_select_with_options_of_their_own_is_left_to_its_templates():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input.html"

    widget = Custom(choices=[("a", "A")])
    assert select_html(widget.get_context("f", "a", {})["widget"]) is None
