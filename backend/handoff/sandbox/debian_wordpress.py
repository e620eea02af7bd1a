"""Fetching the WordPress release the machine's Debian does not install (setup time only).

Debian 12 installs WordPress 6.1; Debian 13 (trixie) ships 6.8. `handoff sandbox fetch`
(run by `make setup`) asks apt, by package name, for the other release's `wordpress`,
its theme and `wordpress-l10n`, from the mirror the machine already uses, through a private
apt state under var/apt/SUITE/ (private_apt.py), and unpacks them with `dpkg-deb -x` into
var/wordpress/BRANCH/ as dpkg would lay them out.

Debian's wordpress links parts of its tree to other packages (getID3, underscore, lodash,
cropper). Every relative link left dangling is resolved from the packages the unpacked ones
depend on: those that ship the missing file are unpacked too. No other command downloads.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from handoff.sandbox import releases
from handoff.sandbox.errors import SandboxError
from handoff.sandbox.private_apt import (
    APT_SOURCES,
    OS_RELEASE,
    PrivateApt,
    deb_package,
    debian_mirror,
    machine_sources,
    run,
    system_codename,
)
from handoff.sandbox.releases import (
    COMPLETE_MARKER,
    RELEASES,
    TREE_IN_ROOT,
    Release,
    branch_of,
    cached_root,
    is_complete,
    read_version,
)
from handoff.sandbox.state import write_json_atomically

MAX_ROUNDS = 5  # of "download what the dangling links need"; Debian's trees need one


def depends_names(depends: str) -> set[str]:
    """Return every package name in a Depends field, alternatives included, versions dropped."""
    names = set()
    for group in depends.split(","):
        for alternative in group.split("|"):
            name = re.split(r"[\s(:\[]", alternative.strip(), maxsplit=1)[0]
            if name:
                names.add(name)
    return names


def deb_field(deb: Path, name: str) -> str:
    """Return control field `name` of a .deb ('' if absent)."""
    return run(["dpkg-deb", "-f", str(deb), name], what=f"reading {deb.name}").stdout.strip()


def deb_paths(deb: Path) -> set[str]:
    """Return the paths a .deb installs, relative ("usr/share/...")."""
    tar = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True)
    if tar.returncode != 0:
        raise SandboxError(f"{deb} is not a readable package", "delete it and run setup again")
    with tarfile.open(fileobj=io.BytesIO(tar.stdout)) as archive:
        return {os.path.normpath(name) for name in archive.getnames()}


def unpack(deb: Path, root: Path) -> None:
    """Unpack a .deb's files under `root` as dpkg would install them (no scripts run)."""
    run(["dpkg-deb", "-x", str(deb), str(root)], what=f"unpacking {deb.name}")


# -------------------------------------------------------------------- dangling links

def missing_target(link: Path, root: Path) -> str | None:
    """Return the path (relative to `root`) that relative symlink `link` lacks, else None.

    Follows a chain of relative links inside `root`; absolute links point at the machine
    (/etc/ssl/certs, /etc/wordpress), not at the tree, and count as resolved.
    """
    current = link
    for _hop in range(40):
        target = os.readlink(current)
        if os.path.isabs(target):
            return None
        resolved = Path(os.path.normpath(current.parent / target))
        if root != resolved and root not in resolved.parents:
            return None  # leaves the unpacked tree: the machine's
        if resolved.is_symlink():
            current = resolved
            continue
        return None if resolved.exists() else str(resolved.relative_to(root))
    return str(current.relative_to(root))  # a loop is as broken as a missing file


def dangling_links(root: Path, tree: Path = TREE_IN_ROOT) -> dict[str, str]:
    """Return {link: missing path} for each relative symlink under ROOT/TREE that is broken."""
    found = {}
    for folder, directories, files in os.walk(root / tree):
        for name in directories + files:
            path = Path(folder) / name
            if path.is_symlink():
                missing = missing_target(path, root)
                if missing:
                    found[str(path.relative_to(root))] = missing
    return found


# -------------------------------------------------------------------- the fetch

@dataclass
class Fetched:
    """What a fetch unpacked: the WordPress version and the packages, name → version."""

    release: Release
    version: str = ""
    packages: dict[str, str] = field(default_factory=dict)
    downloaded: bool = True  # False: it was complete already


def fetch_release(known: Release, apt: PrivateApt, target: Path) -> Fetched:
    """Download and unpack `known`'s packages into `target`; nothing if already complete."""
    if is_complete(target):
        return Fetched(known, read_version(target / TREE_IN_ROOT) or "", downloaded=False)
    staging = target.with_name(f".{target.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    apt.write_config()
    apt.update()
    fetched = Fetched(known)
    for deb in apt.download(known.packages):
        unpack(deb, staging)
        fetched.packages[deb_package(deb)] = deb_field(deb, "Version")
    resolve_dangling(apt, staging, fetched)
    fetched.version = read_version(staging / TREE_IN_ROOT) or ""
    if branch_of(fetched.version) != known.branch:
        raise SandboxError(f"Debian {known.suite} ships WordPress {fetched.version}, not "
                           f"{known.branch}", "update the release table in "
                           "backend/handoff/sandbox/releases.py")
    write_json_atomically(staging / COMPLETE_MARKER, {
        "suite": known.suite, "mirror": apt.mirror, "wordpress": fetched.version,
        "packages": fetched.packages})
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return fetched


def resolve_dangling(apt: PrivateApt, root: Path, fetched: Fetched) -> None:
    """Unpack, from the dependencies of what is unpacked, the packages the broken links need."""
    considered = set(fetched.packages)
    for _round in range(MAX_ROUNDS):
        dangling = dangling_links(root)
        if not dangling:
            return
        candidates = dependency_candidates(apt, fetched.packages, considered)
        considered |= candidates
        if not candidates:
            break
        wanted = set(dangling.values())
        for deb in apt.download(candidates):
            if deb_paths(deb) & wanted:
                unpack(deb, root)
                fetched.packages[deb_package(deb)] = deb_field(deb, "Version")
    dangling = dangling_links(root)
    if dangling:
        sample = ", ".join(f"{link} -> {target}" for link, target in list(dangling.items())[:3])
        raise SandboxError(f"{len(dangling)} links of the WordPress tree point at files no "
                           f"dependency ships ({sample})",
                           "name the package that owns them in "
                           "backend/handoff/sandbox/debian_wordpress.py")


def dependency_candidates(apt: PrivateApt, packages: dict[str, str],
                          considered: set[str]) -> set[str]:
    """Return the not yet considered, architecture-independent dependencies of `packages`.

    Only Architecture: all packages: the tree is architecture-independent data, and so is
    what its links point at (JavaScript libraries, PHP libraries).
    """
    names = set()
    for name in packages:
        deb = next(apt.archives.glob(f"{name}_*.deb"))
        names |= depends_names(deb_field(deb, "Depends")) | depends_names(
            deb_field(deb, "Pre-Depends"))
    stanzas = apt.show(names - considered)
    return {name for name, stanza in stanzas.items() if stanza.get("architecture") == "all"}


def releases_to_fetch(system: Path | None = None) -> list[Release]:
    """Return the releases the machine's own WordPress package does not provide."""
    installed = read_version(system or releases.SYSTEM_TREE)
    return [known for known in RELEASES
            if installed is None or branch_of(installed) != known.branch]


def fetch_missing(cache: Path, apt_root: Path, system: Path | None = None,
                  apt_sources: Path = APT_SOURCES,
                  os_release: Path = OS_RELEASE) -> list[Fetched]:
    """Fetch every release the system does not install and the cache lacks; return them all.

    Idempotent: a release already unpacked completely is not downloaded again.
    """
    cache, apt_root = cache.resolve(), apt_root.resolve()  # apt reads its paths as absolute
    wanted = releases_to_fetch(system)
    pending = [known for known in wanted if not is_complete(cached_root(known.branch, cache))]
    mirror = (debian_mirror(machine_sources(apt_sources), system_codename(os_release))
              if pending else "")
    results = []
    for known in wanted:
        apt = PrivateApt(apt_root / known.suite, mirror, known.suite)
        results.append(fetch_release(known, apt, cached_root(known.branch, cache)))
    return results
