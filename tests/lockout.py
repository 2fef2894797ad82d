"""Run the storyline CLI in a process that file modes bind, even as root (one helper for every test)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_storyline_locked_out(*args: str) -> subprocess.CompletedProcess[str]:
    """``storyline ARGS`` in a child process; as root it first gives up the capabilities that read or write
    any file whatever its mode (skips the test when ``setpriv`` is missing)."""
    cmd = [sys.executable, "-c", "from storyline.cli import main; main()", *args]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("root without setpriv passes every file mode: nothing to test")
        cmd = [setpriv, "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", "--", *cmd]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
