"""The desk's upload limits set from `storyline serve`: the [desk] table of --config and --max-… flags."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.config import DeskConfig, SettingsError, load_config, load_desk_config

ROOT = Path(__file__).resolve().parents[2]
GOOD = b"Kremlin spokesman Dmitry Peskov said on Monday that talks with Pyongyang went well.\n" * 3
runner = CliRunner()


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_desk_table_sets_the_upload_limits_beside_the_build_table(tmp_path: Path) -> None:
    path = _toml(tmp_path, "[build]\nworkers = 2\n\n[desk]\nmax_upload_files = 3\nmax_upload_bytes = 4096\n")
    assert load_desk_config(path) == DeskConfig(max_upload_files=3, max_upload_bytes=4096)
    assert load_config(path).workers == 2
    assert load_desk_config(None) == DeskConfig()
    assert load_desk_config(_toml(tmp_path, "[build]\nworkers = 2\n")) == DeskConfig()


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            "[build]\nworkers = 1\n[desk]\nmax_upload_files = 3\nmax_uploads = 2\n",
            "{path}, line 5: unknown setting 'max_uploads' in [desk] (known: max_json_bytes, max_request_bytes, "
            "max_upload_bytes, max_upload_files)",
        ),
        (
            "[desk]\nmax_upload_bytes = '1 MiB'\n",
            "{path}, line 2: max_upload_bytes must be a whole number of at least 1, not '1 MiB'",
        ),
        (
            "[build]\nworkers = 1\n\n[desk]\nmax_json_bytes = 0\n",
            "{path}, line 5: max_json_bytes must be a whole number of at least 1, not 0",
        ),
        ("desk = 3\n", "{path}: 'desk' must be a table ([desk])"),
    ],
)
def test_bad_desk_settings_stop_serve_with_one_line(tmp_path: Path, toml: str, message: str) -> None:
    path = _toml(tmp_path, toml)
    with pytest.raises(SettingsError) as caught:
        load_desk_config(path)
    assert str(caught.value) == message.format(path=path)
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "none.db"), "--config", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip().splitlines() == [f"error: {message.format(path=path)}"]


def test_a_build_setting_in_the_desk_table_is_named_unknown_there(tmp_path: Path) -> None:
    path = _toml(tmp_path, "[desk]\nmax_file_bytes = 10\n")
    with pytest.raises(SettingsError, match=r"line 2: unknown setting 'max_file_bytes' in \[desk\]"):
        load_desk_config(path)
    with pytest.raises(SettingsError, match=r"line 2: unknown setting 'max_file_bytes' in \[desk\]"):
        load_config(path)  # the whole file is checked, whichever command reads it


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """`storyline serve` as a user starts it, in its own process: [desk] from --config, a flag over it."""
    sys.path.insert(0, str(ROOT / "tests" / "web"))
    from handmade import build_handmade

    db = build_handmade(tmp_path / "u.db").db
    config = _toml(tmp_path, "[desk]\nmax_upload_bytes = 1000\nmax_upload_files = 50\n")
    port = _free_port()
    env = {**os.environ, "STORYLINE_TOKEN": "t", "PYTHONPATH": str(ROOT / "src")}
    args = ["serve", "--db", str(db), "--port", str(port), "--config", str(config), "--max-upload-files", "2"]
    command = Path(sys.executable).parent / "storyline"  # the installed command
    proc = subprocess.Popen([str(command), *args], env=env, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            try:
                urllib.request.urlopen(base + "/api", timeout=2).close()
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "storyline serve did not start"
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _upload(base: str, files: list[tuple[str, bytes]]) -> tuple[int, str]:
    boundary = "storylineboundary"
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        "Content-Type: text/plain\r\n\r\n".encode()
        + data
        + b"\r\n"
        for name, data in files
    ) + f"--{boundary}--\r\n".encode()
    headers = {"Authorization": "Bearer t", "Content-Type": f"multipart/form-data; boundary={boundary}"}
    request = urllib.request.Request(base + "/api/upload", data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_serve_takes_its_upload_limits_from_the_config_file_and_its_flags(served: str) -> None:
    status, answer = _upload(served, [(f"{i}.txt", GOOD) for i in range(3)])  # the flag's 2, not [desk]'s 50
    assert status == 413 and "at most 2 files per upload (max_upload_files)" in answer
    status, answer = _upload(served, [("big.txt", GOOD * 10)])  # over [desk]'s 1000 bytes
    assert status == 413 and "big.txt" in answer and "(max_upload_bytes)" in answer
