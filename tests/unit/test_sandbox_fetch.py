"""Fetching the other WordPress release: the machine's mirror, a private apt, dangling links.

apt itself is not run here (no network); the packages are real .deb files built with
dpkg-deb, and a stand-in for the private apt hands them out by name.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from handoff.sandbox.debian_wordpress import (
    dangling_links,
    depends_names,
    fetch_missing,
    fetch_release,
    releases_to_fetch,
)
from handoff.sandbox.errors import SandboxError
from handoff.sandbox.private_apt import (
    PrivateApt,
    debian_mirror,
    machine_sources,
    parse_deb822_sources,
    parse_one_line_sources,
    parse_stanzas,
    render_apt_conf,
    render_sources_list,
)
from handoff.sandbox.releases import COMPLETE_MARKER, RELEASES, TREE_IN_ROOT, Release, resolve
from tests.unit.test_sandbox_releases import make_fetched, make_tree

needs_dpkg = pytest.mark.skipif(not shutil.which("dpkg-deb"), reason="dpkg-deb is missing")

DEB822 = """Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
"""
ONE_LINE = """# the security archive first, to be skipped
deb http://security.debian.org/debian-security bookworm-security main
deb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian/ bookworm main contrib
deb-src http://mirror.example/debian bookworm main
"""
TRIXIE = Release("6.8", "trixie", "twentytwentyfive")


def test_mirror_is_the_machines_archive_for_its_own_release():
    entries = parse_deb822_sources(DEB822)
    assert debian_mirror(entries, "bookworm") == "http://deb.debian.org/debian"
    assert debian_mirror(parse_one_line_sources(ONE_LINE), "bookworm") == \
        "http://mirror.example/debian"


def test_mirror_is_found_in_sources_list_d(tmp_path):
    (tmp_path / "sources.list.d").mkdir()
    (tmp_path / "sources.list.d" / "debian.sources").write_text(DEB822)
    (tmp_path / "sources.list.d" / "node.list").write_text(
        "deb https://node.example/ nodistro main\n")
    assert debian_mirror(machine_sources(tmp_path), "bookworm") == "http://deb.debian.org/debian"


def test_no_debian_mirror_is_a_clear_error():
    with pytest.raises(SandboxError, match="no Debian mirror for 'bookworm'"):
        debian_mirror(parse_one_line_sources("deb https://node.example/ nodistro main\n"),
                      "bookworm")


def test_private_sources_name_only_the_suite_and_check_signatures():
    text = render_sources_list("http://deb.debian.org/debian", "trixie",
                               Path("/usr/share/keyrings/debian-archive-keyring.gpg"))
    assert text == ("deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
                    "http://deb.debian.org/debian trixie main\n")
    assert "trusted=yes" not in text


def test_private_apt_keeps_every_list_cache_and_state_under_its_root(tmp_path):
    text = render_apt_conf(tmp_path, as_root=False)
    for name in ("Dir::Etc::SourceList", "Dir::Etc::SourceParts", "Dir::State",
                 "Dir::State::Lists", "Dir::Cache", "Dir::Cache::Archives",
                 "Dir::Etc::Preferences", "Dir::Etc::PreferencesParts"):
        line = next(line for line in text.splitlines() if line.startswith(name + " "))
        assert f'"{tmp_path}/' in line, line
    assert 'Dir::State::status "/dev/null";' in text
    assert "#clear APT::Update::Post-Invoke-Success;" in text
    assert "AllowUnauthenticated" not in text and "Sandbox::User" not in text
    assert 'APT::Sandbox::User "root";' in render_apt_conf(tmp_path, as_root=True)


def test_depends_names_keep_alternatives_and_drop_versions():
    depends = ("apache2 | httpd, libjs-cropper (>= 1.2.2), php-mysql | php-mysqlnd, "
               "libc6:any, php-getid3 (>= 1.9.23+dfsg)")
    assert depends_names(depends) == {"apache2", "httpd", "libjs-cropper", "php-mysql",
                                      "php-mysqlnd", "libc6", "php-getid3"}
    assert depends_names("") == set()


def test_control_stanzas_are_parsed():
    stanzas = parse_stanzas("Package: a\nArchitecture: all\nDescription: x\n more\n\n"
                            "Package: b\nArchitecture: amd64\n")
    assert [(s["package"], s["architecture"]) for s in stanzas] == [("a", "all"), ("b", "amd64")]
    assert stanzas[0]["description"] == "x\nmore"


def test_relative_links_that_point_nowhere_are_dangling(tmp_path):
    tree = tmp_path / TREE_IN_ROOT
    (tree / "wp-includes" / "js").mkdir(parents=True)
    (tmp_path / "usr/share/javascript/present").mkdir(parents=True)
    (tmp_path / "usr/share/javascript/present/ok.js").write_text("")
    links = {"wp-includes/js/ok.js": "../../../javascript/present/ok.js",
             "wp-includes/js/gone.js": "../../../javascript/missing/gone.js",
             "wp-includes/js/machine.crt": "/etc/ssl/certs/ca-certificates.crt",
             "wp-includes/js/outside.js": "../../../../../../../elsewhere.js"}
    for link, target in links.items():
        (tree / link).symlink_to(target)
    # A chain: the first hop exists as a link whose own target is missing.
    (tmp_path / "usr/share/javascript/present/chain.js").symlink_to("chain.min.js")
    (tree / "wp-includes/js/chain.js").symlink_to("../../../javascript/present/chain.js")

    assert dangling_links(tmp_path) == {
        "usr/share/wordpress/wp-includes/js/gone.js": "usr/share/javascript/missing/gone.js",
        "usr/share/wordpress/wp-includes/js/chain.js": "usr/share/javascript/present/chain.min.js",
    }


def test_releases_to_fetch_are_those_the_system_lacks(tmp_path):
    assert [r.branch for r in releases_to_fetch(make_tree(tmp_path / "12", "6.1.9"))] == ["6.8"]
    assert [r.branch for r in releases_to_fetch(make_tree(tmp_path / "13", "6.8.12"))] == ["6.1"]
    assert releases_to_fetch(tmp_path / "none") == list(RELEASES)


def test_a_complete_fetch_is_not_downloaded_again(tmp_path, monkeypatch):
    def no_network(*_args, **_kwargs):
        raise AssertionError("apt was run")
    monkeypatch.setattr(PrivateApt, "update", no_network)
    monkeypatch.setattr(PrivateApt, "download", no_network)
    system = make_tree(tmp_path / "system", "6.1.9")
    cache = tmp_path / "cache"
    make_fetched(cache, "6.8", "6.8.12", "twentytwentyfive")
    fetched = fetch_missing(cache, tmp_path / "apt", system=system,
                            apt_sources=tmp_path / "no-sources")
    assert [(f.version, f.downloaded) for f in fetched] == [("6.8.12", False)]


# -------------------------------------------------------------------- with real .deb files

def build_deb(folder: Path, name: str, files: dict[str, str], links: dict[str, str],
              depends: str = "", architecture: str = "all") -> Path:
    """Build NAME_1.0_ARCH.deb in `folder` shipping `files` (path: text) and `links`."""
    root = folder / f"build-{name}"
    (root / "DEBIAN").mkdir(parents=True)
    control = (f"Package: {name}\nVersion: 1.0\nArchitecture: {architecture}\n"
               "Maintainer: Test <test@example.test>\nDescription: test package\n")
    if depends:
        control += f"Depends: {depends}\n"
    (root / "DEBIAN" / "control").write_text(control)
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    for path, target in links.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).symlink_to(target)
    deb = folder / f"{name}_1.0_{architecture}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-b", str(root), str(deb)], check=True,
                   capture_output=True)
    shutil.rmtree(root)
    return deb


class FakeApt(PrivateApt):
    """The private apt with the registry replaced by a folder of built packages."""

    def __init__(self, root: Path, registry: dict[str, Path]) -> None:
        super().__init__(root, "http://mirror.invalid/debian", "trixie")
        self.registry = registry
        self.downloaded: list[str] = []

    def write_config(self) -> None:
        self.archives.mkdir(parents=True, exist_ok=True)

    def update(self) -> None:
        pass

    def show(self, names):
        return {name: {"package": name, "architecture": self.registry[name].name.split("_")[2]
                       .removesuffix(".deb")} for name in names if name in self.registry}

    def download(self, names):
        self.downloaded += sorted(names)
        return [Path(shutil.copy(self.registry[name], self.archives)) for name in sorted(names)]


@pytest.fixture
def registry(tmp_path) -> dict[str, Path]:
    """A tiny trixie: wordpress links to underscore's file; other dependencies ship nothing."""
    folder = tmp_path / "registry"
    folder.mkdir()
    wp = "usr/share/wordpress"
    return {
        "wordpress": build_deb(folder, "wordpress", {
            f"{wp}/wp-settings.php": "<?php\n",
            f"{wp}/wp-includes/version.php": "<?php\n$wp_version = '6.8.12';\n",
        }, {f"{wp}/wp-includes/js/underscore.min.js":
            "../../../javascript/underscore/underscore.min.js"},
            depends="apache2 | httpd, libjs-underscore (>= 1.13), ca-certificates"),
        "wordpress-theme-twentytwentyfive": build_deb(folder, "wordpress-theme-twentytwentyfive",
                                                      {f"{wp}/wp-content/themes/twentytwentyfive/"
                                                       "style.css": "/* theme */"}, {}),
        "wordpress-l10n": build_deb(folder, "wordpress-l10n",
                                    {f"{wp}/wp-content/languages/vi.mo": "mo"}, {}),
        "libjs-underscore": build_deb(folder, "libjs-underscore", {
            "usr/share/javascript/underscore/underscore.js": "_"},
            {"usr/share/javascript/underscore/underscore.min.js": "underscore.js"}),
        "ca-certificates": build_deb(folder, "ca-certificates",
                                     {"usr/share/ca-certificates/x.crt": "cert"}, {}),
        "apache2": build_deb(folder, "apache2", {"usr/sbin/apache2": "bin"}, {},
                             architecture="amd64"),
    }


@needs_dpkg
def test_fetch_unpacks_the_release_and_the_packages_its_links_need(tmp_path, registry):
    apt = FakeApt(tmp_path / "apt", registry)
    target = tmp_path / "cache" / "6.8"
    fetched = fetch_release(TRIXIE, apt, target)

    assert fetched.version == "6.8.12" and fetched.downloaded
    assert set(fetched.packages) == {"wordpress", "wordpress-theme-twentytwentyfive",
                                     "wordpress-l10n", "libjs-underscore"}
    assert "apache2" not in apt.downloaded, "architecture-dependent packages are not data"
    assert "ca-certificates" in apt.downloaded, "a dependency is looked into..."
    assert not (target / "usr/share/ca-certificates").exists(), "...and unpacked only if needed"
    assert (target / TREE_IN_ROOT / "wp-includes/js/underscore.min.js").read_text() == "_"
    assert dangling_links(target) == {}
    assert (target / COMPLETE_MARKER).is_file()
    assert not list(target.parent.glob(".*partial")), "the staging folder was renamed"
    tree = resolve("6.8", system=tmp_path / "no-system", cache=tmp_path / "cache")
    assert (tree.path, tree.theme) == (target / TREE_IN_ROOT, "twentytwentyfive")


@needs_dpkg
def test_fetch_refuses_a_tree_whose_links_no_dependency_fills(tmp_path, registry):
    del registry["libjs-underscore"]
    apt = FakeApt(tmp_path / "apt", registry)
    target = tmp_path / "cache" / "6.8"
    with pytest.raises(SandboxError, match="1 links of the WordPress tree point at files no "
                                           "dependency ships"):
        fetch_release(TRIXIE, apt, target)
    assert not target.exists(), "an incomplete tree is never offered"


@needs_dpkg
def test_a_fetch_interrupted_midway_starts_again(tmp_path, registry):
    apt = FakeApt(tmp_path / "apt", registry)
    target = tmp_path / "cache" / "6.8"
    (target.parent / ".6.8.partial" / "leftover").mkdir(parents=True)
    fetch_release(TRIXIE, apt, target)
    assert not (target / "leftover").exists()
    assert os.listdir(target.parent) == ["6.8"]
