"""The template as code: each function declared once (stack/functions/), template.yaml generated from the
declarations and the hand-written stack/base.yaml (`python -m stack`)."""

from __future__ import annotations

from pathlib import Path

from stack.alarms import CATALOGUE as ALARMS
from stack.environment import needed_environment, own_environment, shared_by_all
from stack.function import Function
from stack.functions import CATALOGUE
from stack.render import generate

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "stack" / "base.yaml"
TEMPLATE = ROOT / "template.yaml"

__all__ = [
    "ALARMS",
    "BASE",
    "CATALOGUE",
    "ROOT",
    "TEMPLATE",
    "all_functions",
    "needed_environment",
    "own_environment",
    "render_template",
    "shared_by_all",
]


def all_functions() -> list[Function]:
    """Every declared function, in the catalogue's order."""
    return [function for section in CATALOGUE for function in section.functions]


def render_template() -> str:
    """template.yaml's text as the catalogue and base.yaml make it: Globals hold what every function reads,
    each function the rest of what it needs."""
    return generate(
        BASE.read_text(encoding="utf-8"), CATALOGUE, shared_by_all(all_functions()), root=ROOT, alarms=ALARMS
    )
