"""What every command shares: the console, the --db option, one-line errors."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from click import Context
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text
from typer.core import TyperGroup

if TYPE_CHECKING:  # the store (SQLAlchemy) is imported by the commands that open one, not by --help
    from storyline.store import Store

DbOption = Annotated[
    str, typer.Option("--db", help="The store: a SQLite file, or a database URL (postgresql+psycopg://...).")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")]

_PLAIN_WIDTH = 200  # tables piped to a file or another program are not squeezed to 80 columns
console = Console(
    emoji=False,  # ":flag_ru:" in an article is text, not an emoji
    no_color="NO_COLOR" in os.environ or not sys.stdout.isatty(),
    width=None if sys.stdout.isatty() else _PLAIN_WIDTH,
)
# one error, one line: messages to stderr are never wrapped
err_console = Console(
    stderr=True, soft_wrap=True, emoji=False, no_color="NO_COLOR" in os.environ or not sys.stderr.isatty()
)


# C0 and C1 controls, DEL, and the bidirectional marks, embeddings, overrides and isolates: shown
# escaped, never sent to the terminal (a newline would split the line, an escape sequence would drive
# the terminal, an override would reverse what follows it on the line).
_BIDI_AND_SEPARATORS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI_AND_SEPARATORS}]")
_CONTROL_BUT_LAYOUT = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_AND_SEPARATORS}]")  # newline and tab kept


def _escape(m: re.Match[str]) -> str:
    c = m.group()
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def _printable(text: str, layout: bool) -> str:
    text = text.encode("utf-8", errors="backslashreplace").decode("utf-8")
    return (_CONTROL_BUT_LAYOUT if layout else _CONTROL).sub(_escape, text)


def one_line(text: str) -> str:
    """``text`` as one printable line: control characters written as ``\\x..``/``\\u....`` escapes,
    characters that cannot be encoded (lone surrogates) as ``\\udcff``."""
    return _printable(text, layout=False)


def cell(text: str | None, limit: int | None = None, *, layout: bool = False, markup: bool = True) -> str:
    """Corpus text or a path as the CLI prints it, the one way it prints such text: control
    characters escaped as in :func:`one_line` (ESC, C0/C1, bidi overrides; newlines and tabs are
    kept only with ``layout``, for a document's paragraphs), cut at ``limit`` characters with "…"
    (never silently), and escaped so that Rich shows brackets instead of reading markup. Print it
    with Rich's markup on (``console.print(cell(x), highlight=False)``); ``markup=False`` leaves the
    brackets alone, for text given to ``print`` (the briefing, tab-separated lines)."""
    line = _printable(text or "", layout)
    if limit is not None and len(line) > limit:
        line = line[: limit - 1] + "…"
    return escape(line) if markup else line


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


def print_error_line(label: str, style: str, line: str, *, verbose: bool = False) -> None:
    """An error line of a build (:class:`storyline.errors.ErrorLine`) on stderr: the one line, and with
    ``verbose`` the internal exception behind it (traceback, type and message), indented, if it has one."""
    print_line(label, style, line)
    detail = getattr(line, "detail", None)
    if verbose and detail:
        for text in detail.splitlines():
            err_console.print(Text("    " + one_line(text)), highlight=False)


def fail(message: str, code: int = 1) -> NoReturn:
    print_line("error:", "red", message)
    raise typer.Exit(code)


class OneLineStoreErrors(TyperGroup):
    """The command group: a store fault met by any command (a damaged file, a full disk, a busy or
    read-only store) ends it with its one line on stderr and exit code 1, never a traceback."""

    def invoke(self, ctx: Context) -> object:
        from storyline.store import StoreError

        try:
            return super().invoke(ctx)
        except StoreError as exc:
            fail(str(exc))


def open_readonly(db: str | Path) -> Store:
    from storyline.store import Store, StoreError

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
