"""What every command shares: the console, the --db option, one-line errors."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from storyline.store import Store, StoreError

DbOption = Annotated[
    str, typer.Option("--db", help="The store: a SQLite file, or a database URL (postgresql+psycopg://...).")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")]

_PLAIN_WIDTH = 200  # tables piped to a file or another program are not squeezed to 80 columns
console = Console(
    no_color="NO_COLOR" in os.environ or not sys.stdout.isatty(),
    width=None if sys.stdout.isatty() else _PLAIN_WIDTH,
)
# one error, one line: messages to stderr are never wrapped
err_console = Console(stderr=True, soft_wrap=True, no_color="NO_COLOR" in os.environ or not sys.stderr.isatty())


# C0 and C1 controls, DEL, and the bidirectional overrides and isolates: shown escaped, never sent
# to the terminal (a newline would split the line, an escape sequence would drive the terminal).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escape(m: re.Match[str]) -> str:
    c = m.group()
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def one_line(text: str) -> str:
    """``text`` as one printable line: control characters written as ``\\x..``/``\\u....`` escapes,
    characters that cannot be encoded (lone surrogates) as ``\\udcff``."""
    text = text.encode("utf-8", errors="backslashreplace").decode("utf-8")
    return _CONTROL.sub(_escape, text)


def cell(text: str | None, limit: int | None = None) -> str:
    """Corpus text or a path as a Rich table cell or line: one line, cut at ``limit`` characters
    with "…" (never silently), and escaped so that Rich shows brackets instead of reading markup."""
    line = one_line(text or "")
    if limit is not None and len(line) > limit:
        line = line[: limit - 1] + "…"
    return escape(line)


def cut_note(shown: int, total: int, option: str = "--limit") -> None:
    """Say when a table shows fewer rows than there are: "100 of 250 shown; --limit 250 for all"."""
    if total > shown:
        console.print(f"{shown} of {total} shown; {option} {total} for all", highlight=False, markup=False)


def warn(message: str) -> None:
    """One warning line on stderr."""
    print_line("warning:", "yellow", message)


def print_line(label: str, style: str, message: str) -> None:
    """``label message`` on stderr as one plain line: the message is never read as markup."""
    err_console.print(Text.assemble((label, style), " ", one_line(message)), highlight=False)


def fail(message: str, code: int = 1) -> NoReturn:
    print_line("error:", "red", message)
    raise typer.Exit(code)


def open_readonly(db: str | Path) -> Store:
    try:
        return Store(db, readonly=True)
    except StoreError as exc:
        fail(str(exc))


@contextmanager
def progress_bar(quiet: bool) -> Iterator[Callable[[str, int, int | None], None]]:
    """A Rich progress bar fed by the pipeline's (stage, done, total) reports.

    Rich shows it only on a terminal and only once work lasts (transient, refreshed lazily).
    """
    if quiet or not err_console.is_terminal:
        yield lambda stage, done, total: None
        return
    with Progress(
        TextColumn("{task.description:<8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        tasks: dict[str, int] = {}

        def report(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield report
