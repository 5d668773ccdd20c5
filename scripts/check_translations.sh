#!/usr/bin/env bash
# Fails when any Vietnamese catalogue has an untranslated or fuzzy entry.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for po in locale/vi/LC_MESSAGES/django.po */locale/vi/LC_MESSAGES/django.po; do
  [ -f "$po" ] || continue
  stats=$(msgfmt --check --statistics -o /dev/null "$po" 2>&1)
  case "$stats" in
    *untranslated*|*fuzzy*) echo "$po: $stats"; status=1 ;;
  esac
done
exit $status
