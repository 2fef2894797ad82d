"""Per-extractor versions: the declared table matches the code, and a change reaches exactly its readers."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from storyline.nlp.versions import (
    EXTRACTORS,
    PACKAGE,
    SHARED_MODULES,
    Extractor,
    extractor_versions,
    stale_extractors,
    with_readers,
)

DATA = PACKAGE / "nlp" / "data"
ENTRY = {"entities": "nlp/entities.py", "timex": "nlp/timex.py", "quotes": "nlp/quotes.py", "events": "nlp/events.py"}


def _storyline_imports(rel: str) -> set[str]:
    """Package-relative paths of the storyline modules ``rel`` imports (at any depth of its code)."""
    found = set()
    for node in ast.walk(ast.parse((PACKAGE / rel).read_text(encoding="utf-8"))):
        names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            if name.startswith("storyline."):
                path = name.removeprefix("storyline.").replace(".", "/")
                found.add(f"{path}.py" if (PACKAGE / f"{path}.py").exists() else f"{path}/__init__.py")
    return found


def _closure(rel: str) -> set[str]:
    seen, todo = set(), [rel]
    while todo:
        here = todo.pop()
        if here not in seen:
            seen.add(here)
            todo += _storyline_imports(here)
    return seen


def _data_files_named(rel: str) -> set[str]:
    text = (PACKAGE / rel).read_text(encoding="utf-8")
    return {p.name for p in DATA.iterdir() if p.name in text}


def test_every_extractor_has_an_entry_module() -> None:
    assert set(EXTRACTORS) == set(ENTRY)


@pytest.mark.parametrize("name", sorted(ENTRY))
def test_every_module_an_extractor_imports_is_declared(name: str) -> None:
    declared = {*SHARED_MODULES, *EXTRACTORS[name].modules}
    assert _closure(ENTRY[name]) - declared == set()


@pytest.mark.parametrize("name", sorted(ENTRY))
def test_every_data_file_its_modules_name_is_declared(name: str) -> None:
    named = {f for rel in _closure(ENTRY[name]) for f in _data_files_named(rel)}
    assert named - set(EXTRACTORS[name].data) == set()


def test_extractor_inputs_follow_the_calls_in_analyze_parsed() -> None:
    assert EXTRACTORS["quotes"].inputs == ("entities",)
    assert set(EXTRACTORS["events"].inputs) == {"entities", "timex", "quotes"}
    assert not EXTRACTORS["entities"].inputs and not EXTRACTORS["timex"].inputs


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of what the version table reads, to change a file in."""
    root = tmp_path / "storyline"
    (root / "nlp").mkdir(parents=True)
    shutil.copy(PACKAGE / "model.py", root / "model.py")
    for path in (PACKAGE / "nlp").glob("*.py"):
        shutil.copy(path, root / "nlp" / path.name)
    shutil.copytree(DATA, root / "nlp" / "data")
    return root


@pytest.mark.parametrize(
    ("changed", "stale"),
    [
        ("nlp/data/reporting_verbs.tsv", {"quotes", "events"}),
        ("nlp/data/timex.json", {"timex", "events"}),
        ("nlp/data/plover_predicates.tsv", {"events"}),
        ("nlp/data/places.tsv", {"entities", "quotes", "events"}),
        ("nlp/gender.py", {"quotes", "events"}),
        ("nlp/names.py", {"entities", "quotes", "events"}),
        ("nlp/analyze.py", {"entities", "timex", "quotes", "events"}),
        ("model.py", {"entities", "timex", "quotes", "events"}),
        ("nlp/model.py", set()),  # the parse's concern: a new model fingerprint, not an extractor's
    ],
)
def test_a_change_makes_its_extractor_and_everything_downstream_stale(
    package_copy: Path, changed: str, stale: set[str]
) -> None:
    before = extractor_versions(package_copy)
    assert before == extractor_versions()
    with (package_copy / changed).open("a", encoding="utf-8") as fh:
        fh.write("\n")
    after = extractor_versions(package_copy)
    assert {name for name in before if before[name] != after[name]} == stale


def test_an_input_declared_after_its_reader_is_refused() -> None:
    table = {"quotes": EXTRACTORS["quotes"], "entities": EXTRACTORS["entities"]}
    with pytest.raises(ValueError, match="entities"):
        extractor_versions(table=table)


def test_a_declared_file_that_is_missing_fails_loudly() -> None:
    with pytest.raises(FileNotFoundError):
        extractor_versions(table={"x": Extractor(modules=("nlp/absent.py",))})


@pytest.mark.parametrize(
    ("changed", "stale"),
    [
        ({"entities"}, {"entities", "quotes", "events"}),
        ({"timex"}, {"timex", "events"}),
        ({"quotes"}, {"quotes", "events"}),
        ({"events"}, {"events"}),
        (set(), set()),
    ],
)
def test_stale_extractors_take_their_readers_along(changed: set[str], stale: set[str]) -> None:
    current = extractor_versions()
    recorded = {name: ("older" if name in changed else v) for name, v in current.items()}
    assert stale_extractors(recorded, current) == stale
    assert with_readers(changed) == stale


@pytest.mark.parametrize("recorded", [None, {}])
def test_nothing_recorded_makes_every_extractor_stale(recorded: dict[str, str] | None) -> None:
    assert stale_extractors(recorded, extractor_versions()) == set(EXTRACTORS)
