# The few commands a person types. Each one installs what it needs first.
SHELL := /bin/bash
# The Lambda runtime's Python (stack/base.yaml's Runtime): the dev venv and .tools/runtime run that version, so the
# tests run what Lambda runs. A venv left from another version is made anew. pyenv's interpreter if it has that
# version (its shim answers only for the versions pyenv has selected), else pythonX.Y on the PATH.
PYTHON_VERSION := 3.13
PYTHON ?= $(or $(lastword $(wildcard $(HOME)/.pyenv/versions/$(PYTHON_VERSION).*/bin/python$(PYTHON_VERSION))),python$(PYTHON_VERSION))
SAME_VERSION = -c 'import sys; sys.exit(f"{sys.version_info[0]}.{sys.version_info[1]}" != "$(PYTHON_VERSION)")'
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAM_VENV := .tools/sam
SAM := $(SAM_VENV)/bin/sam
SAM_VERSION := 1.170.0
# The runtime's Python: the layer is built for it, and the bench runs it (the template states the same version:
# tests/test_runtime_version.py).
RUNTIME_VERSION := $(PYTHON_VERSION)
RUNTIME_PYTHON := $(PYTHON)
RUNTIME_VENV := .tools/runtime-$(RUNTIME_VERSION)
RUNTIME_STAMP := $(RUNTIME_VENV)/.installed
# The web app: npm's own record of what it installed is the stamp (npm ci rewrites it; touched after to be sure).
WEB_STAMP := web/node_modules/.package-lock.json
WEB_BUILD := web/dist/index.html
# What the build reads. schema.d.ts is generated from docs/openapi.json (listed), and tests are not built.
WEB_SOURCES = $(shell find web/src web/public -type f ! -name '*.test.ts' ! -name '*.test.tsx' \
	! -path web/src/api/schema.d.ts 2>/dev/null) web/index.html web/package.json web/package-lock.json \
	web/vite.config.ts $(wildcard web/tsconfig*.json) docs/openapi.json

.PHONY: install dev web web-build web-check remind test rates-check e2e web-bench chromium lint openapi build check-config deploy bench clean redrive restore-check

$(STAMP): pyproject.toml layers/common/requirements.txt
	@$(BIN)/python $(SAME_VERSION) 2>/dev/null || { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -qq --upgrade pip
	$(BIN)/python -m pip install -qq -e '.[dev]'
	@touch $@

install: $(STAMP)

$(SAM): | $(STAMP)
	@test -x $(SAM_VENV)/bin/python || $(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/python -m pip install -qq aws-sam-cli==$(SAM_VERSION)

# Lambda's Python runtime as a function finds it: the layer's requirements, and boto3, which the runtime ships
# (no function imports it: the cold starts' baseline is `import boto3` from here, compiled as Lambda's is).
$(RUNTIME_STAMP): layers/common/requirements.txt
	@test -x $(RUNTIME_VENV)/bin/python || $(RUNTIME_PYTHON) -m venv $(RUNTIME_VENV)
	$(RUNTIME_VENV)/bin/python -m pip install -qq -r layers/common/requirements.txt boto3==1.44.8
	@touch $@

$(WEB_STAMP): web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

$(WEB_BUILD): $(WEB_STAMP) $(WEB_SOURCES)
	cd web && npm run build
	@touch $@

## Build the web app into web/dist when a source is newer than the build (make dev and make e2e do it first).
web-build: $(WEB_BUILD)

## Run the whole app locally: the web app at /app/ (built first), emulator, gateway, Brevo and Stripe
## stand-ins, demo data. Ctrl-C stops it all.
dev: install $(WEB_BUILD)
	$(BIN)/python -m local.dev

## With `make dev` running: the web app with hot reload at http://127.0.0.1:5173/app/, the API proxied to the gateway.
web: $(WEB_STAMP)
	cd web && COLLECTRA_API_URL=http://127.0.0.1:$(or $(COLLECTRA_API_PORT),3000) npm run dev

## The web app's checks: types against docs/openapi.json, ESLint, Vitest.
web-check: $(WEB_STAMP)
	cd web && npm run typecheck
	cd web && npm run lint
	cd web && npx vitest run

## With `make dev` running: the reminder planner and the instalment scheduler once (at NOW=2026-12-24T09:00:00Z if given), then the queue through the sender.
remind: install
	$(BIN)/python -m local.remind $(if $(NOW),--now '$(NOW)')

## Lint, type-check, validate the template, the web app's checks, then every test.
test: lint web-check
	$(BIN)/python -m pytest

## Whether the late-payment reference rates cover today's half-year (README "Adding the new half-year's reference
## rates"): fails, naming the series, until the new half-year's rows are added.
rates-check: install
	$(BIN)/python -m pytest -m rates tests/unit/interest

## Browser tests in headless Chromium (Debian's chromium and chromium-driver, installed here when missing): the
## web app's journeys and axe-core on every screen, and the debtor's page. UPDATE_SCREENS=1 rewrites docs/screens.
e2e: install $(WEB_BUILD) chromium
	$(BIN)/python -m pytest -m browser tests/browser

## The web app's budgets: initial JavaScript (gzip -9), lazy route chunks, time until the first screen is usable
## in headless Chromium with the CPU 4x slower, the deepest API waterfall per screen. Fails on a missed budget.
web-bench: install $(WEB_BUILD) chromium
	$(BIN)/python -m bench.web

## Debian's chromium and chromium-driver, installed when missing (make e2e and make web-bench use them).
chromium:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

## schemathesis over every operation of docs/openapi.json, against the local stack, signed in: every check,
## stateful links, a fixed seed; fails on any failure. Left out: `unsupported_method`, which wants 405 for a
## method no route declares: API Gateway itself answers those (404 {"message":"Not Found"}, before any
## function runs), and the local gateway answers the same.
fuzz: install
	$(BIN)/python -m local.fuzz --max-examples $(or $(EXAMPLES),20) --seed $(or $(SEED),12) --exclude-checks unsupported_method

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m stack --check
	$(BIN)/cfn-lint template.yaml deploy/github-oidc-role.yaml
	$(BIN)/actionlint
	$(BIN)/python -m local.openapi --check

## Regenerate docs/openapi.json from the handlers.
openapi: install
	$(BIN)/python -m local.openapi

## The deployable build: sam validate --lint and sam build (no container; the layer by layers/common/Makefile).
build: $(SAM)
	AWS_DEFAULT_REGION=eu-west-1 SAM_CLI_TELEMETRY=0 $(SAM) validate --lint
	PYTHON_VERSION=$(RUNTIME_VERSION) PYTHON=$(RUNTIME_PYTHON) SAM_CLI_TELEMETRY=0 $(SAM) build

## samconfig.toml against the template, offline: every per-environment parameter set; prod with no /dev/ name,
## no loopback host, https:// only; the template's Rules hold. `make deploy` runs the same check first.
SAMCONFIG ?= samconfig.toml
check-config: install
	$(BIN)/python -m local.deploy_config --config $(SAMCONFIG)

## Deploy ENV (dev or prod) from a clean tree (docs/operations.md, "Deploying"): refused for any other ENV or any
## change or untracked file not ignored (local/deploy_guard.py); the configuration check and AWS credentials; the
## whole `make test`, run without AWS credentials, so no test can reach the account; the web app's clean build and
## sam build; sam deploy, which shows the change set and waits for a yes (CONFIRM=no, or CI=true as in GitHub
## Actions, deploys without asking); then the app's files to the stack's bucket and /app/* invalidated in
## CloudFront (local/deploy_web.py; docs/deploy.md).
ENV ?= dev
CONFIRM ?= $(if $(filter true,$(CI)),no,yes)
NO_AWS_CREDENTIALS := env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE \
	-u AWS_ROLE_ARN -u AWS_WEB_IDENTITY_TOKEN_FILE AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=/dev/null
deploy: install
	$(BIN)/python -m local.deploy_guard --env '$(ENV)'
	$(BIN)/python -m local.deploy_config --config $(SAMCONFIG) --config-env $(ENV) --require-credentials
	$(NO_AWS_CREDENTIALS) $(MAKE) test
	cd web && npm ci --no-audit --no-fund && npm run build
	$(MAKE) build
	SAM_CLI_TELEMETRY=0 $(SAM) deploy --config-file $(SAMCONFIG) --config-env $(ENV) \
		$(if $(filter no,$(CONFIRM)),--no-confirm-changeset)
	$(BIN)/python -m local.deploy_web --config $(SAMCONFIG) --config-env $(ENV)

# The operations commands act on `make dev`'s stack unless ENV is given on the command line (or in the environment):
# ENV's own default (dev, for `make deploy`) must never send them to AWS.
OPS_ENV = $(if $(filter-out file default undefined,$(origin ENV)),--env $(ENV))

## Move QUEUE's dead letters back to it (reminders, planner-shards, member-notices, debtor-lateness, deletions,
## exports, reset-emails; docs/operations.md): on `make dev`'s stack, or ENV=dev|prod's AWS (asks first unless
## YES=1). DRY_RUN=1 counts and moves nothing; PEEK=1 shows up to ten dead letters by their ids only.
redrive: install
	$(BIN)/python -m local.redrive $(QUEUE) $(OPS_ENV) $(if $(YES),--yes) $(if $(DRY_RUN),--dry-run) $(if $(PEEK),--peek)

## Whether a point-in-time restore is ready for the stack (docs/operations.md): RESTORED's items per key family
## against SOURCE's (default: the stack's table), and the table's TTL, PITR (a restore loses both), SSE and indexes.
## On `make dev`'s stack, or ENV=dev|prod's AWS (asks before scanning unless YES=1). TOLERANCE=N or N% fewer items.
restore-check: install
	$(BIN)/python -m local.restore_check --restored '$(RESTORED)' $(if $(SOURCE),--source '$(SOURCE)') $(OPS_ENV) \
	  $(if $(YES),--yes) $(if $(TOLERANCE),--tolerance '$(TOLERANCE)')

## Cold starts as deployed (the build's own output, run as Lambda runs it), DynamoDB calls per endpoint: figures,
## not tests.
bench: install build $(RUNTIME_STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache web/dist
