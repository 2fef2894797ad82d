"""Each extractor's version: a digest of exactly what its results depend on.

An extractor's version covers the shared driver and data model, its own modules and the helpers
they import, the data files they read, the installed versions of the libraries they call, and
the versions of the extractors whose output it takes (quotes read mentions; events read
mentions, timexes and quotes), so a change upstream makes everything downstream stale too.

The table is written by hand, as data, and errs towards listing a file: a file listed that does
not matter costs a re-run of the extractors (a fifth of a parse at most); a file missing from it
would leave stale analyses in the store. ``tests/nlp/test_versions.py`` checks it against the
modules' own imports and the data file names they mention.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # src/storyline


@dataclass(frozen=True, slots=True)
class Extractor:
    """What one extractor depends on (paths relative to the ``storyline`` package)."""

    modules: tuple[str, ...]
    data: tuple[str, ...] = ()  # file names under nlp/data/
    packages: tuple[str, ...] = ()  # distributions whose installed version enters the digest
    inputs: tuple[str, ...] = ()  # extractors whose results this one reads


# Read by every extractor: the records they return, the driver that runs them in order and the
# per-Doc text and tokens they share (nlp/docview.py).
SHARED_MODULES = ("model.py", "nlp/analyze.py", "nlp/docview.py")

# In running order: an extractor's inputs come before it.
EXTRACTORS: dict[str, Extractor] = {
    "entities": Extractor(
        modules=("nlp/entities.py", "nlp/names.py"),
        data=(
            "capitals.tsv",
            "seats.tsv",
            "demonyms.tsv",
            "given_name_gender.tsv",
            "given_names.tsv",
            "name_parts.tsv",
            "places.tsv",
            "romanisation.tsv",
        ),
        packages=("pycountry", "unidecode"),
    ),
    "timex": Extractor(modules=("nlp/timex.py",), data=("timex.json",), packages=("dateparser",)),
    "quotes": Extractor(
        modules=("nlp/quotes.py", "nlp/gender.py"),
        data=("reporting_verbs.tsv", "gender_cues.tsv", "given_name_gender.tsv"),
        inputs=("entities",),
    ),
    "events": Extractor(
        modules=("nlp/events.py", "nlp/gender.py", "nlp/names.py", "nlp/roles.py", "nlp/timex.py"),
        data=(
            "plover_predicates.tsv",
            "role_patterns.yaml",
            "person_nouns.tsv",
            "gender_cues.tsv",
            "given_name_gender.tsv",
            "capitals.tsv",
            "seats.tsv",
            "demonyms.tsv",
            "given_names.tsv",
            "name_parts.tsv",
            "places.tsv",
            "romanisation.tsv",
            "timex.json",
        ),
        inputs=("entities", "timex", "quotes"),
    ),
}


def _installed(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"


def extractor_versions(root: Path = PACKAGE, table: dict[str, Extractor] | None = None) -> dict[str, str]:
    """Each extractor's version digest (12 hex digits), computed from the files under ``root``.

    Raises FileNotFoundError when the table names a file that is not there, and ValueError when
    an extractor's input is not declared before it.
    """
    out: dict[str, str] = {}
    for name, ex in (table or EXTRACTORS).items():
        h = hashlib.blake2b(digest_size=6)
        for rel in (*SHARED_MODULES, *ex.modules, *(f"nlp/data/{f}" for f in ex.data)):
            h.update(rel.encode() + b"\0")
            h.update((root / rel).read_bytes())
        for dist in ex.packages:
            h.update(f"{dist}=={_installed(dist)}\0".encode())
        for dep in ex.inputs:
            if dep not in out:
                raise ValueError(f"extractor {name!r} reads {dep!r}, which is not declared before it")
            h.update(f"{dep}={out[dep]}\0".encode())
        out[name] = h.hexdigest()
    return out


def combined_version(versions: dict[str, str]) -> str:
    """One digest of every extractor's version: the ``version`` an analysis is stored under."""
    h = hashlib.blake2b(digest_size=6)
    for name in sorted(versions):
        h.update(f"{name}={versions[name]}\0".encode())
    return h.hexdigest()


def with_readers(names: Iterable[str]) -> set[str]:
    """``names`` and every extractor that reads one of them, directly or not."""
    out = set(names)
    for name, ex in EXTRACTORS.items():  # in running order, so a reader's inputs are settled first
        if out.intersection(ex.inputs):
            out.add(name)
    return out


def stale_extractors(recorded: Mapping[str, str] | None, current: Mapping[str, str]) -> set[str]:
    """The extractors whose recorded version is not the current one, with their readers; all of
    them when nothing was recorded."""
    if not recorded:
        return set(current)
    return with_readers(name for name in current if recorded.get(name) != current[name])
