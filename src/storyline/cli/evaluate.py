"""The ``eval`` group: score storyline against annotated corpora (ECB+ events, thread gold)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from storyline import api
from storyline.cli.common import DbOption, cell, console, err_console, fail, open_readonly
from storyline.errors import ModelNotInstalled

eval_app = typer.Typer(
    name="eval",
    help="Score storyline against annotated corpora.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # as the main app: help shown as written
)


def _progress(line: str) -> None:
    err_console.print(line, highlight=False, markup=False)


@eval_app.command("ecbplus")
def ecbplus(
    corpus: Annotated[
        Path, typer.Option(help="The ECB+ folder (xml/ and ECBplus_coreference_sentences.csv).")
    ] = api.DEFAULT_ECBPLUS,
    model: Annotated[str | None, typer.Option(help="Any installed spaCy pipeline.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Also write the Markdown table here.")] = None,
) -> None:
    """Event coreference on ECB+, leave one topic out: MUC, B³, CEAF-e and CoNLL F1 per topic.

    Example: storyline eval ecbplus --corpus ../shared/dev/ecbplus -o ecbplus.md
    """
    try:
        text = api.eval_ecbplus(corpus, model, progress=_progress)
    except (FileNotFoundError, ModelNotInstalled) as exc:
        fail(str(exc))
    print(text)
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
        console.print(f"wrote {cell(str(out))}", highlight=False)


@eval_app.command("triggers")
def triggers(
    corpus: Annotated[
        Path, typer.Option(help="The ECB+ folder (xml/ and ECBplus_coreference_sentences.csv).")
    ] = api.DEFAULT_ECBPLUS,
    model: Annotated[str | None, typer.Option(help="Any installed spaCy pipeline.")] = None,
    wrong: Annotated[bool, typer.Option(help="Also list every event whose trigger is on no annotated action.")] = False,
) -> None:
    """Event trigger precision on ECB+: the share of storyline's events that sit on an annotated action.

    Example: storyline eval triggers --corpus ../shared/dev/ecbplus
    """
    from storyline.evaluation.ecb_triggers import score_triggers, table

    if not (corpus / "xml").is_dir():
        fail(f"{corpus}: no xml/ folder of ECB+ topics")
    try:
        scores = score_triggers(corpus, model)
    except (FileNotFoundError, ModelNotInstalled) as exc:
        fail(str(exc))
    print(table(scores))
    if wrong:
        for doc, kind, trigger, sentence in scores.wrong:
            print(f"{doc}\t{kind}\t{trigger}\t{sentence}")


@eval_app.command("threads")
def threads(
    gold: Annotated[Path, typer.Option(help="A storyline.gold/1 file with a threads list.")],
    db: DbOption = api.DEFAULT_DB,
) -> None:
    """Threads against gold, leave one topic out: held-out B³ F1 per topic (threads.json is left alone).

    Example: storyline eval threads --db threads.db --gold ../shared/dev/threads/gold.json
    """
    if not gold.is_file():
        fail(f"{gold}: no such gold file")
    open_readonly(db).close()  # a missing store is a one-line error, not a new empty database
    print(api.eval_threads(db, gold))


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
