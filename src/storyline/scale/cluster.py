"""The document stages mapped over partitions of files on a Dask cluster; no stage logic lives here.

Each task runs the pipeline's own functions on one partition: :func:`survey_file` (pass 1: the
records' site lines) or :func:`prepare_files` then :func:`parse_and_analyze` (pass 2: read, clean
with the corpus's recurring lines, fingerprint, parse, extract). A worker loads the spaCy model once
(``load_pipeline`` is cached per process) and returns compact records: the files' plans (documents,
fingerprints, pages) and the analyses with their parses. The client stores them partition by partition, in file order,
through the same functions the local path uses, so the store and the dossier are the same byte for
byte. A task is a pure function of its files, so a task lost with its worker is simply run again.

When the store is PostgreSQL, the workers store their partitions themselves, each in its own
transaction beside the others (:func:`storyline.pipeline.store_partition`), and return only what
that gave (:class:`StoredBatch`): per file its errors and which documents were new. The transaction
claims the partition first (build token + partition number), so a partition run again after its
worker was killed stores nothing twice; see docs/scaling.md. The workers then need the store's URL
to reach the server from where they run.

The workers read the files at the paths the client lists: a cluster over several machines needs
the files at the same paths on every one (a shared folder).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

from storyline.config import BuildConfig, dask_target
from storyline.errors import StorylineError
from storyline.ingest import ReadStats
from storyline.ingest.normalise import display_path
from storyline.model import Document
from storyline.nlp.analyze import parse_and_analyze
from storyline.nlp.model import load_pipeline, model_fingerprint
from storyline.pipeline import (
    Analysed,
    FileEntry,
    SitePage,
    StoredBatch,
    _FilePlan,
    prepare_files,
    store_partition,
    survey_file,
)
from storyline.store import Store

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

# Dask settings for the workers of a LocalCluster started here. Measured on one worker parsing a
# partition of 40 story-shaped articles, three times each, against the same call in the client
# (2026-12-02): Dask's default MALLOC_TRIM_THRESHOLD_ (which also stops glibc adapting its mmap
# threshold) gave the parse 11x the page faults and 8% more CPU; unset, the worker matches the client
# to within 2%, and without the statistical profiler (sampling the stack every 10 ms) within 1%.
# Workers started with `dask worker` take their settings from their own Dask configuration.
LOCAL_WORKER_CONFIG: dict[str, object] = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
}
CONNECT_SECONDS = 10  # to reach a running scheduler: it answers at once when it is up (on a LAN too)


@contextmanager
def connect(target: str) -> Iterator[Client]:
    """A client of the cluster ``target`` names (see :func:`dask_target`): a LocalCluster of real
    worker processes, one thread each, started and closed here; or a running scheduler's address."""
    try:
        from distributed import Client
    except ImportError as exc:  # the optional extra "scale"
        raise StorylineError("--dask needs Dask: pip install 'storyline[scale]'") from exc
    address, workers = dask_target(target)
    if address is not None:
        try:
            client = Client(address, timeout=CONNECT_SECONDS)
        except OSError as exc:  # nothing listening, or not a scheduler
            raise StorylineError(f"cannot reach a Dask scheduler at {address} ({exc})") from None
        with client:
            yield client
        return
    with local_cluster(workers) as cluster, Client(cluster) as client:
        yield client


@contextmanager
def local_cluster(workers: int | None) -> Iterator[LocalCluster]:
    """A LocalCluster of ``workers`` real worker processes (None: one per core), one thread each."""
    import dask
    from distributed import LocalCluster

    with (
        dask.config.set(LOCAL_WORKER_CONFIG),
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # any free port: a second cluster on the machine never collides
            silence_logs=logging.ERROR,
        ) as cluster,
    ):
        yield cluster


def _partitions(entries: Sequence[FileEntry], size: int) -> list[list[FileEntry]]:
    return [entries[i : i + size] for i in range(0, len(entries), size)]


def survey_partition(entries: list[FileEntry], config: BuildConfig) -> list[SitePage]:
    """Pass 1 on a worker: the site pages of a partition's files."""
    return [page for entry in entries for page in survey_file(entry[0], config)]


def _distinct(docs: Iterable[Document]) -> list[Document]:
    """One document per id, dated as the store will date it: by the first copy that has a date
    (an analysis made with another date is not kept by the client)."""
    out: dict[str, Document] = {}
    for doc in docs:
        first = out.setdefault(doc.id, doc)
        if first.published is None and doc.published is not None:
            out[doc.id] = doc
    return list(out.values())


def prepare_partition(
    entries: list[FileEntry], config: BuildConfig, recurring: dict[str, frozenset[str]]
) -> tuple[list[_FilePlan], list[Analysed], int]:
    """Pass 2 on a worker: the partition's file plans, the analyses of their documents (when the
    build analyses) and the characters replaced at the door.

    When the parse fails on some document, no analysis is returned for the partition: the client's
    own analysis stage then takes those documents one by one and reports the one at fault.
    """
    stats = ReadStats()
    plans = prepare_files(entries, config, recurring, stats)
    analysed: list[Analysed] = []
    if config.analyse:
        analysed = analyse_partition(
            _distinct(doc for plan in plans for doc, *_ in plan.items if doc.not_analysed is None), config
        )
    return plans, analysed, stats.replaced


def analyse_partition(docs: list[Document], config: BuildConfig) -> list[Analysed]:
    """Parse and extract ``docs`` in this process, one ``nlp.pipe`` over them (``config.nlp_batch``
    documents a batch), with the model this process loaded once; the analyses in the order of ``docs``.

    When the parse fails on some document, nothing is returned: the caller's analysis stage then
    takes those documents one by one and reports the one at fault. Runs on Dask workers and in the
    local pool of ``build --workers N`` (:mod:`storyline.scale.pool`).
    """
    try:
        nlp = load_pipeline(config.model)
        fingerprint = model_fingerprint(config.model)
        made = parse_and_analyze(docs, nlp, config.model, config.nlp_batch, 1)
        return [Analysed(a, d.published, data, fingerprint) for (a, data), d in zip(made, docs, strict=True)]
    except Exception:  # redone, and reported, by the caller's analysis stage
        return []


def prepare_and_store_partition(
    entries: list[FileEntry],
    config: BuildConfig,
    recurring: dict[str, frozenset[str]],
    url: str,
    claim: str,
    held: dict[str, list[tuple[str, str]]] | None = None,
) -> StoredBatch:
    """Pass 2 on a worker that stores its partition itself (a PostgreSQL store at ``url``): what
    :func:`prepare_partition` makes, stored under ``claim`` by :func:`store_partition` (``held``: what
    its stored files held, for one that went bad)."""
    plans, analysed, replaced = prepare_partition(entries, config, recurring)
    return store_partition(_worker_store(url), plans, analysed, replaced, claim, held)


@cache
def _worker_store(url: str) -> Store:
    """The store a worker process writes to, opened once per process (its engine keeps the connections)."""
    return Store(url)


class DaskStages:
    """The document stages as tasks on a cluster, ``config.dask_partition`` files a task.

    The cluster is reached (or started) on first use, so a build with nothing new starts none.
    Results are taken in file order (later partitions keep running meanwhile), so what is stored,
    and in which order, is what the local path stores. With a ``store`` (PostgreSQL), the workers
    store the partitions, in whichever order they finish, and the results are what that gave.
    """

    def __init__(self, config: BuildConfig, stack: ExitStack, store: Store | None = None) -> None:
        self.config = config
        self.store = store
        self._stack = stack
        self._client: Client | None = None

    @property
    def client(self) -> Client:
        if self._client is None:
            assert self.config.dask is not None
            self._client = self._stack.enter_context(connect(self.config.dask))
        return self._client

    def survey(self, entries: list[FileEntry]) -> list[SitePage]:
        parts = _partitions(entries, self.config.dask_partition)
        futures = self.client.map(survey_partition, parts, config=self.config, pure=False)
        return [page for pages in self.client.gather(futures) for page in pages]

    def prepare(
        self,
        entries: Sequence[FileEntry],
        recurring: dict[str, frozenset[str]],
        held: Mapping[str, list[tuple[str, str]]] | None = None,
    ) -> Iterator[tuple[list[_FilePlan], list[Analysed], int] | StoredBatch]:
        shared: Any = self.client.scatter(recurring, broadcast=True, hash=False)
        parts = _partitions(entries, self.config.dask_partition)
        token = f"{uuid.uuid4().hex}:"  # this build's claims (see store_partition)
        if self.store is None:
            futures = [self.client.submit(prepare_partition, part, self.config, shared, pure=False) for part in parts]
        else:
            futures = [
                self.client.submit(
                    prepare_and_store_partition, part, self.config, shared, self.store.url, f"{token}{i}",
                    {e[1]: list((held or {})[e[1]]) for e in part if e[1] in (held or {})}, pure=False,
                )
                for i, part in enumerate(parts)
            ]
        from distributed import KilledWorker

        try:
            for part, future in zip(parts, futures, strict=True):
                try:
                    result = future.result()
                except KilledWorker:
                    raise StorylineError(
                        f"{display_path(part[0][0])} and the {len(part) - 1} files after it killed every "
                        "Dask worker that took them; build them without --dask to see which one fails"
                    ) from None
                future.release()
                yield result
        finally:
            self.client.cancel(futures)
            if self.store is not None:
                self.store.drop_claims(token)


@contextmanager
def dask_stages(config: BuildConfig, store: Store | None = None) -> Iterator[DaskStages]:
    """The document stages on the cluster ``config.dask`` names, for the length of one build; with a
    (PostgreSQL) ``store``, the workers write their partitions to it themselves."""
    with ExitStack() as stack:
        yield DaskStages(config, stack, store)
