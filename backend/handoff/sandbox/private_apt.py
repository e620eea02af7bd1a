"""A private apt for one Debian suite, on the mirror the machine already uses (setup only).

Its own sources list (that suite's `main` only, signed by Debian's archive keyring), lists,
archives, cache and preferences under one folder, passed to apt-get and apt-cache with
`-c`: the machine's apt sources, state and hooks are never touched.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from handoff.sandbox.errors import SandboxError

KEYRING = Path("/usr/share/keyrings/debian-archive-keyring.gpg")
APT_SOURCES = Path("/etc/apt")
OS_RELEASE = Path("/etc/os-release")
COMPONENT = "main"
ARCHITECTURE = "amd64"
FIX_APT = "check the network to Debian's package registry and run `make setup` again"


def system_codename(os_release: Path = OS_RELEASE) -> str | None:
    """Return the machine's Debian codename ("bookworm"), or None if it does not say."""
    try:
        text = os_release.read_text(encoding="utf-8")
    except OSError:
        return None
    found = re.search(r"^VERSION_CODENAME=\"?([a-z]+)\"?$", text, re.MULTILINE)
    return found.group(1) if found else None


@dataclass(frozen=True)
class SourceEntry:
    """One `deb` line (or deb822 stanza) of the machine's apt sources."""

    uris: tuple[str, ...]
    suites: tuple[str, ...]
    components: tuple[str, ...]


def parse_one_line_sources(text: str) -> list[SourceEntry]:
    """Return the `deb` entries of a sources.list in the one-line format."""
    entries = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        line = re.sub(r"\[[^\]]*\]", " ", line)  # options such as [signed-by=...]
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "deb":
            entries.append(SourceEntry((parts[1],), (parts[2],), tuple(parts[3:])))
    return entries


def parse_deb822_sources(text: str) -> list[SourceEntry]:
    """Return the entries of Types: deb in a .sources file (deb822 format)."""
    entries = []
    for stanza in re.split(r"\n\s*\n", text):
        fields: dict[str, str] = {}
        for line in stanza.splitlines():
            if line.startswith("#") or ":" not in line or line[:1].isspace():
                continue
            name, value = line.split(":", 1)
            fields[name.strip().lower()] = value.strip()
        if "deb" in fields.get("types", "").split() and fields.get("enabled", "yes") != "no":
            entries.append(SourceEntry(tuple(fields.get("uris", "").split()),
                                       tuple(fields.get("suites", "").split()),
                                       tuple(fields.get("components", "").split())))
    return entries


def machine_sources(apt_dir: Path = APT_SOURCES) -> list[SourceEntry]:
    """Return every `deb` source the machine's apt reads."""
    entries = []
    files = [apt_dir / "sources.list", *sorted((apt_dir / "sources.list.d").glob("*"))]
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if path.suffix == ".sources":
            entries += parse_deb822_sources(text)
        elif path.name == "sources.list" or path.suffix == ".list":
            entries += parse_one_line_sources(text)
    return entries


def debian_mirror(entries: Iterable[SourceEntry], codename: str | None) -> str:
    """Return the URI of the Debian archive the machine uses (the one serving its release)."""
    for entry in entries:
        if codename in entry.suites and COMPONENT in entry.components and entry.uris:
            return entry.uris[0].rstrip("/")
    raise SandboxError(f"no Debian mirror for '{codename}' main found in {APT_SOURCES}'s sources",
                       "WordPress is fetched from the Debian mirror the machine already uses: "
                       "run setup on Debian 12 or 13")


@dataclass
class PrivateApt:
    """apt-get and apt-cache with a state of their own under `root`, for one Debian suite."""

    root: Path
    mirror: str
    suite: str
    keyring: Path = KEYRING

    @property
    def config_file(self) -> Path:
        return self.root / "apt.conf"

    @property
    def archives(self) -> Path:
        return self.root / "archives"

    def write_config(self) -> None:
        """Write the sources list (this suite only, signed by Debian's keyring) and apt.conf."""
        if not self.keyring.is_file():
            raise SandboxError(f"Debian's archive keyring {self.keyring} is missing",
                               "install the debian-archive-keyring package")
        for folder in ("lists/partial", "cache", "archives/partial", "state",
                       "sources.list.d", "preferences.d"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        (self.root / "sources.list").write_text(render_sources_list(
            self.mirror, self.suite, self.keyring), encoding="utf-8")
        self.config_file.write_text(render_apt_conf(self.root, os.geteuid() == 0),
                                    encoding="utf-8")

    def _command(self, program: str, *args: str) -> list[str]:
        # -c is read after the machine's apt.conf.d, so the Dir settings here win; the
        # machine's network settings (proxy, Check-Valid-Until) still apply.
        return [program, "-c", str(self.config_file), "-q", *args]

    def update(self) -> None:
        """Download this suite's package lists (InRelease signature checked)."""
        run(self._command("apt-get", "update"), what=f"apt-get update for {self.suite}")

    def show(self, names: Iterable[str]) -> dict[str, dict[str, str]]:
        """Return the candidate stanza of each real package among `names`, by name."""
        names = sorted(set(names))
        if not names:
            return {}
        # Virtual or unknown names are reported on stderr; the others are still shown.
        result = subprocess.run(self._command("apt-cache", "show", "--no-all-versions", *names),
                                capture_output=True, text=True)
        return {stanza["package"]: stanza for stanza in parse_stanzas(result.stdout)
                if "package" in stanza}

    def download(self, names: Iterable[str]) -> list[Path]:
        """Download the candidate .deb of each of `names` into archives/; return their paths."""
        names = sorted(set(names))
        for name in names:  # an older download of the same package would be ambiguous
            for stale in self.archives.glob(f"{name}_*.deb"):
                stale.unlink()
        run(self._command("apt-get", "download", *names), cwd=self.archives,
            what=f"apt-get download {' '.join(names)}")
        debs = {deb_package(path): path for path in self.archives.glob("*.deb")}
        missing = [name for name in names if name not in debs]
        if missing:
            raise SandboxError(f"apt-get download gave no .deb for {', '.join(missing)}", FIX_APT)
        return [debs[name] for name in names]


def render_sources_list(mirror: str, suite: str, keyring: Path) -> str:
    """Return a one-line sources list naming only `suite` main, signed by `keyring`."""
    return f"deb [arch={ARCHITECTURE} signed-by={keyring}] {mirror} {suite} {COMPONENT}\n"


def render_apt_conf(root: Path, as_root: bool) -> str:
    """Return the private apt configuration: every list, cache and state file under `root`."""
    lines = [
        f'Dir::Etc::SourceList "{root}/sources.list";',
        f'Dir::Etc::SourceParts "{root}/sources.list.d";',
        f'Dir::Etc::Preferences "{root}/preferences";',
        f'Dir::Etc::PreferencesParts "{root}/preferences.d";',
        f'Dir::State "{root}/state";',
        f'Dir::State::Lists "{root}/lists";',
        'Dir::State::status "/dev/null";',  # nothing is installed from here
        f'Dir::Cache "{root}/cache";',
        f'Dir::Cache::Archives "{root}/archives";',
        f'APT::Architecture "{ARCHITECTURE}";',
        f'APT::Architectures {{ "{ARCHITECTURE}"; }};',
        # The machine's hooks refresh its own caches (PackageKit, AppStream): not ours to run.
        "#clear APT::Update::Post-Invoke-Success;",
        "#clear APT::Update::Post-Invoke;",
        "#clear DPkg::Post-Invoke;",
    ]
    if as_root:
        # apt drops to _apt for downloads, which may not write into the working tree.
        lines.append('APT::Sandbox::User "root";')
    return "\n".join(lines) + "\n"


def parse_stanzas(text: str) -> list[dict[str, str]]:
    """Return the fields of each stanza of Debian control text, names lower-cased."""
    stanzas = []
    for block in re.split(r"\n\s*\n", text.strip()):
        fields: dict[str, str] = {}
        name = None
        for line in block.splitlines():
            if line[:1].isspace() and name:
                fields[name] += "\n" + line.strip()
            elif ":" in line:
                name, value = line.split(":", 1)
                name = name.strip().lower()
                fields[name] = value.strip()
        if fields:
            stanzas.append(fields)
    return stanzas


def deb_package(path: Path) -> str:
    """Return the package name of a .deb from its file name (NAME_VERSION_ARCH.deb)."""
    return path.name.split("_", 1)[0]


def run(argv: list[str], *, what: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run a command; raise SandboxError with its last lines if it fails."""
    try:
        result = subprocess.run(argv, capture_output=True, text=True, cwd=cwd)
    except FileNotFoundError as error:
        raise SandboxError(f"{argv[0]} not found", "run setup on Debian (apt, dpkg)") from error
    if result.returncode != 0:
        lines = [line for line in (result.stderr or result.stdout).splitlines() if line.strip()]
        raise SandboxError(f"{what} failed (exit {result.returncode}): "
                           f"{' | '.join(lines[-4:]) or 'no output'}", FIX_APT)
    return result
