"""Running PHP inside the sandbox WordPress from the command line (what wp-cli would do)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from handoff.sandbox import processes
from handoff.sandbox.errors import SandboxError

PHP_DIR = Path(__file__).with_name("php")
# How PHP reports a fatal error on stderr (with display_errors) or in its log (without).
PHP_FATAL = re.compile(r"^(PHP )?(Fatal|Parse) error: ", re.MULTILINE)
FIX_MISSING_PHP = "run `make setup` (installs Debian's php-cli and php-mysql)"


def php_program() -> str:
    """Return the path of php-cli, or raise SandboxError saying how to install it."""
    return processes.find_program("php", FIX_MISSING_PHP)


class PhpRunner:
    """Runs the scripts in php/ against one WordPress copy, as if requested at `host`."""

    def __init__(self, wordpress_dir: Path, host: str) -> None:
        self.wordpress_dir = wordpress_dir
        self.host = host  # "127.0.0.1:PORT": home_url(), cookies and redirects use it

    def command(self, script: str) -> list[str]:
        """Return the argv that runs php/`script` against this WordPress."""
        return [php_program(), str(PHP_DIR / script), str(self.wordpress_dir), self.host]

    def run(self, script: str, stdin: str = "", *, what: str, timeout: float = 120.0) -> str:
        """Run php/`script` with `stdin`; return its stdout, or raise SandboxError with stderr."""
        try:
            result = subprocess.run(self.command(script), input=stdin.encode(),
                                    capture_output=True, timeout=timeout,
                                    cwd=self.wordpress_dir)
        except subprocess.TimeoutExpired as error:
            raise SandboxError(f"{what} did not finish within {timeout:.0f} s",
                               self._fix()) from error
        stderr = result.stderr.decode(errors="replace")
        if result.returncode != 0 or PHP_FATAL.search(stderr):
            raise SandboxError(f"{what} failed (exit {result.returncode}): "
                               f"{processes.last_lines(stderr or result.stdout)}", self._fix())
        return result.stdout.decode(errors="replace")

    def _fix(self) -> str:
        log = self.wordpress_dir / "wp-content" / "debug.log"
        return f"fix what PHP names (WordPress's error log: {log})"
