"""`python -m stack` writes template.yaml; `python -m stack --check` fails when template.yaml is not what the
declarations generate (as `python -m local.openapi --check` does for docs/openapi.json)."""

from __future__ import annotations

import argparse
import difflib
import sys

from stack import TEMPLATE, render_template


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stack", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if template.yaml is stale; write nothing")
    arguments = parser.parse_args(argv)
    generated = render_template()
    if not arguments.check:
        TEMPLATE.write_text(generated, encoding="utf-8")
        return 0
    committed = TEMPLATE.read_text(encoding="utf-8") if TEMPLATE.exists() else ""
    if committed == generated:
        return 0
    diff = difflib.unified_diff(
        committed.splitlines(keepends=True), generated.splitlines(keepends=True), "template.yaml", "generated", n=1
    )
    sys.stderr.writelines(list(diff)[:60])
    sys.stderr.write(
        "\ntemplate.yaml is not what stack/base.yaml and stack/functions/ generate: run `python -m stack` and "
        "commit the result (edit the declarations, never template.yaml).\n"
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
