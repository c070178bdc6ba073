"""The `partnerships` command.

Each module in COMMAND_MODULES adds its own group of sub-commands with a function
`register(subparsers)`; every sub-command sets `func(args) -> int` as its default.
To add a group, add its module to the tuple: that is the only place that lists them.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from devstack.processes import ProcessError

COMMAND_MODULES: tuple[str, ...] = (
    "devstack.stack",
    "devstack.ops_cli",
    "devstack.contracts_cli",
    "devstack.gias_cli",
    "devstack.demo_cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="partnerships", description="Run and use the school partnership platform."
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="on failure, show the end of the log too"
    )
    groups = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(groups)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("partnerships: interrupted", file=sys.stderr)
        return 130
    except ProcessError as error:
        print(f"partnerships: error: {error.summary}", file=sys.stderr)
        if args.verbose and error.log_tail:
            print(error.log_tail, file=sys.stderr)
        return 1
    except Exception as error:  # one line for the user, not a traceback
        message = str(error).splitlines()[0] if str(error) else ""
        print(f"partnerships: error: {type(error).__name__}: {message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
