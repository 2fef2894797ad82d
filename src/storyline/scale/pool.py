"""``build --workers N``: the document stages in N local worker processes.

Each worker loads the spaCy model once (the pool's initializer) and runs the Dask path's own
per-partition functions (:mod:`storyline.scale.cluster`), so what it returns is what a Dask worker
returns: compact records the store writes (file plans, each Analysis with its parse's bytes), never a
spaCy Doc. The build's process only reads results and writes batches. :class:`PoolStages` runs both
passes of ingest *and* the parse and extractors of the new documents there (the build's parse then
finds them analysed); :class:`ParsePool` parses what is left to the nlp stage (documents stored by
earlier builds, or an extractor changed). Results are taken back in order, and a batch is cut as one
process cuts it, so every analysis, and the dossier, is that of ``--workers 1`` byte for byte.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

from storyline.config import BuildConfig
from storyline.errors import StorylineError
from storyline.ingest.normalise import display_path
from storyline.model import Analysis, Document

if TYPE_CHECKING:
    from storyline.pipeline import Analysed, FileEntry, SitePage, _FilePlan

T = TypeVar("T")
# Tasks submitted ahead per worker process: one running and one waiting keeps a worker busy while the
# build's process stores the result before; more only holds more partitions in memory.
TASKS_AHEAD = 2

Made = list[tuple[Analysis, bytes]]  # analyses with their parses' bytes, in the order of the documents


def _start_worker(model: str | None) -> None:
    """The initializer: load the model once (none for a build that does not analyse); one BLAS
    thread (one worker a core); leave Ctrl-C to the build's process, which stops the pool."""
    from threadpoolctl import threadpool_limits

    from storyline.nlp.model import load_pipeline

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threadpool_limits(limits=1)
    if model is not None:
        load_pipeline(model)


def _executor(workers: int, model: str | None) -> ProcessPoolExecutor:
    """``workers`` spawned processes (fresh: no store, no threads inherited), each with ``model`` loaded."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(model,),
    )


def _died(first: Path, more: int) -> StorylineError:
    return StorylineError(
        f"a worker process died while reading or parsing {display_path(first)} or the {more} files after it; "
        "build again to resume, with --workers 1 to see which one fails"
    )


class Parsing:
    """The batches of one :meth:`ParsePool.submit`, under way in the workers."""

    def __init__(self, batches: list[tuple[list[Document], Future]]) -> None:
        self._batches = batches

    def result(self, fallback: Callable[[list[Document]], Made]) -> Made:
        """Wait for every batch; a batch whose parse failed is handed to ``fallback`` (which takes its
        documents one by one and reports the one at fault). Raises :class:`StorylineError` when a
        worker process died (the build resumes where its last committed batch ended)."""
        out: Made = []
        for docs, future in self._batches:
            try:
                made = future.result()
            except BrokenProcessPool:
                raise StorylineError(
                    f"a parse worker process died while parsing {docs[0].source} or the {len(docs) - 1} "
                    "documents after it; build again to resume, with --workers 1 to see which one fails"
                ) from None
            out += [(x.analysis, x.parse) for x in made] if made else fallback(docs)
        return out


class ParsePool:
    """``config.workers`` processes (started on the first documents submitted, so a build with nothing
    to parse starts none), each parsing and extracting one ``config.nlp_batch`` of documents a task."""

    def __init__(self, config: BuildConfig) -> None:
        self.config = replace(config, workers=1)  # what a worker runs: one process's nlp.pipe
        self.workers = config.workers
        self._executor: ProcessPoolExecutor | None = None

    def submit(self, docs: list[Document]) -> Parsing:
        """Start parsing ``docs``, ``config.nlp_batch`` documents a task."""
        from storyline.scale.cluster import analyse_partition

        if not docs:
            return Parsing([])
        if self._executor is None:
            self._executor = _executor(self.workers, self.config.model)
        step = self.config.nlp_batch
        batches = [docs[i : i + step] for i in range(0, len(docs), step)]
        return Parsing([(b, self._executor.submit(analyse_partition, b, self.config)) for b in batches])

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)


class PoolStages:
    """The document stages (:class:`storyline.pipeline.DocumentStages`) in ``config.workers`` local
    processes, ``config.nlp_batch`` files a task (one ``nlp.pipe`` batch, as :class:`ParsePool` takes;
    smaller tasks cost the parse its batching): pass 1 and pass 2 of ingest and, when the build
    analyses, the parse and extractors of each task's documents, as on a Dask worker
    (:func:`~storyline.scale.cluster.prepare_partition`).

    At most :data:`TASKS_AHEAD` tasks a worker are under way, so memory stays that of a few
    partitions whatever the corpus; results are yielded in file order. The processes start on the
    first files given, so a build with nothing new starts none.
    """

    def __init__(self, config: BuildConfig) -> None:
        self.config = replace(config, workers=1)  # what a worker runs: one process's nlp.pipe
        self.workers = config.workers
        self._executor: ProcessPoolExecutor | None = None

    @property
    def executor(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = _executor(self.workers, self.config.model if self.config.analyse else None)
        return self._executor

    def survey(self, entries: list[FileEntry]) -> list[SitePage]:
        from storyline.scale.cluster import survey_partition

        parts = self._partitions(entries)
        results = self._in_order(parts, lambda part: self.executor.submit(survey_partition, part, self.config))
        return [page for pages in results for page in pages]

    def prepare(
        self,
        entries: Sequence[FileEntry],
        recurring: dict[str, frozenset[str]],
        held: Mapping[str, list[tuple[str, str]]] | None = None,
    ) -> Iterator[tuple[list[_FilePlan], list[Analysed], int]]:
        from storyline.scale.cluster import prepare_partition

        parts = self._partitions(entries)
        yield from self._in_order(
            parts, lambda part: self.executor.submit(prepare_partition, part, self.config, recurring)
        )

    def _partitions(self, entries: Sequence[FileEntry]) -> list[list[FileEntry]]:
        step = self.config.nlp_batch
        return [entries[i : i + step] for i in range(0, len(entries), step)]

    def _in_order(self, parts: list[list[FileEntry]], submit: Callable[[list[FileEntry]], Future[T]]) -> Iterator[T]:
        """Each part's result, in order, with at most :data:`TASKS_AHEAD` tasks a worker submitted ahead."""
        ahead: deque[tuple[list[FileEntry], Future[T]]] = deque()
        todo = iter(parts)
        try:
            while True:
                while len(ahead) < TASKS_AHEAD * self.workers and (part := next(todo, None)) is not None:
                    ahead.append((part, submit(part)))
                if not ahead:
                    return
                part, future = ahead.popleft()
                try:
                    yield future.result()
                except BrokenProcessPool:
                    raise _died(part[0][0], len(part) - 1) from None
        finally:
            for _, future in ahead:
                future.cancel()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


@contextmanager
def pool_stages(config: BuildConfig) -> Iterator[PoolStages]:
    """The document stages in a local pool of ``config.workers`` processes, for the length of one build."""
    stages = PoolStages(config)
    try:
        yield stages
    finally:
        stages.close()
