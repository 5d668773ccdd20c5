"""The rows of the meeting record sheet, as HTML.

A sheet has a row per member (up to a hundred and more), each with four attendance buttons
and three readings typed in the row itself (no member to open first): through the template language that was most of the page's time (≈ 0.3 ms
a row), so the rows are put together here, every value escaped.
The rest of the page stays in ``templates/month/meeting_record.html``.
"""

from __future__ import annotations

import html
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from config.text import fold
from month.readings import HIGH_DIASTOLIC, HIGH_SYSTOLIC, UNUSUAL_DIASTOLIC, UNUSUAL_SYSTOLIC

# A member's row: name and birth year, the three readings beside them, the four attendance
# buttons under them (each at least 44 × 44 px), then a hint and any errors. ``data-name`` is
# the folded name (``config.text.fold``) that the search box matches as it is typed.
ROW = (
    '<div class="sheet-row" data-member-row id="member-{pk}" data-name="{folded}">'
    '<div class="sheet-who"><span class="fw-semibold">{name}</span>{mark}'
    '<span class="small text-body-secondary ms-1">{year}</span></div>'
    "{reading}"
    '<div class="att-group" role="radiogroup" aria-label="{aria}">'
    "{buttons}</div>{errors}</div>\n"
)
READING = (
    '<div class="sheet-bp" data-reading data-unusual-sys="{unusual_sys}" '
    'data-unusual-dia="{unusual_dia}" data-high-sys="{high_sys}" data-high-dia="{high_dia}">'
    '{sys}<span class="sheet-slash" aria-hidden="true">/</span>{dia}{wt}</div>'
    '<div class="sheet-hint small" data-hint hidden></div>'
)
# A member who has not agreed to their health data being kept: a mark beside the name, and
# no reading fields (``month.readings.has_health_consent``).
NO_CONSENT_MARK = ' <span class="badge sheet-badge fw-normal" data-no-consent>{label}</span>'
NO_CONSENT_NOTE = '<div class="sheet-bp small text-body-secondary">{note}</div>'

BUTTON = (
    '<input type="radio" class="btn-check" name="{name}" id="{id}" value="{value}" '
    'autocomplete="off"{checked}>'
    '<label class="btn att-{colour}{grow}" for="{id}"{title}>{label}</label>'
)
INPUT = (
    '<label class="visually-hidden" for="{id}">{label}</label>'
    '<input type="text" class="form-control sheet-{kind}{invalid}" name="{name}" id="{id}" '
    'value="{value}" inputmode="{mode}"{pattern} maxlength="{maxlength}" autocomplete="off" '
    'placeholder="{placeholder}" enterkeyhint="next"{data}{disabled}>'
)


def _e(value: Any) -> str:
    """Escape for HTML text and attributes (what ``django.utils.html.escape`` does, without
    its lazy-string check, which cost more than the escaping itself here)."""
    return html.escape(str(value))


def _input(
    field: dict[str, Any],
    label: str,
    *,
    kind: str,
    placeholder: str,
    decimal: bool = False,
    bp: str = "",
    off: bool = False,
) -> str:
    return INPUT.format(
        id=_e(field["id"]),
        label=label,
        kind=kind,
        invalid=" is-invalid" if field["errors"] else "",
        name=_e(field["name"]),
        value=_e(field["value"]),
        mode="decimal" if decimal else "numeric",
        pattern="" if decimal else ' pattern="[0-9]*"',
        maxlength=5 if decimal else 3,
        placeholder=placeholder,
        data=f' data-bp="{bp}"' if bp else "",
        disabled=" disabled" if off else "",
    )


def render_rows(rows: list[dict[str, Any]]) -> SafeString:
    """The sheet's rows (``MeetingRecordForm.rows``) as HTML; every value is escaped."""
    not_marked = _e(_("Not marked"))
    labels = {key: _e(text) for key, text in {
        "sys": _("Systolic"), "dia": _("Diastolic"), "wt": _("Weight (kg)"),
    }.items()}  # fmt: skip
    no_consent_mark = NO_CONSENT_MARK.format(label=_e(_("No consent")))
    no_consent_note = NO_CONSENT_NOTE.format(
        note=_e(_("Has not agreed to their health data being kept: no readings."))
    )
    out = []
    for row in rows:
        member, sys, dia, wt = row["member"], row["sys"], row["dia"], row["wt"]
        name = _e(row["att_name"])
        full_name = _e(member.full_name)
        buttons = "".join(
            BUTTON.format(
                name=name,
                id=_e(b["id"]),
                value=_e(b["value"]),
                checked=" checked" if b["checked"] else "",
                colour=_e(b["colour"]),
                grow="" if b["value"] else " att-none",
                title="" if b["value"] else f' title="{not_marked}" aria-label="{not_marked}"',
                label=_e(b["label"]),
            )
            for b in row["buttons"]
        )
        errors = "".join(
            f'<div class="sheet-error small text-danger">{_e(e)}</div>'
            for f in (sys, dia, wt)
            for e in f["errors"]
        )
        consent = row.get("consent", True)
        if not consent and not row["open"]:
            reading = no_consent_note
        else:
            reading = READING.format(
                unusual_sys=UNUSUAL_SYSTOLIC,
                unusual_dia=UNUSUAL_DIASTOLIC,
                high_sys=HIGH_SYSTOLIC,
                high_dia=HIGH_DIASTOLIC,
                sys=_input(
                    sys, f"{labels['sys']} · {full_name}", kind="sys", placeholder="",
                    bp="sys", off=not consent,
                ),
                dia=_input(
                    dia, f"{labels['dia']} · {full_name}", kind="dia", placeholder="",
                    bp="dia", off=not consent,
                ),
                wt=_input(
                    wt, f"{labels['wt']} · {full_name}", kind="wt", placeholder="kg",
                    decimal=True, off=not consent,
                ),
            )  # fmt: skip
        out.append(
            ROW.format(
                pk=int(member.pk),
                folded=_e(member.search_name or fold(member.full_name)),
                name=full_name,
                mark="" if consent else no_consent_mark,
                year=_e(member.birth_year or ""),
                reading=reading,
                aria=_e(row["aria"]),
                buttons=buttons,
                errors=errors,
            )
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above went through _e)
