"""`make deploy`'s first step (local/deploy_guard.py), in a throwaway git repository: only a known environment and
a tree that is exactly a commit get past it; and the Makefile runs it, then `make test`, before anything is built
or deployed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from local import deploy_guard
from tests.support.http import ROOT

GIT = str(shutil.which("git"))
MAKE = str(shutil.which("make"))

SAMCONFIG = """\
version = 0.1
[dev.global.parameters]
stack_name = "collectra-dev"
region = "eu-west-1"
[prod.global.parameters]
stack_name = "collectra-prod"
region = "eu-central-1"
"""


def _git(repository: Path, *arguments: str) -> None:
    subprocess.run([GIT, "-C", str(repository), *arguments], check=True, capture_output=True)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A clean clone's state: two committed files and an ignored build folder."""
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "config", "user.email", "deploy@collectra.example")
    _git(tmp_path, "config", "user.name", "Deploy test")
    (tmp_path / "samconfig.toml").write_text(SAMCONFIG)
    (tmp_path / ".gitignore").write_text(".aws-sam/\n.venv\n")
    (tmp_path / "app.py").write_text("print('hello')\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "first")
    return tmp_path


def _guard(repository: Path, capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    code = deploy_guard.main(["--repository", str(repository), *arguments])
    out, err = capsys.readouterr()
    return code, out, err


def _head(repository: Path) -> str:
    return subprocess.run(
        [GIT, "-C", str(repository), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()


def test_a_clean_tree_is_deployed_and_its_commit_named(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _guard(repository, capsys, "--env", "dev")
    assert code == 0
    assert f"commit {_head(repository)} to dev" in err


def test_ignored_files_do_not_count(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repository / ".aws-sam").mkdir()
    (repository / ".aws-sam" / "build.toml").write_text("")
    (repository / ".venv").symlink_to(repository / ".aws-sam")  # a symlinked venv, as in a git worktree
    assert _guard(repository, capsys, "--env", "prod")[0] == 0


def test_a_changed_file_is_refused_and_named(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repository / "app.py").write_text("print('changed')\n")
    code, _, err = _guard(repository, capsys, "--env", "dev")
    assert code == 1
    assert "refused" in err
    assert re.search(r"^\s+M app\.py$", err, re.MULTILINE)


def test_a_staged_change_is_refused(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repository / "app.py").write_text("print('staged')\n")
    _git(repository, "add", "app.py")
    code, _, err = _guard(repository, capsys, "--env", "dev")
    assert code == 1
    assert re.search(r"^\s+M  app\.py$", err, re.MULTILINE)


def test_an_untracked_file_is_refused_and_named(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repository / "notes").mkdir()
    (repository / "notes" / "secret plan.txt").write_text("")
    code, _, err = _guard(repository, capsys, "--env", "prod")
    assert code == 1
    assert "?? notes/secret plan.txt" in err  # the file itself, not only its folder


def test_a_deleted_and_a_renamed_file_are_refused(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _git(repository, "mv", "app.py", "main.py")
    (repository / "samconfig.toml").unlink()
    code, _, err = _guard(repository, capsys, "--env", "dev")
    assert code == 1
    assert "R  main.py" in err
    assert " D samconfig.toml" in err


@pytest.mark.parametrize("environment", ["staging", "", "Dev", "default", "prod "])
def test_an_environment_other_than_dev_or_prod_is_refused(
    repository: Path, capsys: pytest.CaptureFixture[str], environment: str
) -> None:
    code, _, err = _guard(repository, capsys, "--env", environment)
    assert code == 1
    assert "dev, prod" in err


def test_outside_a_git_work_tree_nothing_is_deployed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _guard(tmp_path, capsys, "--env", "dev")
    assert code == 1
    assert "not a git work tree" in err


@pytest.mark.parametrize(("environment", "region"), [("dev", "eu-west-1"), ("prod", "eu-central-1")])
def test_the_workflow_reads_the_environment_s_region_from_samconfig(
    repository: Path, capsys: pytest.CaptureFixture[str], environment: str, region: str
) -> None:
    code, out, _ = _guard(repository, capsys, "--env", environment, "--github-output")
    assert (code, out) == (0, f"region={region}\n")


def test_the_committed_samconfig_names_each_environment_s_region() -> None:
    assert deploy_guard.region(ROOT / "samconfig.toml", "dev") == "eu-west-1"
    assert deploy_guard.region(ROOT / "samconfig.toml", "prod") == "eu-west-1"


# ---------------------------------------------------------------- the Makefile's deploy target


def _deploy_commands(**variables: str) -> list[str]:
    """What `make deploy` would run, in order (make -n: nothing is run but the recursive makes' own dry runs)."""
    environment = {key: value for key, value in os.environ.items() if key not in ("CI", "CONFIRM", "MAKEFLAGS")}
    done = subprocess.run(
        [MAKE, "-n", "--no-print-directory", "deploy", *(f"{key}={value}" for key, value in variables.items())],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    )
    # A recipe line continued with a backslash is one command.
    return [" ".join(line.split()) for line in re.sub(r"\\\n", " ", done.stdout).splitlines()]


def _index(commands: list[str], pattern: str) -> int:
    return next(i for i, command in enumerate(commands) if re.search(pattern, command))


def test_make_deploy_guards_then_tests_then_builds_then_deploys() -> None:
    commands = _deploy_commands(ENV="prod")
    order = [
        _index(commands, r"-m local\.deploy_guard --env '?prod\b"),
        _index(commands, r"-m local\.deploy_config .*--config-env prod --require-credentials"),
        _index(commands, r"-m pytest\b"),  # make test's last step
        _index(commands, r"npm run build"),
        _index(commands, r"sam(\S*)? build"),
        _index(commands, r"sam(\S*)? deploy .*--config-env prod"),
        _index(commands, r"-m local\.deploy_web .*--config-env prod"),
    ]
    assert order == sorted(order)


def test_make_test_runs_without_the_deploy_s_aws_credentials() -> None:
    # The tests talk to the emulator; none must reach the account being deployed to, whatever it is given.
    commands = _deploy_commands(ENV="dev")
    tests = next(command for command in commands if re.search(r"\bmake\b.* test\b", command))
    for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        assert f"-u {variable}" in tests


@pytest.mark.parametrize(
    ("variables", "confirms"),
    [({}, True), ({"CONFIRM": "no"}, False), ({"CI": "true"}, False), ({"CI": "true", "CONFIRM": "yes"}, True)],
)
def test_people_confirm_the_change_set_and_ci_does_not(variables: dict[str, str], confirms: bool) -> None:
    deploy = next(command for command in _deploy_commands(ENV="dev", **variables) if re.search(r" deploy ", command))
    assert ("--no-confirm-changeset" not in deploy) is confirms
