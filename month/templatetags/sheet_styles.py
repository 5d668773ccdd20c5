"""The record sheet's first stylesheet: inside the page for a phone that does not hold the file
yet, linked once it does (``month.offline.first_styles``, docs/offline.md)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from month.offline import FIRST_STYLES_COOKIE, first_styles

register = template.Library()


@register.simple_tag(takes_context=True)
def sheet_first_styles(context: dict[str, Any]) -> SafeString:
    """A ``<link>`` to the file when the phone's cookie names the current version, else the
    same CSS in a ``<style>`` allowed by this response's nonce only (Content-Security-Policy
    ``style-src-elem``; the nonce is in the header only when a page uses it)."""
    found = first_styles()
    if found is None:
        return SafeString("")
    css, url, key = found
    request = context.get("request")
    nonce = getattr(request, "csp_nonce", None) if request is not None else None
    if request is None or nonce is None or request.COOKIES.get(FIRST_STYLES_COOKIE) == key:
        return format_html('<link rel="stylesheet" href="{}">', url)
    # The file holds no "</" (first_styles): it cannot end the element early.
    return format_html(
        '<style nonce="{}" data-first-styles="{}" data-key="{}">{}</style>',
        str(nonce),
        url,
        key,
        mark_safe(css),  # noqa: S308 - our own generated stylesheet, checked above
    )
