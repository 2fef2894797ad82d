"""A real PostgreSQL server for the store tests: started in a temporary cluster, then dropped.

The server comes from Debian's postgresql package (``make test`` installs it); without it the tests
that need it are skipped with the reason.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True, slots=True)
class PgServer:
    """A running server on a Unix socket, trusting the ``postgres`` user."""

    sock: Path
    port: int

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://postgres@/{dbname}?host={self.sock}&port={self.port}"

    def create(self, dbname: str | None = None) -> str:
        """A new, empty database (a fresh name when none is given); its SQLAlchemy URL."""
        import psycopg

        dbname = dbname or f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(
            host=str(self.sock), port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as c:
            c.execute(f'CREATE DATABASE "{dbname}"')
        return self.url(dbname)


@contextmanager
def postgres_server(bindir: Path) -> Iterator[PgServer]:
    root = Path(tempfile.mkdtemp(prefix="storyline-pg-"))  # pytest's own tmp is closed to other users
    data, sock, port = root / "data", root / "sock", _free_port()
    sock.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: run the server as the postgres user
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")

    def run(*cmd: str) -> None:
        subprocess.run([*as_user, *cmd], check=True, capture_output=True)

    run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    run(
        str(bindir / "pg_ctl"),
        "-D",
        str(data),
        "-w",
        "-l",
        str(root / "log"),
        "-o",
        f"-k {sock} -p {port} -c listen_addresses=''",
        "start",
    )
    try:
        yield PgServer(sock, port)
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-w", "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)
