"""`handoff sandbox`: thin commands; what they say when there is nothing to act on."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from handoff.cli.sandbox import default_sandbox_dir, sandbox
from tests.helpers import REPO


def test_default_directory_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv("HANDOFF_SANDBOX_DIR", raising=False)
    assert default_sandbox_dir() == REPO / "var" / "sandbox"
    monkeypatch.setenv("HANDOFF_SANDBOX_DIR", str(tmp_path / "env"))
    assert default_sandbox_dir() == tmp_path / "env"
    assert default_sandbox_dir(str(tmp_path / "flag")) == tmp_path / "flag"


def test_status_and_stop_of_a_sandbox_never_started(tmp_path):
    directory = tmp_path / "none"
    runner = CliRunner()
    status = runner.invoke(sandbox, ["status", "--dir", str(directory)])
    assert status.exit_code == 0 and "Not installed" in status.output
    stopped = runner.invoke(sandbox, ["stop", "--dir", str(directory)])
    assert stopped.exit_code == 0 and "Not running" in stopped.output
    assert not directory.exists(), "looking must not create anything"


def test_key_of_a_stopped_sandbox_says_to_start_it(tmp_path):
    result = CliRunner().invoke(sandbox, ["key", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "not running" in result.output and "handoff sandbox start" in result.output


def test_start_rejects_a_port_that_is_not_one(tmp_path):
    result = CliRunner().invoke(sandbox, ["start", "--dir", str(tmp_path), "--port", "70000"])
    assert result.exit_code == 2 and not Path(tmp_path, "state.json").exists()
