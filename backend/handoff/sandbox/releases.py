"""Which WordPress trees the sandbox can copy: Debian's installed one and fetched ones.

Debian 12 installs WordPress 6.1 in /usr/share/wordpress; `handoff sandbox fetch` (run by
`make setup`) unpacks the other release's packages under var/wordpress/BRANCH/ (see
debian_wordpress.py). Nothing here downloads anything.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from handoff.sandbox.errors import SandboxError
from handoff.sandbox.paths import repo_root

SYSTEM_TREE = Path("/usr/share/wordpress")
# Inside a cache: the packages are unpacked as dpkg would install them, so Debian's relative
# symlinks (wp-includes/ID3 -> ../../../php/getid3) resolve inside the cache.
TREE_IN_ROOT = Path("usr/share/wordpress")
COMPLETE_MARKER = "fetched.json"
FIX_FETCH = "run `make setup` (it fetches Debian's WordPress packages once)"
VERSION_LINE = re.compile(r"^\$wp_version\s*=\s*'([^']+)';", re.MULTILINE)


@dataclass(frozen=True)
class Release:
    """A WordPress branch as one Debian release ships it."""

    branch: str  # "6.8"
    suite: str  # Debian's codename: "trixie"
    theme: str  # the default theme Debian packages for it

    @property
    def packages(self) -> tuple[str, ...]:
        """Return the Debian packages that make a sandbox of this release (by name)."""
        return ("wordpress", f"wordpress-theme-{self.theme}", "wordpress-l10n")


# WordPress's default themes, oldest first (their names do not sort by age).
DEFAULT_THEMES = ("twentyten", "twentyeleven", "twentytwelve", "twentythirteen",
                  "twentyfourteen", "twentyfifteen", "twentysixteen", "twentyseventeen",
                  "twentynineteen", "twentytwenty", "twentytwentyone", "twentytwentytwo",
                  "twentytwentythree", "twentytwentyfour", "twentytwentyfive")
RELEASES = (Release("6.1", "bookworm", "twentytwentythree"),
            Release("6.8", "trixie", "twentytwentyfive"))


@dataclass(frozen=True)
class WordPressTree:
    """A WordPress the sandbox can copy: where it is, its version, the theme to activate."""

    path: Path
    version: str  # "6.8.12"
    theme: str

    @property
    def branch(self) -> str:
        return branch_of(self.version)


def branch_of(version: str) -> str:
    """Return the branch ("6.8") of a WordPress version ("6.8.12", "6.8")."""
    return ".".join(version.split(".")[:2])


def is_branch(spec: str) -> bool:
    """Return whether `spec` names a branch ("6.8") rather than a folder."""
    return re.fullmatch(r"\d+\.\d+", spec) is not None


def release(branch: str) -> Release | None:
    """Return the Debian release that ships WordPress `branch`, if the sandbox knows one."""
    return next((known for known in RELEASES if known.branch == branch), None)


def read_version(tree: Path) -> str | None:
    """Return the version in TREE/wp-includes/version.php, or None if there is no WordPress."""
    try:
        text = (tree / "wp-includes" / "version.php").read_text(encoding="utf-8")
    except OSError:
        return None
    found = VERSION_LINE.search(text)
    return found.group(1) if found else None


def cache_root() -> Path:
    """Return where fetched releases live: $HANDOFF_WORDPRESS_CACHE, else var/wordpress."""
    override = os.environ.get("HANDOFF_WORDPRESS_CACHE")
    if override:
        return Path(override).expanduser().resolve()
    return repo_root() / "var" / "wordpress"


def cached_root(branch: str, cache: Path | None = None) -> Path:
    """Return the directory the packages of `branch` are unpacked into (may not exist)."""
    return (cache or cache_root()) / branch


def is_complete(root: Path) -> bool:
    """Return whether a fetch into `root` finished (it writes its marker last)."""
    return ((root / COMPLETE_MARKER).is_file()
            and (root / TREE_IN_ROOT / "wp-settings.php").is_file())


def tree_at(path: Path) -> WordPressTree | None:
    """Return the WordPress at `path` with its default theme, or None if it is not one."""
    version = read_version(path)
    if version is None or not (path / "wp-settings.php").is_file():
        return None
    return WordPressTree(path, version, default_theme(path, version))


def default_theme(path: Path, version: str) -> str:
    """Return the theme to activate: Debian's for the branch, else the newest default one."""
    themes = path / "wp-content" / "themes"
    known = release(branch_of(version))
    if known and (themes / known.theme).is_dir():
        return known.theme
    present = [theme for theme in DEFAULT_THEMES if (themes / theme).is_dir()]
    return present[-1] if present else (known.theme if known else "")


def available(system: Path | None = None,
              cache: Path | None = None) -> dict[str, WordPressTree]:
    """Return the usable trees by branch: the system's, then fetched ones for other branches."""
    trees: dict[str, WordPressTree] = {}
    installed = tree_at(system or SYSTEM_TREE)
    if installed:
        trees[installed.branch] = installed
    for known in RELEASES:
        root = cached_root(known.branch, cache)
        if known.branch not in trees and is_complete(root):
            tree = tree_at(root / TREE_IN_ROOT)
            if tree and tree.branch == known.branch:
                trees[known.branch] = tree
    return trees


def version_key(branch: str) -> tuple[int, ...]:
    """Return a sort key for a branch or version: "6.10" sorts after "6.8"."""
    return tuple(int(part) for part in re.findall(r"\d+", branch))


def newest(trees: dict[str, WordPressTree]) -> WordPressTree:
    """Return the newest of `trees`; SandboxError if there is none."""
    if not trees:
        raise SandboxError(f"no WordPress found (neither {SYSTEM_TREE} nor a fetched one)",
                           "run `make setup` (installs Debian's wordpress and fetches the "
                           "other release)")
    return trees[max(trees, key=version_key)]


def resolve(spec: str | None, system: Path | None = None,
            cache: Path | None = None) -> WordPressTree:
    """Return the tree `spec` names: None (newest available), a branch ("6.8"), or a folder."""
    trees = available(system, cache)
    if spec is None:
        return newest(trees)
    if is_branch(spec):
        if spec in trees:
            return trees[spec]
        if release(spec):
            raise SandboxError(f"WordPress {spec} is not available here "
                               f"(have: {', '.join(sorted(trees, key=version_key)) or 'none'})",
                               FIX_FETCH)
        raise SandboxError(f"the sandbox knows no Debian release of WordPress {spec}",
                           f"use one of {', '.join(r.branch for r in RELEASES)}, or a folder "
                           "holding a WordPress")
    return tree_from_folder(Path(spec).expanduser().resolve())


def tree_from_folder(path: Path) -> WordPressTree:
    """Return the WordPress in folder `path`; SandboxError unless it is one with a theme."""
    tree = tree_at(path)
    if tree is None:
        raise SandboxError(f"{path} holds no WordPress (no wp-settings.php and "
                           "wp-includes/version.php)",
                           "pass 6.1, 6.8 or the folder of an unpacked WordPress")
    if not (path / "wp-content" / "themes" / tree.theme).is_dir():
        raise SandboxError(f"{path} has no default theme (wp-content/themes/twenty*)",
                           "add a Twenty Twenty-Something theme to it")
    return tree
