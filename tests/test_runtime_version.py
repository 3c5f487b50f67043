"""One Python version everywhere: the functions' Lambda runtime, the layer it is built for, the venvs the Makefile
makes, the version pyproject admits and the linters target, and the interpreter running these tests."""

from __future__ import annotations

import re
import sys
import tomllib

from local.template import load_template
from tests.support.http import ROOT

TEMPLATE = load_template(ROOT / "template.yaml")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _makefile_version() -> str:
    found = re.search(r"^PYTHON_VERSION := (3\.\d+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert found, "the Makefile names the runtime's Python once, as PYTHON_VERSION"
    return found.group(1)


VERSION = _makefile_version()


def test_the_functions_run_on_the_makefiles_python() -> None:
    assert TEMPLATE["Globals"]["Function"]["Runtime"] == f"python{VERSION}"


def test_the_layer_is_built_for_the_functions_runtime() -> None:
    layer = TEMPLATE["Resources"]["CommonLayer"]
    assert layer["Properties"]["CompatibleRuntimes"] == [f"python{VERSION}"]


def test_pyproject_admits_and_checks_that_version_only() -> None:
    minor = int(VERSION.split(".")[1])
    assert PYPROJECT["project"]["requires-python"] == f">={VERSION},<3.{minor + 1}"
    assert PYPROJECT["tool"]["ruff"]["target-version"] == f"py3{minor}"
    assert PYPROJECT["tool"]["mypy"]["python_version"] == VERSION


def test_the_tests_run_on_the_runtime_python() -> None:
    assert f"{sys.version_info.major}.{sys.version_info.minor}" == VERSION, "make install rebuilds .venv"
