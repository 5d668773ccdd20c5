#!/usr/bin/env bash
# Extract one app's translatable strings (its Python code and templates/<app>/) into
# <app>/locale/vi/LC_MESSAGES/django.po, keeping the translations already there.
# Usage: scripts/app_messages.sh APP     (root strings: make messages)
set -euo pipefail
cd "$(dirname "$0")/.."
app="$1"
root="$PWD"
mkdir -p "$app/locale"
cd "$app"
if [ -d "$root/templates/$app" ]; then ln -sfn "../templates/$app" _templates; fi
trap 'rm -f _templates' EXIT
env -u DJANGO_SETTINGS_MODULE "$root/.venv/bin/django-admin" makemessages -l vi --symlinks \
  --no-obsolete --no-location --ignore=migrations --ignore=locale
