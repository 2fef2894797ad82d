"""``build --workers N``: the nlp stage's parse *and* extractors in N local worker processes.

Each worker loads the spaCy model once (the pool's initializer) and runs the Dask path's own
per-partition function, :func:`storyline.scale.cluster.analyse_partition`, on one ``nlp.pipe``
batch of documents at a time; it returns the compact records the store writes (each Analysis with
its parse's bytes), never a spaCy Doc, so the build's process only reads documents and writes
batches. Batches are cut where one process's ``nlp.pipe`` cuts them (``config.nlp_batch``
documents) and taken back in order, so every analysis, and the dossier, is that of ``--workers 1``
byte for byte.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from types import TracebackType

from storyline.config import BuildConfig
from storyline.errors import StorylineError
from storyline.model import Analysis, Document

Made = list[tuple[Analysis, bytes]]  # analyses with their parses' bytes, in the order of the documents


def _start_worker(model: str) -> None:
    """The initializer: load the model once; one BLAS thread (one worker a core); leave Ctrl-C to
    the build's process, which stops the pool."""
    from threadpoolctl import threadpool_limits

    from storyline.nlp.model import load_pipeline

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threadpool_limits(limits=1)
    load_pipeline(model)


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
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),  # a fresh process: no store, no threads inherited
                initializer=_start_worker,
                initargs=(self.config.model,),
            )
        step = self.config.nlp_batch
        batches = [docs[i : i + step] for i in range(0, len(docs), step)]
        return Parsing([(b, self._executor.submit(analyse_partition, b, self.config)) for b in batches])

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
