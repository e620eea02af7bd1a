"""The sandbox's private WordPress: a copy of a Debian tree, its config, plugins, install, seed."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from handoff.sandbox.errors import SandboxError
from handoff.sandbox.layout import Layout
from handoff.sandbox.paths import repo_root
from handoff.sandbox.phprunner import PHP_DIR, PhpRunner
from handoff.sandbox.releases import WordPressTree
from handoff.sandbox.wpconfig import WpConfig, render_wp_config

DEFAULT_LOCALE = "en_US"
COMPANION = "handoff-companion"
COMPANION_PLUGIN = f"{COMPANION}/{COMPANION}.php"
EXTRAS = "handoff-sandbox-extras"
EXTRAS_PLUGIN = f"{EXTRAS}/{EXTRAS}.php"

SITE_TITLE = "Sandbox Client Co."
ADMIN = {"login": "admin", "email": "admin@example.test", "role": "administrator"}
CLIENT = {"login": "client", "email": "client@example.test", "role": "editor",
          "display_name": "Client"}


def companion_source() -> Path:
    """Return the companion plugin's folder: HANDOFF_PLUGIN_SOURCE, else the working tree's."""
    override = os.environ.get("HANDOFF_PLUGIN_SOURCE")
    if override:
        return Path(override).expanduser().resolve()
    return repo_root() / "wp-plugin" / COMPANION


def check_locale(tree: WordPressTree, locale: str) -> None:
    """Raise SandboxError unless `tree` ships WordPress's own translation for `locale`."""
    if locale == DEFAULT_LOCALE:
        return
    languages = tree.path / "wp-content" / "languages"
    if not (languages / f"{locale}.mo").is_file():
        shipped = sorted(path.stem for path in languages.glob("*.mo") if "-" not in path.stem)
        raise SandboxError(f"WordPress {tree.version} has no '{locale}' translation in "
                           f"{languages}", f"use one of: {DEFAULT_LOCALE}, "
                           f"{', '.join(shipped) or '(none: install wordpress-l10n)'}")


def copy_wordpress(source: Path, target: Path) -> None:
    """Copy WordPress from `source` to `target`, following Debian's symlinks.

    A symlinked tree would make ABSPATH point into /usr/share/wordpress; Debian's own
    wp-config.php (a loader for /etc/wordpress) and .htaccess are left out.
    """
    def ignore(directory: str, names: list[str]) -> set[str]:
        if Path(directory) == source:
            return {"wp-config.php", ".htaccess"} & set(names)
        return set()

    shutil.rmtree(target, ignore_errors=True)
    try:
        shutil.copytree(source, target, symlinks=False, ignore=ignore)
    except (OSError, shutil.Error) as error:
        raise SandboxError(f"copying {source} to {target} failed ({error})",
                           "check the disk space and that the WordPress packages are intact "
                           "(`apt-get install --reinstall wordpress`, or delete var/wordpress "
                           "and run `make setup`)") from error


def write_wp_config(layout: Layout, config: WpConfig) -> None:
    """Write DIR/wordpress/wp-config.php (private: it holds the database password and salts)."""
    path = layout.wordpress / "wp-config.php"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(render_wp_config(config))


def install_extras(layout: Layout) -> None:
    """Copy the sandbox-only plugin into wp-content/plugins/handoff-sandbox-extras/."""
    target = layout.plugins / EXTRAS
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PHP_DIR / f"{EXTRAS}.php", target / f"{EXTRAS}.php")


def link_companion(layout: Layout) -> bool:
    """Point wp-content/plugins/handoff-companion at the working tree's plugin.

    Returns whether its main file exists (it may not be written yet).
    """
    source = companion_source()
    link = layout.plugins / COMPANION
    if link.is_symlink() or link.is_file():
        link.unlink()
    elif link.is_dir():
        shutil.rmtree(link)
    link.symlink_to(source, target_is_directory=True)
    return (source / f"{COMPANION}.php").is_file()


def install_site(runner: PhpRunner, admin_password: str, locale: str = DEFAULT_LOCALE) -> None:
    """Run WordPress's installer in `locale`: tables, options, the admin user, sample content."""
    settings = {"title": SITE_TITLE, "admin_login": ADMIN["login"],
                "admin_email": ADMIN["email"], "admin_password": admin_password,
                "language": "" if locale == DEFAULT_LOCALE else locale}
    runner.run("install.php", json.dumps(settings), what="installing WordPress")


def seed_site(runner: PhpRunner, client_password: str, theme: str, plugins: list[str]) -> None:
    """Create the client's account, activate `theme` and `plugins` (the same on every version)."""
    settings = {"admin_login": ADMIN["login"], "theme": theme, "plugins": plugins,
                "users": [{**CLIENT, "password": client_password}]}
    runner.run("seed.php", json.dumps(settings), what="seeding WordPress")
