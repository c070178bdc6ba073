"""`partnerships contracts generate|check`: the event schemas and AsyncAPI documents in the repo.

The commands themselves live in `devstack.schema_tool` (also runnable as
`python -m devstack.schema_tool`); this only hangs them under the `partnerships` command.
"""

from __future__ import annotations

import argparse

from devstack import schema_tool


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `contracts generate|check` to the `partnerships` command."""
    contracts = subparsers.add_parser(
        "contracts", help="generate or check the event schemas and AsyncAPI documents"
    )
    schema_tool.add_commands(
        contracts.add_subparsers(dest="contracts_command", required=True, metavar="COMMAND")
    )
