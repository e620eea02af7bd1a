"""PHP's built-in web server in front of the sandbox WordPress."""

from __future__ import annotations

import os
import subprocess
import urllib.error
import urllib.request

from handoff.sandbox import processes
from handoff.sandbox.errors import SandboxError
from handoff.sandbox.layout import Layout
from handoff.sandbox.phprunner import PHP_DIR, php_program
from handoff.sandbox.ports import LOOPBACK

WORKERS = 4
START_TIMEOUT = 60.0

# Requests to the sandbox must never go through an HTTP proxy from the environment.
_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def server_command(php: str, port: int, docroot: str, router: str) -> list[str]:
    """Return the argv of PHP's built-in server for this sandbox."""
    return [
        php,
        # OPcache makes WordPress requests several times faster. Timestamps are checked on
        # every request, so edited plugins and mu-plugins take effect at once.
        "-d", "opcache.enable_cli=1", "-d", "opcache.validate_timestamps=1",
        "-d", "opcache.revalidate_freq=0",
        "-S", f"{LOOPBACK}:{port}", "-t", docroot, router,
    ]


def server_environment() -> dict[str, str]:
    """Return the environment of the server: ours plus several workers for parallel requests."""
    return {**os.environ, "PHP_CLI_SERVER_WORKERS": str(WORKERS)}


def start_server(layout: Layout, port: int) -> subprocess.Popen:
    """Start PHP's server on 127.0.0.1:`port` and return it once WordPress answers over HTTP."""
    argv = server_command(php_program(), port, str(layout.wordpress), str(PHP_DIR / "router.php"))
    process = processes.spawn(argv, log=layout.server_log, env=server_environment(),
                              cwd=layout.wordpress)

    def answers() -> bool:
        if process.poll() is not None:
            raise SandboxError(f"PHP's web server exited while starting (exit "
                               f"{process.returncode}): {processes.tail(layout.server_log)}",
                               f"see {layout.server_log}")
        return http_answers(f"http://{LOOPBACK}:{port}/")
    processes.wait_until(answers, START_TIMEOUT, f"WordPress to answer on port {port}")
    return process


def http_answers(url: str) -> bool:
    """Return whether an HTTP server answers at `url`, with any status."""
    try:
        with _direct.open(url, timeout=10) as response:
            response.read()
    except urllib.error.HTTPError:
        return True  # a 404 or 500 is still an answer
    except (OSError, ValueError):
        return False
    return True
