#!/usr/bin/env bash
# The whole national-scale benchmark: database, data, summaries, pages, load, reminders.
#
#   bench/run.sh [CLUBS] [DATABASE]        e.g. bench/run.sh 20000 ishc_bench20k
#
# PostgreSQL at $PGHOST:$PGPORT as $PGUSER (default 127.0.0.1:5432, postgres). Each step
# prints a table; copy them to docs/performance.md with the machine, the date and the load.
# The reminders benchmark empties clubs and members, so it runs on a database of its own
# (<DATABASE>_reminders).
set -euo pipefail
cd "$(dirname "$0")/.."

CLUBS=${1:-2000}
DB=${2:-ishc_bench}
MONTHS=${MONTHS:-12}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
BASE="postgres://${PGUSER}@${PGHOST}:${PGPORT}"
PY=.venv/bin/python
# The load test needs locust: the `bench` extra (make bench installs it).
.venv/bin/locust --version >/dev/null 2>&1 || { echo "locust missing: .venv/bin/pip install -e '.[bench]'"; exit 1; }
export DEBUG=0 SECURE_SSL_REDIRECT=0 LOG_LEVEL=WARNING
# Redis as the cache and session store, as deployed (README: Deploying).
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/4}
export SECRET_KEY=${SECRET_KEY:-bench-only-secret-key-not-for-production-0123456789}

echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM, load:$(cut -d' ' -f1-3 /proc/loadavg)"
psql -lqt | cut -d'|' -f1 | grep -qw "$DB" || createdb "$DB"
export DATABASE_URL="$BASE/$DB"
$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0

echo "== seed_scale --clubs $CLUBS --months $MONTHS"
/usr/bin/time -f "seed_scale: %e s wall, %M KB peak RSS" \
  $PY manage.py seed_scale --clubs "$CLUBS" --months "$MONTHS" --fresh --no-summaries

echo "== summary rebuild"
/usr/bin/time -f "rebuild_summaries: %e s wall, %M KB peak RSS" \
  $PY manage.py rebuild_summaries --months "$MONTHS"

echo "== pages (JSON in var/bench/; compare two sizes with bench.compare, docs/performance.md)"
mkdir -p var/bench
$PY -m bench.pages --requests "${REQUESTS:-30}" --json "var/bench/pages-$DB-$(date +%H%M%S).json"

echo "== load (50 users)"
$PY -m bench.load --users 50 --seconds "${LOAD_SECONDS:-60}"
echo "== load (50 users, province staff also opening the heavy pages)"
$PY -m bench.load --users 50 --seconds "${LOAD_SECONDS:-60}" --heavy

echo "== CPU per page of the load's mix (in-process; --profile NAME for one page)"
$PY -m bench.cpu --rounds 20

echo "== reminders ($CLUBS clubs, own database ${DB}_reminders)"
psql -lqt | cut -d'|' -f1 | grep -qw "${DB}_reminders" || createdb "${DB}_reminders"
DATABASE_URL="$BASE/${DB}_reminders" $PY -m bench.reminders --clubs "$CLUBS" --send 20000
echo "== load at the end:$(cut -d' ' -f1-3 /proc/loadavg)"
