"""The ``storyline`` command: thin wrappers over :mod:`storyline.api`, one module per group."""

from __future__ import annotations

import gc

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
    """Run the command, then leave the objects still alive to the operating system.

    When the command has returned or failed (its one-line error printed; an unexpected exception's
    traceback is printed by the interpreter after this, as before), every store it opened is
    committed or rolled back and closed by its own ``with`` block and every file it wrote is closed;
    what is left is the interpreter's teardown, whose garbage collections traverse every object of
    the imported libraries (spaCy, SciPy, SQLAlchemy: ~0.4 s of a build on a two-core machine,
    whatever the store's size). ``gc.freeze()`` moves those objects out of the collector's reach, so
    the process exits at once. Nothing is skipped: atexit handlers still run, modules are still torn
    down, the standard streams are still flushed; only cycles of garbage at exit are not collected,
    and their memory goes back to the system with the process. (This is the console script's entry
    point: a program that calls it and goes on can give those objects back with ``gc.unfreeze()``.)
    """
    try:
        app()
    finally:
        gc.freeze()
