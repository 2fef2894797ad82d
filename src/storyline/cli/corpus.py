"""Commands that fill and inspect the corpus: build, docs, show."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from storyline import api
from storyline.cli.common import (
    DbOption,
    QuietOption,
    cell,
    console,
    cut_note,
    fail,
    one_line,
    open_readonly,
    print_error_line,
    progress_bar,
)
from storyline.config import dask_target, load_config
from storyline.errors import StorylineError
from storyline.model import raw_offset


def _documents(n: int) -> str:
    return f"{n} document" if n == 1 else f"{n} documents"


def build(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    db: DbOption = api.DEFAULT_DB,
    model: Annotated[str | None, typer.Option(help="Any installed spaCy pipeline, e.g. en_core_web_trf.")] = None,
    aliases: Annotated[
        Path | None,
        typer.Option(help="YAML file of forced / forbidden merges: of entities, and of stories under 'stories:'."),
    ] = None,
    workers: Annotated[int | None, typer.Option(help="Processes for reading, parsing and extracting.")] = None,
    dask: Annotated[
        str | None,
        typer.Option(
            help="Run reading, cleaning, parsing and extraction on Dask: local:N starts N worker processes "
            "here, tcp://HOST:PORT uses a running scheduler (whose workers see the files at the same paths)."
        ),
    ] = None,
    no_nlp: Annotated[bool, typer.Option("--no-nlp", help="Only ingest, clean and group copies.")] = False,
    keep_missing: Annotated[
        bool,
        typer.Option(
            "--keep-missing",
            help="Keep the documents of stored files gone from the folders given (by default they leave "
            "the dossier, kept in the store as history).",
        ),
    ] = False,
    config: Annotated[Path | None, typer.Option(help="TOML file with a [build] table of settings.")] = None,
    quiet: QuietOption = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="Under an error line that a bug or the store caused, print the exception."
        ),
    ] = False,
) -> None:
    """Ingest news files into the store and analyse what is new; an edited file replaces its documents,
    a deleted one's leave the dossier (files outside the folders given are left alone).

    Example: storyline build examples/ru-dprk-2023 --db storyline.db  (on two Dask workers: --dask local:2)
    """
    from storyline.store import StoreError

    for p in paths:
        if not p.exists():
            fail(f"{p}: no such file or folder")
    try:
        if dask is not None:
            dask_target(dask)
        settings = load_config(config).with_overrides(
            model=model,
            aliases=aliases,
            workers=workers,
            dask=dask,
            analyse=False if no_nlp else None,
            keep_missing=True if keep_missing else None,
        )
    except StorylineError as exc:
        fail(str(exc))

    def on_error(line: str) -> None:
        print_error_line("skipped", "yellow", line, verbose=verbose)

    try:
        with progress_bar(quiet) as progress:
            report = api.build(paths, db, config=settings, progress=progress, on_error=on_error)
    except (StorylineError, StoreError) as exc:  # settings, a missing model, a busy or read-only store
        fail(str(exc))
    if not quiet:
        console.print(
            f"{report.files} files: {report.read} read, {report.unchanged} unchanged, {report.failed} failed; "
            f"{report.documents_added} new documents, "
            + (f"{report.documents_removed} removed, " if report.documents_removed else "")
            + f"{report.copies_folded} exact copies folded, "
            f"{report.analysed} analysed → {one_line(str(db))}",
            highlight=False,
            markup=False,
        )
        for path, n in report.files_replaced:
            line = f"replaced {one_line(path)}: {_documents(n)} by its edited text"
            console.print(line, highlight=False, markup=False)
        for path, n in report.files_removed:
            console.print(
                f"removed {one_line(path)}: gone, {_documents(n)} left the dossier (kept in the store as history)",
                highlight=False,
                markup=False,
            )
        if report.replaced_chars:
            console.print(
                f"{report.replaced_chars} characters no store can hold (lone surrogates, NUL) replaced by U+FFFD",
                highlight=False,
                markup=False,
            )
        with open_readonly(db) as store:
            st = store.stats()
        console.print(
            f"the store holds {st['documents']} documents ({st['copy_groups']} copy groups, "
            f"{st['files_failed']} files failed), {st['entities']} entities, {st['quotes']} quotes, "
            f"{st['events']} events in {st['stories']} stories, {st['contested']} contested claims"
            + (f"; {st['removed_documents']} removed documents kept as history" if st["removed_documents"] else ""),
            highlight=False,
            markup=False,
        )
        if st["not_analysed"]:
            console.print(
                f"{st['not_analysed']} documents stored but not analysed: their text is in a language or script "
                "storyline's NLP does not read ('storyline docs' says which)",
                highlight=False,
                markup=False,
            )
    if report.failed and not quiet:
        hint = f"storyline files --db {one_line(str(db))} --failed lists them with their reasons"
        console.print(hint, markup=False, highlight=False, soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)


def docs(db: DbOption = api.DEFAULT_DB, limit: Annotated[int, typer.Option(help="Rows at most.", min=1)] = 200) -> None:
    """List the documents: id, source, date and where it came from, title, words, copy group, language
    (blank: too short or mixed to tell), and why a document is not analysed (its text in a language or
    script storyline's NLP does not read), if it is not.

    Example: storyline docs --db storyline.db
    """
    with open_readonly(db) as store:
        every = store.documents(with_raw=False)
    table = Table("id", "source", "published", "from", "title", "words", "group", "lang", "not analysed")
    for d in every[:limit]:
        table.add_row(
            d.id[:10],
            cell(Path(d.source).name),
            cell(d.published or "—"),
            d.published_from or "—",
            cell(d.title, 60),
            str(d.words),
            (d.group or "")[:10],
            d.language or "",
            cell(d.not_analysed or ""),
        )
    console.print(table)
    cut_note(min(limit, len(every)), len(every))


def show(
    doc: Annotated[str, typer.Argument(help="Document id (or a unique prefix, or its file name).")],
    db: DbOption = api.DEFAULT_DB,
    removed: Annotated[bool, typer.Option("--removed", help="Show what cleaning cut, and why.")] = False,
) -> None:
    """Show one document's clean text (or what cleaning removed).

    Example: storyline show 001_d1a49a8ee6c7b1b9.txt --removed
    """
    with open_readonly(db) as store:
        d = store.document(doc)
        if d is None:
            fail(f"no document {doc!r} in {db} (try 'storyline docs')")
        console.print(f"[bold]{cell(d.title or '(no title)')}[/bold]", highlight=False)
        console.print(
            cell(f"{d.id}  {d.source}  published {d.published or 'unknown'} ({d.published_from or '—'})"),
            highlight=False,
        )
        if d.sources and len(d.sources) > 1:
            console.print(cell("also from: " + ", ".join(d.sources[1:])), highlight=False)
        console.print()
        if not removed:
            console.print(cell(d.text, layout=True), highlight=False)
            return
        if not d.removed:
            console.print("Cleaning removed nothing.")
        for r in d.removed:
            snippet = d.raw[r.start : r.end].strip().replace("\n", " ⏎ ")
            console.print(f"[cyan]{r.reason:>14}[/cyan] raw {r.start}-{r.end}: ", end="", highlight=False)
            console.print(cell(snippet, 160), highlight=False)
        kept = sum(s.length for s in d.segments)
        console.print(
            f"\nkept {kept} of {len(d.raw)} raw characters; clean offset 0 is raw offset {raw_offset(d.segments, 0)}",
            highlight=False,
        )


def register(app: typer.Typer) -> None:
    app.command()(build)
    app.command()(docs)
    app.command()(show)
