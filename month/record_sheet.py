"""The rows of the meeting record sheet, as HTML.

A sheet has a row per member (up to a hundred and more), each with four attendance buttons
and three readings: through the template language that was most of the page's time (≈ 0.3 ms
a row), so the rows are put together here, every value escaped.
The rest of the page stays in ``templates/month/meeting_record.html``.
"""

from __future__ import annotations

import html
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from month.readings import UNUSUAL_DIASTOLIC, UNUSUAL_SYSTOLIC

ROW = (
    '<div class="border-bottom py-2" data-member-row id="member-{pk}">'
    '<div class="d-flex justify-content-between align-items-baseline">'
    '<span class="fw-semibold">{name}{mark}</span><span class="small text-muted">{year}</span>'
    "</div>"
    '<div class="btn-group w-100 att-group mt-1" role="radiogroup" aria-label="{aria}">'
    "{buttons}</div>{reading}</div>\n"
)
READING = (
    '<details class="mt-1 reading"{open} data-unusual-sys="{unusual_sys}" '
    'data-unusual-dia="{unusual_dia}">'
    '<summary class="small text-primary">{readings}{summary}</summary>'
    '<div class="d-flex flex-wrap gap-2 align-items-end mt-1">'
    '{sys}<span class="pb-2">/</span>{dia}{wt}</div>'
    '<div class="small text-danger" data-bp-warning hidden>{very_high}</div>{errors}'
    "</details>"
)
# A member who has not agreed to their health data being kept: a mark beside the name, and
# no reading fields (``month.readings.has_health_consent``).
NO_CONSENT_MARK = ' <span class="badge text-bg-warning fw-normal" data-no-consent>{label}</span>'
NO_CONSENT_NOTE = '<div class="small text-muted mt-1">{note}</div>'

BUTTON = (
    '<input type="radio" class="btn-check" name="{name}" id="{id}" value="{value}" '
    'autocomplete="off"{checked}>'
    '<label class="btn btn-outline-{colour}{grow}" for="{id}"{title}>{label}</label>'
)
INPUT = (
    '<div><label class="form-label small mb-0" for="{id}">{label}</label>'
    '<input type="text" class="form-control{invalid}" name="{name}" id="{id}" value="{value}" '
    'inputmode="{mode}"{pattern} maxlength="{maxlength}" autocomplete="off"{data}{disabled}>'
    "</div>"
)


def _e(value: Any) -> str:
    """Escape for HTML text and attributes (what ``django.utils.html.escape`` does, without
    its lazy-string check, which cost more than the escaping itself here)."""
    return html.escape(str(value))


def _input(
    field: dict[str, Any], label: str, *, decimal: bool = False, bp: str = "", off: bool = False
) -> str:
    return INPUT.format(
        id=_e(field["id"]),
        label=label,
        invalid=" is-invalid" if field["errors"] else "",
        name=_e(field["name"]),
        value=_e(field["value"]),
        mode="decimal" if decimal else "numeric",
        pattern="" if decimal else ' pattern="[0-9]*"',
        maxlength=5 if decimal else 3,
        data=f' data-bp="{bp}"' if bp else "",
        disabled=" disabled" if off else "",
    )


def render_rows(rows: list[dict[str, Any]]) -> SafeString:
    """The sheet's rows (``MeetingRecordForm.rows``) as HTML; every value is escaped."""
    not_marked = _e(_("Not marked"))
    labels = {
        key: _e(text)
        for key, text in {
            "readings": _("Readings"),
            "sys": _("Systolic"),
            "dia": _("Diastolic"),
            "wt": _("Weight (kg)"),
            "very_high": _("Very high (%(threshold)s or more): measure again after a rest.")
            % {"threshold": f"{UNUSUAL_SYSTOLIC}/{UNUSUAL_DIASTOLIC}"},
        }.items()
    }
    no_consent_mark = NO_CONSENT_MARK.format(label=_e(_("No consent")))
    no_consent_note = NO_CONSENT_NOTE.format(
        note=_e(_("Has not agreed to their health data being kept: no readings."))
    )
    out = []
    for row in rows:
        member, sys, dia, wt = row["member"], row["sys"], row["dia"], row["wt"]
        name = _e(row["att_name"])
        buttons = "".join(
            BUTTON.format(
                name=name,
                id=_e(b["id"]),
                value=_e(b["value"]),
                checked=" checked" if b["checked"] else "",
                colour=_e(b["colour"]),
                grow="" if b["value"] else " flex-grow-0",
                title="" if b["value"] else f' title="{not_marked}"',
                label=_e(b["label"]),
            )
            for b in row["buttons"]
        )
        summary = ""
        if sys["value"] != "":
            summary += f" · {_e(sys['value'])}/{_e(dia['value'])}"
        if wt["value"] != "":
            summary += f" · {_e(wt['value'])} kg"
        errors = "".join(
            f'<div class="small text-danger">{_e(e)}</div>'
            for f in (sys, dia, wt)
            for e in f["errors"]
        )
        consent = row.get("consent", True)
        if not consent and not row["open"]:
            reading = no_consent_note
        else:
            reading = READING.format(
                open=" open" if row["open"] else "",
                unusual_sys=UNUSUAL_SYSTOLIC,
                unusual_dia=UNUSUAL_DIASTOLIC,
                readings=labels["readings"],
                summary=summary,
                sys=_input(sys, labels["sys"], bp="sys", off=not consent),
                dia=_input(dia, labels["dia"], bp="dia", off=not consent),
                wt=_input(wt, labels["wt"], decimal=True, off=not consent),
                very_high=labels["very_high"],
                errors=errors,
            )
        out.append(
            ROW.format(
                pk=int(member.pk),
                name=_e(member.full_name),
                mark="" if consent else no_consent_mark,
                year=_e(member.birth_year or ""),
                aria=_e(row["aria"]),
                buttons=buttons,
                reading=reading,
            )
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above went through _e)
