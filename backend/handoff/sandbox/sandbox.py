"""Sandbox: a throwaway, real WordPress on loopback, for the demo, tests and benchmarks."""

from __future__ import annotations

import fcntl
import json
import logging
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from handoff.sandbox import apache, processes, releases, wordpress
from handoff.sandbox.credentials import Credentials, load_or_create_credentials
from handoff.sandbox.errors import SandboxError
from handoff.sandbox.layout import Layout
from handoff.sandbox.mariadb import DATABASE, DATABASE_USER, MariaDB
from handoff.sandbox.phprunner import PhpRunner, php_program
from handoff.sandbox.ports import LOOPBACK, choose_port
from handoff.sandbox.releases import WordPressTree
from handoff.sandbox.server import start_server
from handoff.sandbox.state import State, load_state, save_state, write_json_atomically
from handoff.sandbox.wpconfig import WpConfig, php_string

log = logging.getLogger(__name__)

SERVERS = ("php", "apache")
MU_PLUGIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
PRETTY_PERMALINKS = "/%postname%/"
ACTIVATE_COMPANION = (
    f"$result = activate_plugin( {php_string(wordpress.COMPANION_PLUGIN)} );\n"
    "if ( is_wp_error( $result ) ) {\n"
    "\tfwrite( STDERR, $result->get_error_message() );\n"
    "\texit( 1 );\n"
    "}\n")
# What Settings → Permalinks does on Apache: WordPress writes its rules to .htaccess itself
# (php-cli is no Apache, so it is told it is one).
WRITE_HTACCESS = (
    "global $is_apache;\n"
    "$is_apache = true;\n"
    "add_filter( 'got_rewrite', '__return_true' );\n"
    "require_once ABSPATH . 'wp-admin/includes/misc.php';\n"
    "require_once ABSPATH . 'wp-admin/includes/file.php';\n"
    "if ( ! save_mod_rewrite_rules() ) {\n"
    "\tfwrite( STDERR, 'WordPress could not write ' . ABSPATH . '.htaccess' );\n"
    "\texit( 1 );\n"
    "}\n")


class Sandbox:
    """A private WordPress + MariaDB in `directory`, served on 127.0.0.1 by PHP or Apache.

    Creating one does nothing; start() installs on first use and is idempotent. Any process
    can control the same directory: the pids and port are kept in DIR/state.json.

    `wordpress` ("6.1", "6.8" or a folder; default: the newest available) and `locale`
    ("vi", "zh_CN", ...; default English) choose what the first start installs; a later
    start keeps what was installed and refuses a different request. `server` ("php", the
    default, or "apache") is chosen at each start.
    """

    admin_login = wordpress.ADMIN["login"]
    client_login = wordpress.CLIENT["login"]

    def __init__(self, directory: Path | str, port: int | None = None,
                 wordpress: str | None = None, locale: str | None = None,
                 server: str | None = None) -> None:
        if server not in (None, *SERVERS):
            raise SandboxError(f"{server!r} is not a web server the sandbox runs",
                               f"use one of {', '.join(SERVERS)}")
        self.layout = Layout.at(directory)
        self.requested_port = port
        self.requested_wordpress = wordpress
        self.requested_locale = locale
        self.requested_server = server
        self.warnings: list[str] = []  # things start() could not do, for the caller to show
        self._mariadb = MariaDB(self.layout)

    # ------------------------------------------------------------------ facts

    @property
    def directory(self) -> Path:
        return self.layout.directory

    @property
    def wordpress_dir(self) -> Path:
        return self.layout.wordpress

    @property
    def port(self) -> int:
        """The port the sandbox serves (or last served) on; SandboxError before the first start."""
        port = load_state(self.layout.state_file).port
        if port is None:
            raise SandboxError(f"the sandbox in {self.directory} has never been started",
                               "call start() (or run `handoff sandbox start`) first")
        return port

    @property
    def url(self) -> str:
        """The site's address, "http://127.0.0.1:PORT" (no trailing slash)."""
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def admin_password(self) -> str:
        return self._credentials().admin_password

    @property
    def client_password(self) -> str:
        return self._credentials().client_password

    @property
    def wordpress_version(self) -> str | None:
        """The installed WordPress's version ("6.8.12"), None before the first start."""
        return releases.read_version(self.layout.wordpress) if self.is_installed() else None

    @property
    def locale(self) -> str:
        """The site's language as installed ("en_US", "vi", "zh_CN")."""
        return self._installed_facts().get("locale") or wordpress.DEFAULT_LOCALE

    @property
    def server(self) -> str | None:
        """The web server serving the site ("php" or "apache"), None when stopped."""
        state = load_state(self.layout.state_file)
        return (state.server or "php") if self._serving(state) else None

    def is_installed(self) -> bool:
        """Return whether WordPress has been installed in this directory."""
        return self.layout.installed_file.is_file()

    def is_running(self) -> bool:
        """Return whether MariaDB and the web server (with PHP-FPM behind Apache) are running."""
        return self._serving(load_state(self.layout.state_file))

    def _serving(self, state: State) -> bool:
        if state.server == "apache" and not self._alive(state.fpm_pid):
            return False
        return self._alive(state.mariadb_pid) and self._alive(state.server_pid)

    @property
    def _marker(self) -> str:
        # In the argv of every server (DIR/mysql/my.cnf, DIR/wordpress, DIR/apache/httpd.conf,
        # DIR/php-fpm/php-fpm.conf); the slash keeps /tmp/sandbox from matching /tmp/sandbox2.
        return f"{self.directory}/"

    def _alive(self, pid: int | None) -> bool:
        return processes.is_ours(pid, self._marker)

    def _credentials(self) -> Credentials:
        self.directory.mkdir(parents=True, exist_ok=True)
        return load_or_create_credentials(self.layout.credentials_file)

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Install on first use, then start MariaDB and the web server; nothing if running.

        Returns once WordPress answers over HTTP. On failure, whatever it started is stopped.
        """
        with self._locked():
            state = load_state(self.layout.state_file)
            if self._serving(state):
                self._check_requested_port(state.port)
                self._check_requested_server(state.server or "php")
                self._check_requested_install()
                self._activate_companion(state.port)
                return
            self._stop_processes(state)  # one of them may have died: start all afresh
            server = self.requested_server or "php"
            tree = self._check_programs(server)
            port = choose_port(self.requested_port, state.port)
            try:
                self._start(port, server, tree)
            except BaseException:
                self._stop_processes(load_state(self.layout.state_file))
                raise

    def _start(self, port: int, server: str, tree: WordPressTree | None) -> None:
        """Install `tree` (first time) or configure, start MariaDB, then `server` on `port`."""
        credentials = self._credentials()
        if tree is None:
            self._configure(port, credentials)
            self._start_mariadb(port)
        else:
            self._install(port, credentials, tree)
        self._activate_companion(port)
        if server == "apache":
            self._start_apache(port)
        else:
            process = start_server(self.layout, port)
            self._record(port, server_pid=process.pid, server=server)

    def _start_apache(self, port: int) -> None:
        """Start PHP-FPM, then Apache in front of it, recording each pid at once."""
        if not self.layout.htaccess.exists():  # a sandbox installed before .htaccess was kept
            self._write_htaccess(self._runner(port))
            self._keep_htaccess()
        account = apache.prepare(self.layout, port)
        fpm = apache.start_fpm(self.layout, as_root=account is not None)
        self._record(port, fpm_pid=fpm.pid, server="apache")
        web = apache.start_apache(self.layout, port)
        self._record(port, server_pid=web.pid, fpm_pid=fpm.pid, server="apache")

    def _record(self, port: int, **pids_and_server) -> None:
        """Save the state: `port`, the running MariaDB and the given web server facts."""
        mariadb_pid = load_state(self.layout.state_file).mariadb_pid
        save_state(self.layout.state_file, State(port, mariadb_pid, **pids_and_server))

    def _install(self, port: int, credentials: Credentials, tree: WordPressTree) -> None:
        """Build the site from `tree` and snapshot it; leaves MariaDB running."""
        locale = self.requested_locale or wordpress.DEFAULT_LOCALE
        log.info("installing WordPress %s (%s) in %s", tree.version, locale, self.directory)
        for leftover in (self.layout.wordpress, self.layout.mysql):
            shutil.rmtree(leftover, ignore_errors=True)  # of an install that failed midway
        wordpress.copy_wordpress(tree.path, self.layout.wordpress)
        self._configure(port, credentials)
        self._mariadb.install()
        self._start_mariadb(port)
        self._mariadb.create_database(credentials.database_password)
        runner = self._runner(port)
        wordpress.install_site(runner, credentials.admin_password, locale)
        wordpress.seed_site(runner, credentials.client_password, tree.theme,
                            [wordpress.EXTRAS_PLUGIN])
        self._set_permalinks(runner, PRETTY_PERMALINKS)
        self._snapshot(companion_active=False, wordpress=tree.version, locale=locale,
                       theme=tree.theme, source=str(tree.path))

    def _configure(self, port: int, credentials: Credentials) -> None:
        """Write my.cnf and wp-config.php for `port`, refresh the plugins' files.

        Done at every start, so a moved directory or another port just works.
        """
        self._mariadb.write_config(credentials.database_password)
        wordpress.write_wp_config(self.layout, WpConfig(
            url=f"http://{LOOPBACK}:{port}", db_name=DATABASE, db_user=DATABASE_USER,
            db_password=credentials.database_password, db_socket=str(self.layout.socket),
            salts=credentials.salts))
        wordpress.install_extras(self.layout)
        wordpress.link_companion(self.layout)

    def _start_mariadb(self, port: int) -> None:
        """Start MariaDB and record it at once, so a failure later still stops it."""
        process = self._mariadb.start()
        save_state(self.layout.state_file, State(port, process.pid, None))

    def _activate_companion(self, port: int | None) -> None:
        """Activate the companion plugin once its main file exists, and re-snapshot.

        The plugin is developed alongside: a missing or broken one is a warning, not a
        failed start, and it is activated (in the site and in what reset() restores) as soon
        as it is there.
        """
        main_file = wordpress.companion_source() / f"{wordpress.COMPANION}.php"
        if not main_file.is_file():
            self._warn(f"the companion plugin {main_file} does not exist yet, so it is not active")
            return
        if self._installed_facts().get("companion_active") or port is None:
            return
        try:
            self._runner(port).run("run.php", ACTIVATE_COMPANION,
                                   what="activating the companion plugin")
        except SandboxError as error:
            self._warn(f"the companion plugin could not be activated: {error.cause}")
            return
        self._snapshot(companion_active=True)

    def _snapshot(self, **facts: object) -> None:
        """Dump the database and .htaccess as reset() restores them; mark the install complete.

        `facts` (companion_active, and at install: wordpress, locale, theme, source) are
        merged into DIR/installed.json.
        """
        self._mariadb.dump()
        self._keep_htaccess()
        write_json_atomically(self.layout.installed_file, {**self._installed_facts(), **facts})

    def _keep_htaccess(self) -> None:
        """Copy .htaccess beside the database dump: Apache reads it, reset() restores it."""
        if self.layout.htaccess.is_file():
            shutil.copyfile(self.layout.htaccess, self.layout.snapshot_htaccess)

    def _installed_facts(self) -> dict:
        try:
            return json.loads(self.layout.installed_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _check_requested_port(self, running_port: int | None) -> None:
        if self.requested_port is not None and self.requested_port != running_port:
            raise SandboxError(f"the sandbox in {self.directory} is already running on port "
                               f"{running_port}, not {self.requested_port}",
                               "stop it first (`handoff sandbox stop`) to change its port")

    def _check_requested_server(self, running: str) -> None:
        if self.requested_server is not None and self.requested_server != running:
            raise SandboxError(f"the sandbox in {self.directory} is already running on "
                               f"{running}, not {self.requested_server}",
                               "stop it first (`handoff sandbox stop`) to change its server")

    def _check_requested_install(self) -> None:
        """Raise SandboxError if the installed site is not the WordPress or locale asked for."""
        installed = self.wordpress_version or ""
        wanted = self.requested_wordpress
        if wanted is not None:
            asked = (wanted if releases.is_branch(wanted)
                     else releases.read_version(Path(wanted).expanduser()))
            if asked is None or releases.branch_of(asked) != releases.branch_of(installed):
                raise self._installed_differs(f"WordPress {installed}", f"WordPress {wanted}")
        if self.requested_locale is not None and self.requested_locale != self.locale:
            raise self._installed_differs(f"locale {self.locale}",
                                          f"locale {self.requested_locale}")

    def _installed_differs(self, installed: str, requested: str) -> SandboxError:
        return SandboxError(f"the sandbox in {self.directory} is installed with {installed}, "
                            f"not {requested}", "use another --dir, or stop it and delete its "
                            "directory to install it again")

    def _check_programs(self, server: str) -> WordPressTree | None:
        """Raise SandboxError naming the first missing piece, before changing anything.

        Returns the WordPress to install, or None when the site is installed already.
        """
        php_program()
        self._mariadb.check_programs()
        if server == "apache":
            apache.check_programs()
        if self.is_installed():
            self._check_requested_install()
            return None
        tree = releases.resolve(self.requested_wordpress)
        wordpress.check_locale(tree, self.requested_locale or wordpress.DEFAULT_LOCALE)
        return tree

    def stop(self) -> None:
        """Stop the web servers and MariaDB and wait until they have exited; nothing if stopped."""
        if not self.directory.is_dir():
            return
        with self._locked():
            self._stop_processes(load_state(self.layout.state_file))

    def _stop_processes(self, state: State) -> None:
        """Stop whatever of this sandbox runs (web servers first: they use the database)."""
        # The pid files too: a server whose start failed midway may not be in the state.
        for pid in {state.server_pid, read_pid(self.layout.apache_pid_file)} - {None}:
            processes.stop_group(pid, self._marker)
        for pid in {state.fpm_pid, read_pid(self.layout.fpm_pid_file)} - {None}:
            processes.stop_group(pid, self._marker)
        for pid in {state.mariadb_pid, self._mariadb.pid_from_file()} - {None}:
            self._mariadb.stop(pid)
        if self.layout.state_file.exists():
            save_state(self.layout.state_file, state.stopped())

    def reset(self) -> None:
        """Put the site back to its freshly installed state (in well under a second).

        Restores the database snapshot taken after install and seed (and the .htaccess of
        that moment), removes every must-use plugin and upload; the servers keep running (it
        starts them if they are not).
        """
        self.start()
        with self._locked():
            self._mariadb.restore()
            if self.layout.snapshot_htaccess.is_file():
                shutil.copyfile(self.layout.snapshot_htaccess, self.layout.htaccess)
            if self.layout.mu_plugins.is_dir():
                for plugin in self.layout.mu_plugins.iterdir():
                    if plugin.is_file() or plugin.is_symlink():
                        plugin.unlink()
            shutil.rmtree(self.layout.uploads, ignore_errors=True)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold DIR/.lock, so only one start, stop or reset runs at a time (across processes)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.layout.lock_file, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    def _warn(self, message: str) -> None:
        """Keep `message` for the caller (see `warnings`) and log it, once per Sandbox."""
        if message not in self.warnings:
            self.warnings.append(message)
            log.warning("%s", message)

    # ------------------------------------------------------------------ inside WordPress

    def php(self, code: str) -> str:
        """Return what PHP `code` printed, run inside WordPress (after wp-load.php) via php-cli.

        The code runs in the global scope, as at the top of a plugin file, with no user
        logged in; a leading "<?php" is allowed. Raises SandboxError (with PHP's stderr) on a
        fatal error, an uncaught exception, wp_die() or a non-zero exit.
        """
        self._require_running()
        return self._runner(self.port).run("run.php", code, what="PHP in the sandbox")

    def connection_key(self) -> str:
        """Return a fresh connection key from the companion plugin (rotates the bridge password).

        Runs what the plugin's Connect screen runs, as the administrator.
        """
        main_file = wordpress.companion_source() / f"{wordpress.COMPANION}.php"
        if not main_file.is_file():
            raise SandboxError(f"the companion plugin is missing ({main_file} does not exist)",
                               "write it, or point HANDOFF_PLUGIN_SOURCE at its folder, then run "
                               "`handoff sandbox start`")
        key = self.php(
            "if ( ! class_exists( 'Handoff\\\\Companion\\\\Bridge_Connection' ) ) {\n"
            "\tfwrite( STDERR, 'the companion plugin is not active: run handoff sandbox start' );\n"
            "\texit( 3 );\n}\n"
            f"wp_set_current_user( get_user_by( 'login', {php_string(self.admin_login)} )->ID );\n"
            "echo ( new \\Handoff\\Companion\\Bridge_Connection() )->connect()['key'];\n").strip()
        if not key.startswith("handoff1."):
            raise SandboxError(f"the companion plugin returned no connection key "
                               f"(got {key[:80]!r})",
                               "check Bridge_Connection::connect() in wp-plugin/handoff-companion")
        return key

    def add_mu_plugin(self, name: str, php_source: str) -> Path:
        """Drop a must-use plugin wp-content/mu-plugins/NAME.php; return its path.

        It takes effect on the next request. reset() removes it.
        """
        path = self._mu_plugin_path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = php_source if php_source.lstrip().startswith("<?php") else "<?php\n" + php_source
        # Written aside and renamed: a request in flight never includes half a file.
        partial = path.with_name(f".{path.name}.partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
        return path

    def remove_mu_plugin(self, name: str) -> None:
        """Remove the must-use plugin NAME (nothing if there is none)."""
        self._mu_plugin_path(name).unlink(missing_ok=True)

    def _mu_plugin_path(self, name: str) -> Path:
        stem = name.removesuffix(".php")
        if not MU_PLUGIN_NAME.match(stem):
            raise SandboxError(f"{name!r} is not a usable must-use plugin name",
                               "use letters, digits, '-', '_' and '.', e.g. 'strip-auth'")
        return self.layout.mu_plugins / f"{stem}.php"

    def set_permalinks(self, structure: str) -> None:
        """Set the permalink structure and rebuild the rewrite rules.

        '' means plain permalinks: REST is then only reachable at /?rest_route=/.
        """
        self._require_running()
        self._set_permalinks(self._runner(self.port), structure)

    def _set_permalinks(self, runner: PhpRunner, structure: str) -> None:
        runner.run("run.php", "global $wp_rewrite;\n"
                   f"$wp_rewrite->set_permalink_structure( {php_string(structure)} );",
                   what="setting the permalink structure")
        # A second run: post types and taxonomies only add their rewrite rules when they are
        # registered while a structure is set (Settings → Permalinks saves, then reloads).
        runner.run("run.php", "flush_rewrite_rules( false );", what="flushing rewrite rules")
        self._write_htaccess(runner)

    def _write_htaccess(self, runner: PhpRunner) -> None:
        runner.run("run.php", WRITE_HTACCESS, what="writing WordPress's .htaccess")

    def _runner(self, port: int) -> PhpRunner:
        return PhpRunner(self.layout.wordpress, f"{LOOPBACK}:{port}")

    def _require_running(self) -> None:
        state = load_state(self.layout.state_file)
        if not self._alive(state.mariadb_pid):
            raise SandboxError(f"the sandbox in {self.directory} is not running",
                               "call start() (or run `handoff sandbox start`) first")


def read_pid(path: Path) -> int | None:
    """Return the pid a server wrote to `path`, or None."""
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None
