"""`python -m stack` writes template.yaml; `--check` fails, saying what to do, when the committed file is stale."""

from __future__ import annotations

from pathlib import Path

import pytest

import stack
from stack import __main__ as command


@pytest.fixture
def template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "template.yaml"
    monkeypatch.setattr(command, "TEMPLATE", path)
    return path


def test_the_committed_template_is_what_the_declarations_generate() -> None:
    assert stack.TEMPLATE.read_text(encoding="utf-8") == stack.render_template()


def test_writing_then_checking_passes(template: Path) -> None:
    assert command.main([]) == 0
    assert template.read_text(encoding="utf-8") == stack.render_template()
    assert command.main(["--check"]) == 0


def test_check_fails_on_a_stale_template_and_writes_nothing(template: Path, capsys: pytest.CaptureFixture[str]) -> None:
    command.main([])
    stale = template.read_text(encoding="utf-8").replace("MemorySize: 1769", "MemorySize: 1024")
    template.write_text(stale, encoding="utf-8")
    assert command.main(["--check"]) == 1
    assert template.read_text(encoding="utf-8") == stale
    error = capsys.readouterr().err
    assert "-      MemorySize: 1024\n+      MemorySize: 1769\n" in error
    assert "template.yaml is not what stack/base.yaml and stack/functions/ generate: run `python -m stack`" in error


def test_check_fails_when_there_is_no_template(template: Path) -> None:
    assert command.main(["--check"]) == 1
    assert not template.exists()
