"""The common layer as `sam build` makes it (layers/common/Makefile): Lambda's arm64 wheels for the runtime's
Python, every module with bytecode Python uses without reading its source, botocore's data cut down.

Runs the Makefile's target as SAM does (ARTIFACTS_DIR set), with pip's cache or PyPI, like `make build`.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from botocore_data import SERVICES

from bench.cold_start import interpreter, runtime_versions
from local.template import load_template

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "layers" / "common"
UNCHECKED_HASH = 0b01  # PEP 552: hash-based, the source not checked
MAKE = str(shutil.which("make"))
# What SAM's python builder accepts for the arm64 runtimes (manylinux2014 is manylinux_2_17's older name).
LAMBDA_PLATFORMS = ("manylinux_2_17_aarch64", "manylinux2014_aarch64")


def runtime_version() -> str:
    template = load_template(ROOT / "template.yaml")
    [version] = set(runtime_versions(template).values())
    [layer_runtime] = template["Resources"]["CommonLayer"]["Properties"]["CompatibleRuntimes"]
    assert layer_runtime == f"python{version}", "the layer is built for one runtime: the functions'"
    return version


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    artifacts, version = tmp_path_factory.mktemp("layer"), runtime_version()
    environment = {
        **os.environ,
        "ARTIFACTS_DIR": str(artifacts),
        "PYTHON_VERSION": version,
        "PYTHON": str(interpreter(version)),
    }
    subprocess.run(
        [MAKE, "--makefile", str(LAYER / "Makefile"), "build-CommonLayer"],
        cwd=LAYER,
        env=environment,
        check=True,
        capture_output=True,
    )
    return artifacts / "python"


def test_make_build_gives_the_layer_the_templates_runtime_version() -> None:
    dry_run = subprocess.run(
        [MAKE, "--dry-run", "--always-make", "build"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert f"PYTHON_VERSION={runtime_version()} " in dry_run.stdout


def test_every_module_has_bytecode_for_the_runtime_that_python_trusts_without_its_source(site: Path) -> None:
    tag = f"cpython-{runtime_version().replace('.', '')}"
    sources = sorted(site.rglob("*.py"))
    assert len(sources) > 1000
    for source in sources:
        compiled = source.parent / "__pycache__" / f"{source.stem}.{tag}.pyc"
        header = compiled.read_bytes()[:16]
        assert int.from_bytes(header[4:8], "little") == UNCHECKED_HASH, compiled
        assert header[8:16] == importlib.util.source_hash(source.read_bytes()), compiled


def test_the_wheels_are_lambdas_arm64_ones_and_collectra_is_in(site: Path) -> None:
    for wheel in site.glob("*.dist-info/WHEEL"):
        tags = [line.split(":", 1)[1].strip() for line in wheel.read_text().splitlines() if line.startswith("Tag:")]
        assert any(tag.endswith(("-any", *LAMBDA_PLATFORMS)) for tag in tags), (wheel.parent.name, tags)
    assert (site / "collectra" / "__init__.py").is_file()
    assert not (site / "bin").exists()


def test_botocore_keeps_only_the_services_collectra_calls(site: Path) -> None:
    data = site / "botocore" / "data"
    assert sorted(path.name for path in data.iterdir() if path.is_dir()) == sorted(SERVICES)
