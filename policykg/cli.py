"""`policykg` command line. Each subcommand lives in policykg/commands/<name>.py and exposes
`add_parser(subparsers)` and `run(args) -> int`. Errors print one line on stderr, never a traceback."""
from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = ("build", "measures", "check", "ask", "diff", "app")


def _parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """Only the named command's module is imported (each pulls in its own libraries); all of them for help."""
    parser = argparse.ArgumentParser(prog="policykg", description="Policy text → knowledge graph → cited answers")
    sub = parser.add_subparsers(dest="command", required=True)
    args = sys.argv[1:] if argv is None else argv
    first = next((a for a in args if not a.startswith("-")), None)
    for name in (first,) if first in COMMANDS else COMMANDS:
        try:
            module = importlib.import_module(f"policykg.commands.{name}")
        except ModuleNotFoundError as err:
            if err.name == f"policykg.commands.{name}":
                continue  # not built yet
            raise
        module.add_parser(sub).set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser(argv).parse_args(argv)
    try:
        return args._run(args)
    except KeyboardInterrupt:
        print("policykg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `policykg … | head`: the reader stopped; nothing is wrong, say nothing
        _quiet_stdout()
        return 141
    except Exception as err:  # the one place that turns any error into one line
        from kg_builder.errors import PolicyInputError
        if isinstance(err, PolicyInputError):
            print(f"policykg: error: {err}", file=sys.stderr)
            return 2
        print(f"policykg: internal error: {type(err).__name__}: {err}", file=sys.stderr)
        return 1


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not raise on the closed pipe again."""
    import os
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
