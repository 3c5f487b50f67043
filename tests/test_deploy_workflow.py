"""The GitHub Actions deploy workflow passes actionlint, deploys with OIDC and no stored key, through `make deploy`;
and the AWS role it assumes (deploy/github-oidc-role.yaml) trusts main's pushes and the prod environment only."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from local.cfn import CfnLoader
from tests.support.http import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW_TEXT = (WORKFLOWS / "deploy.yml").read_text()
WORKFLOW: dict[Any, Any] = yaml.safe_load(WORKFLOW_TEXT)
TRIGGERS = WORKFLOW[True]  # YAML 1.1 reads the key `on` as true
JOBS: dict[str, dict[str, Any]] = WORKFLOW["jobs"]
ROLE_TEMPLATE = ROOT / "deploy" / "github-oidc-role.yaml"
BIN = Path(sys.executable).parent
_PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def _actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "actionlint"), "-no-color", *map(str, paths)], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_actionlint_passes_on_every_workflow() -> None:
    done = _actionlint(*sorted(WORKFLOWS.glob("*.y*ml")))
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_would_catch_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "deploy.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(WORKFLOW_TEXT.replace("runs-on: ubuntu-24.04", "runs-on: [", 1))
    assert _actionlint(broken).returncode != 0
    typo = WORKFLOW_TEXT.replace("steps.target.outputs.region", "steps.targte.outputs.region", 1)
    broken.write_text(typo)
    assert "targte" in _actionlint(broken).stdout


def test_the_workflow_may_mint_an_oidc_token_and_only_read_the_repository() -> None:
    assert WORKFLOW["permissions"] == {"id-token": "write", "contents": "read"}
    assert all("permissions" not in job for job in JOBS.values())  # no job widens them


def test_no_aws_key_and_no_secret_anywhere_in_the_workflows() -> None:
    for path in WORKFLOWS.glob("*.y*ml"):
        text = path.read_text().lower()
        for stored in ("aws-access-key-id", "aws-secret-access-key", "aws-session-token", "aws_access_key_id"):
            assert stored not in text, (path.name, stored)
        assert "secrets." not in text, path.name  # the role's ARN is a variable: it is not a secret


def _steps(job: str) -> list[dict[str, Any]]:
    return list(JOBS[job]["steps"])


def _uses(job: str, action: str) -> dict[str, Any]:
    return next(step for step in _steps(job) if step.get("uses", "").startswith(action + "@"))


def test_every_action_is_pinned_to_a_commit_with_its_version_beside_it() -> None:
    lines = [line.strip() for line in WORKFLOW_TEXT.splitlines() if line.strip().startswith("- uses:")]
    assert lines
    for line in lines:
        assert _PINNED.match(line.removeprefix("- uses: ")), line


@pytest.mark.parametrize("job", ["dev", "prod"])
def test_each_job_assumes_the_role_named_by_a_variable_in_samconfig_s_region(job: str) -> None:
    credentials = _uses(job, "aws-actions/configure-aws-credentials")["with"]
    assert credentials["role-to-assume"] == "${{ vars.AWS_DEPLOY_ROLE_ARN }}"
    assert credentials["aws-region"] == "${{ steps.target.outputs.region }}"
    target = next(step for step in _steps(job) if step.get("id") == "target")
    assert target["run"] == f'python -m local.deploy_guard --env {job} --github-output >> "$GITHUB_OUTPUT"'
    names = [step.get("uses", step.get("run", "")).split("@")[0] for step in _steps(job)]
    assert names.index("aws-actions/configure-aws-credentials") > names.index(target["run"])


@pytest.mark.parametrize("job", ["dev", "prod"])
def test_each_job_deploys_its_environment_with_make_deploy_which_runs_make_test(job: str) -> None:
    runs = [step["run"] for step in _steps(job) if "run" in step]
    assert runs[-1] == f"make deploy ENV={job} CONFIRM=no"
    python = _uses(job, "actions/setup-python")["with"]["python-version"]
    node = _uses(job, "actions/setup-node")["with"]["node-version"]
    makefile = (ROOT / "Makefile").read_text()
    assert f"PYTHON_VERSION := {python}\n" in makefile
    assert f"Node {node})" in (ROOT / "README.md").read_text()


def test_dev_deploys_each_push_to_main_and_prod_only_by_hand_from_main_behind_its_environment() -> None:
    assert TRIGGERS["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in TRIGGERS
    assert set(JOBS) == {"dev", "prod"}
    assert "environment" not in JOBS["dev"]  # the role trusts its subject: main's ref
    assert "github.event_name == 'push'" in JOBS["dev"]["if"]
    assert JOBS["prod"]["environment"] == "prod"  # required reviewers are set on it in GitHub
    assert "github.event_name == 'workflow_dispatch'" in JOBS["prod"]["if"]
    assert "github.ref == 'refs/heads/main'" in JOBS["prod"]["if"]


@pytest.mark.parametrize("job", ["dev", "prod"])
def test_nothing_runs_until_the_repository_enables_it_and_one_deploy_at_a_time(job: str) -> None:
    assert JOBS[job]["if"].startswith("vars.DEPLOY_ENABLED == 'true' && ")
    assert JOBS[job]["concurrency"] == {"group": f"deploy-{job}", "cancel-in-progress": False}


# ---------------------------------------------------------------- the AWS side

ROLE = yaml.load(ROLE_TEMPLATE.read_text(), Loader=CfnLoader)  # noqa: S506 - CfnLoader is a SafeLoader


def test_the_role_trusts_github_s_tokens_for_main_and_the_prod_environment_only() -> None:
    [statement] = ROLE["Resources"]["DeployRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert set(statement["Condition"]) == {"StringEquals"}  # exact subjects: no StringLike wildcard
    condition = statement["Condition"]["StringEquals"]
    assert condition["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    subjects = condition["token.actions.githubusercontent.com:sub"]
    assert sorted(subject["Fn::Sub"] for subject in subjects) == [
        "repo:${Repository}:environment:prod",
        "repo:${Repository}:ref:refs/heads/main",
    ]


def test_the_role_lasts_as_long_as_the_workflow_asks() -> None:
    duration = ROLE["Resources"]["DeployRole"]["Properties"]["MaxSessionDuration"]
    for job in ("dev", "prod"):
        assert _uses(job, "aws-actions/configure-aws-credentials")["with"]["role-duration-seconds"] <= duration


def test_the_role_template_is_cfn_lint_clean_and_make_lint_checks_it() -> None:
    done = subprocess.run(
        [str(BIN / "cfn-lint"), str(ROLE_TEMPLATE)], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lint = (ROOT / "Makefile").read_text().split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "deploy/github-oidc-role.yaml" in lint
    assert "$(BIN)/actionlint" in lint
