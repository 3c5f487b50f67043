"""What must hold before `make deploy` builds anything: a known environment, and a tree that is exactly a commit.

`python -m local.deploy_guard --env prod` (the first step of `make deploy ENV=prod`) exits non-zero, saying why,

- when the environment is not one of ENVIRONMENTS (dev, prod): `sam deploy --config-env` would otherwise fall
  back to samconfig.toml's `default` section, and `make deploy ENV=pord` would deploy dev's stack;
- when the work tree has any change, staged or not, or any untracked file that .gitignore does not ignore
  (`git status --porcelain`), naming each one: what is deployed must be a commit that someone can check out
  again, read and roll back to, not a laptop's uncommitted edits.

It prints the commit about to be deployed. With `--github-output` it also prints `region=<the environment's
region>` (samconfig.toml), the line GitHub Actions' `$GITHUB_OUTPUT` takes, so that the workflow asks AWS for
credentials in the region the stack is deployed to, named in one place.

Standard library only: the workflow runs it before the virtual environment exists.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path

ENVIRONMENTS = ("dev", "prod")


class Refused(Exception):
    """Why the deploy must not start."""


def check_environment(environment: str) -> None:
    if environment not in ENVIRONMENTS:
        raise Refused(f"ENV={environment!r}: deploy to one of {', '.join(ENVIRONMENTS)} (make deploy ENV=dev)")


def _git(repository: Path, *arguments: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(repository), *arguments], capture_output=True, text=True, check=False)
    except FileNotFoundError as missing:
        raise Refused("git is not installed: cannot tell which commit would be deployed") from missing
    if done.returncode != 0:
        raise Refused(f"{repository} is not a git work tree ({done.stderr.strip()}): deploy from a clone")
    return done.stdout


def uncommitted(repository: Path) -> list[str]:
    """Every changed, staged, deleted or untracked (and not ignored) path, as `git status --porcelain` shows it."""
    # -z: one entry per NUL, names verbatim (no quoting); a rename's entry is followed by its old name.
    entries = _git(repository, "status", "--porcelain=v1", "-z", "--untracked-files=all").split("\0")
    found, skip = [], False
    for entry in entries:
        if skip or not entry:
            skip = False
            continue
        status, path = entry[:2], entry[3:]
        found.append(f"{status} {path}")
        skip = "R" in status or "C" in status
    return found


def check_clean(repository: Path) -> str:
    """The commit HEAD names, if the tree is exactly it; Refused naming what is not committed otherwise."""
    dirty = uncommitted(repository)
    if dirty:
        listed = "\n".join(f"  {line}" for line in dirty)
        raise Refused(
            f"the work tree has changes that are not committed:\n{listed}\n"
            "Commit them (or stash them, or add them to .gitignore) and deploy again: only a commit is deployed."
        )
    return _git(repository, "rev-parse", "HEAD").strip()


def region(samconfig: Path, environment: str) -> str:
    """The region `sam deploy --config-env environment` deploys to (its `global` or `deploy` parameters)."""
    with samconfig.open("rb") as stream:
        section = tomllib.load(stream).get(environment) or {}
    for command in ("deploy", "global"):
        found = ((section.get(command) or {}).get("parameters") or {}).get("region")
        if found:
            return str(found)
    raise Refused(f"{samconfig}: environment {environment!r} names no region")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--env", required=True, help="the environment to deploy: dev or prod")
    parser.add_argument("--repository", type=Path, default=Path(), help="the work tree (default: here)")
    parser.add_argument("--config", type=Path, default=Path("samconfig.toml"))
    parser.add_argument("--github-output", action="store_true", help="also print region=... for $GITHUB_OUTPUT")
    args = parser.parse_args(argv)
    try:
        check_environment(args.env)
        commit = check_clean(args.repository)
        where = region(args.repository / args.config, args.env) if args.github_output else None
    except Refused as refused:
        print(f"make deploy: refused: {refused}", file=sys.stderr)
        return 1
    print(f"make deploy: commit {commit} to {args.env}", file=sys.stderr)
    if where is not None:
        print(f"region={where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
