#!/usr/bin/env bash
# Runs the companion plugin's PHPUnit suite against a real, throwaway WordPress.
#
# Usage: tests/php/run.sh [phpunit arguments...]     e.g. --filter Xmlrpc
#
# Starts a sandbox (docs/sandbox.md) in a fresh temporary directory, runs Debian's phpunit
# with tests/php/phpunit.xml.dist, then stops the sandbox and removes the directory whatever
# happened (failure, Ctrl-C). Exits with phpunit's exit code.
#
# HANDOFF_TEST_WORDPRESS=6.8 runs it on WordPress 6.8 (default 6.1), and
# HANDOFF_TEST_SERVER=apache serves the sandbox with Apache + PHP-FPM (default PHP's server),
# as the pytest legs. The tests load WordPress into phpunit's own process; the server answers
# only what they request over HTTP (the site's loopback requests, Site Health's).
set -euo pipefail

export HANDOFF_TEST_WORDPRESS="${HANDOFF_TEST_WORDPRESS:-6.1}"
export HANDOFF_TEST_SERVER="${HANDOFF_TEST_SERVER:-php}"
case "$HANDOFF_TEST_SERVER" in
	php | apache) ;;
	*)
		echo "tests/php/run.sh: HANDOFF_TEST_SERVER=$HANDOFF_TEST_SERVER: use php or apache." >&2
		exit 2
		;;
esac

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"

python="$repo_root/.venv/bin/python"
if [[ ! -x "$python" ]]; then
	echo "tests/php/run.sh: $python is missing: run \`make setup\` first." >&2
	exit 2
fi
if ! command -v phpunit >/dev/null 2>&1; then
	echo "tests/php/run.sh: phpunit is missing: run \`make setup\` (Debian package phpunit)." >&2
	exit 2
fi

# The plugin under test is always this working tree's.
export HANDOFF_PLUGIN_SOURCE="$repo_root/wp-plugin/handoff-companion"

work_dir=""
phpunit_pid=""

cleanup() {
	local status=$?
	trap - EXIT INT TERM
	# Interrupted while phpunit runs: end it and the test processes it started (its group).
	if [[ -n "$phpunit_pid" ]] && kill -0 "$phpunit_pid" 2>/dev/null; then
		kill -TERM -- "-$phpunit_pid" 2>/dev/null || kill -TERM "$phpunit_pid" 2>/dev/null || true
		wait "$phpunit_pid" 2>/dev/null || true
	fi
	if [[ -n "$work_dir" ]]; then
		if ! "$python" -c 'import sys; from handoff.sandbox import Sandbox; Sandbox(sys.argv[1]).stop()' \
			"$work_dir/sandbox"; then
			echo "tests/php/run.sh: could not stop the sandbox in $work_dir/sandbox" >&2
			[[ "$status" -ne 0 ]] || status=1
		fi
		rm -rf "$work_dir"
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

work_dir="$(mktemp -d "${TMPDIR:-/tmp}/handoff-phpunit.XXXXXX")"
# mktemp makes it 0700: Apache's workers (www-data when run as root) must pass through it.
[[ "$HANDOFF_TEST_SERVER" != apache ]] || chmod 0711 "$work_dir"

# Prints "PORT WORDPRESS_DIR"; what start() could not do goes to stderr and fails the run.
sandbox_info="$("$python" - "$work_dir/sandbox" <<'PY'
import os
import sys

from handoff.sandbox import Sandbox

sandbox = Sandbox(sys.argv[1], wordpress=os.environ["HANDOFF_TEST_WORDPRESS"],
                  server=os.environ["HANDOFF_TEST_SERVER"])
sandbox.start()
print(f"sandbox: WordPress {sandbox.wordpress_version} on {sandbox.server}", file=sys.stderr)
for warning in sandbox.warnings:
    print(f"sandbox: {warning}", file=sys.stderr)
if sandbox.warnings:
    sys.exit(1)
print(sandbox.port, sandbox.wordpress_dir)
PY
)"
read -r sandbox_port wordpress_dir <<<"$sandbox_info"

export HANDOFF_WP_DIR="$wordpress_dir"
export HANDOFF_WP_HOST="127.0.0.1:$sandbox_port"

# In its own process group (so an interruption can end it with its test processes), in the
# background (so this script's traps run at once on Ctrl-C or TERM).
setsid --wait phpunit -c tests/php/phpunit.xml.dist "$@" </dev/null &
phpunit_pid=$!
set +e
wait "$phpunit_pid"
phpunit_status=$?
set -e
phpunit_pid=""
exit "$phpunit_status"
