"""The ``storyline`` command: thin wrappers over :mod:`storyline.api`, one module per group."""

from __future__ import annotations

import typer

from storyline.cli import corpus, evaluate, history, outputs, people, story, web
from storyline.cli.common import OneLineStoreErrors

app = typer.Typer(
    name="storyline",
    cls=OneLineStoreErrors,
    help="Turn raw news articles about a developing story into a sourced dossier.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help texts are shown as written: "[stories]" is not Rich markup
)
for group in (corpus, history, outputs, people, story, evaluate, web):
    group.register(app)


def main() -> None:
    app()
