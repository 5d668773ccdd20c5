# ISHC Manager. `make run` sets everything up and serves; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Local runs are development runs; production sets DEBUG=0 and a SECRET_KEY.
export DEBUG ?= 1

.PHONY: install run test lint typecheck format messages worker beat bench clean

$(VENV)/.installed: pyproject.toml package.json package-lock.json
	@echo "==> Cài đặt: môi trường Python (.venv) và các gói (lần đầu mất vài phút)…"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@echo "==> Cài đặt: thư viện giao diện (npm)…"
	npm ci --no-audit --no-fund --loglevel=error
	@echo "==> Cài đặt: bản dịch tiếng Việt…"
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v0
	mkdir -p var/static var/media
	touch $@

install: $(VENV)/.installed .env

# A checkout is a development set-up: `.venv/bin/python manage.py …` works without exporting
# anything. Production sets DEBUG=0 and SECRET_KEY in its environment, which wins over .env.
.env:
	printf '# Local development settings (see README: Settings). Not for production.\nDEBUG=1\n' > $@

# Any catalogue changed (the root one or an app's) compiles them all again.
locale/vi/LC_MESSAGES/django.mo: locale/vi/LC_MESSAGES/django.po $(wildcard */locale/vi/LC_MESSAGES/django.po) | install
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

# Quiet by default: the SMS the console backend "sends" go to var/sms-outbox.jsonl instead of
# the terminal. `make run VERBOSE=1` shows them (and Django's INFO lines) again.
ifeq ($(VERBOSE),1)
RUN_ENV := ISHC_SMS_LOG_LEVEL=INFO
else
RUN_ENV := ISHC_SMS_LOG_LEVEL=WARNING
endif
run: export ISHC_SMS_CONSOLE_FILE ?= $(CURDIR)/var/sms-outbox.jsonl

run: install locale/vi/LC_MESSAGES/django.mo
	@mkdir -p var
	@echo "==> Cập nhật cơ sở dữ liệu (migrate)…"
	@$(RUN_ENV) $(BIN)/python manage.py migrate --noinput -v0
	@echo "==> Nạp danh mục địa bàn (tỉnh Lai Châu)…"
	@$(RUN_ENV) $(BIN)/python manage.py load_areas --province 12
	@echo "==> Nạp dữ liệu mẫu (chạy lại không tạo trùng)…"
	@$(RUN_ENV) $(BIN)/python manage.py seed_demo
	@echo "==> Lên lịch và gửi tin nhắc sinh hoạt (tin SMS thử ghi vào $(ISHC_SMS_CONSOLE_FILE))…"
	@$(RUN_ENV) $(BIN)/python manage.py send_meeting_reminders
	@# A Celery worker and beat run beside the web server: on Redis when REDIS_URL is set,
	@# otherwise on a local folder transport (var/celery), so reminders are planned and sent.
	@echo "==> Khởi động tiến trình nền (worker, beat) và máy chủ web…"
	@echo ""
	@echo "    Mở http://127.0.0.1:$(PORT) — đăng nhập bằng leader / Demo@12345 (chủ nhiệm CLB:"
	@echo "    hôm nay CLB có buổi sinh hoạt, bấm «Ghi kết quả buổi sinh hoạt» ở trang đầu),"
	@echo "    commune, province, viewer hoặc admin, cùng mật khẩu Demo@12345. Dừng: Ctrl+C."
	@echo ""
	@if [ -z "$$REDIS_URL" ] && [ -z "$$CELERY_BROKER_URL" ]; then \
	  export CELERY_BROKER_URL=filesystem://localhost/; \
	  mkdir -p var/celery/queue var/celery/processed var/celery/control; \
	fi; \
	export $(RUN_ENV); \
	$(BIN)/celery -A config worker --pool=solo --loglevel=WARNING --without-mingle --without-gossip & \
	$(BIN)/celery -A config beat --loglevel=WARNING --pidfile= & \
	trap 'kill $$(jobs -p) 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# pytest exits 5 when it collects no test: that is a failure of the suite here, not success.
test: install locale/vi/LC_MESSAGES/django.mo
	$(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests"; fi; exit $$status

# mypy with django-stubs over the whole project but tests/ and migrations ([tool.mypy]).
typecheck: install
	$(BIN)/mypy

lint: install typecheck
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports
	scripts/check_translations.sh
	$(BIN)/python scripts/check_msgids.py

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

APPS := accounts clubs members trainings funds month association elders campaigns reports privacy

# Site-wide strings go to locale/, each app's (code and templates/<app>/) to <app>/locale/.
messages: install
	$(BIN)/python manage.py makemessages -l vi --no-obsolete --no-location \
	  --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests --ignore=bench \
	  $(foreach a,$(APPS),--ignore=$(a) --ignore=templates/$(a))
	for a in $(APPS); do scripts/app_messages.sh $$a; done
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules

worker: install
	$(BIN)/celery -A config worker --loglevel=INFO

beat: install
	$(BIN)/celery -A config beat --loglevel=INFO

# National-scale benchmark on PostgreSQL (not in CI): make bench CLUBS=20000 BENCH_DB=ishc_bench20k
bench: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[bench]"
	bench/run.sh $(or $(CLUBS),2000) $(or $(BENCH_DB),ishc_bench)

clean:
	rm -rf $(VENV) node_modules var/static
