"""Checking the handbook's labels on the real screens of a site, in a real browser.

Every `ui()` a build recorded (handbook/labels.py) names a label, its screen and what must
be open there. The verifier logs in as the client once, opens each screen once (labels are
grouped by screen and what must be opened), waits for the screen to be ready — never for a
fixed time — opens the toggles named, and reports each label as found or missing with the
template file and line that named it. It only opens and hovers: it never clicks anything
that changes the site. Opening an "Add New" editor makes WordPress keep an empty auto-draft,
which WordPress deletes by itself after a week.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from handoff.errors import HandoffError
from handoff.handbook.labels import LabelUse

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
TIMEOUT_MS = 15_000
HOVERS = {"hover:account": "#wp-admin-bar-my-account"}
LIST_ROWS = "#the-list > tr, #the-comment-list > tr"  # posts/pages, comments
MAX_ROWS = 10

# Visible elements whose own text, aria-label or button value is one of the texts.
# Own text (text nodes, not innerText): CSS may upper-case a label; a label may hold a count.
_FIND = """
window.__handoffLabels = window.__handoffLabels || {
  norm: (s) => (s || '').replace(/[\\s\\u00a0]+/g, ' ').trim(),
  visible(el) {
    const box = el.getBoundingClientRect();
    return box.width > 1 && box.height > 1 &&
      el.checkVisibility({checkOpacity: true, visibilityProperty: true});
  },
  names(el) {
    let own = '';
    for (const node of el.childNodes) if (node.nodeType === 3) own += node.nodeValue;
    const names = [this.norm(own), this.norm(el.getAttribute('aria-label'))];
    const button = el.tagName === 'INPUT' && /^(submit|button)$/.test(el.type);
    if (button) names.push(this.norm(el.value));
    return names.filter(Boolean);
  },
  matcher(text) {
    if (!text.includes('%')) return (name) => name === text;
    const escape = (p) => p.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&');
    const parts = text.split(/%(?:\\d+\\$)?[sd]/).map(escape);
    const pattern = new RegExp('^' + parts.join('.*') + '$');
    return (name) => pattern.test(name);
  },
  find(text) {
    const matches = this.matcher(this.norm(text));
    for (const el of document.querySelectorAll('body *')) {
      if (this.names(el).some(matches) && this.visible(el)) return el;
    }
    return null;
  },
  missing(texts) { return texts.filter((text) => !this.find(text)); },
};
"""
_EDITOR_READY = """() => {
  const blockEditor = window.wp && wp.data && wp.data.select('core/editor') &&
    wp.data.select('core/editor').getCurrentPostId() &&
    document.querySelector('.edit-post-header, .editor-header');
  return Boolean(blockEditor || document.querySelector('#post #submitdiv'));
}"""
_NO_WELCOME_GUIDE = """() => {
  const prefs = window.wp && wp.data && wp.data.dispatch('core/preferences');
  if (prefs) prefs.set('core/edit-post', 'welcomeGuide', false);
}"""


class VerifyError(HandoffError):
    """The verifier could not run at all (no browser, no login)."""


@dataclass(frozen=True)
class Stop:
    """One visit: a screen, for a post type, with toggles opened in order."""

    screen: str
    post_type: str | None
    open: tuple[str, ...]


@dataclass(frozen=True)
class LabelResult:
    use: LabelUse
    found: bool
    reason: str = ""


def stops(uses: list[LabelUse]) -> dict[Stop, list[LabelUse]]:
    """The uses grouped by visit, in the order they first appear in the handbook."""
    grouped: dict[Stop, list[LabelUse]] = {}
    for use in uses:
        grouped.setdefault(Stop(use.screen, use.post_type, use.open), []).append(use)
    return grouped


@contextlib.contextmanager
def chromium(executable: Path = CHROMIUM) -> Iterator[object]:
    """Debian's Chromium through Playwright, headless; closed whatever happens."""
    if not executable.exists():
        raise VerifyError(f"{executable} not found.", "install Debian's chromium "
                          "(`apt-get install chromium`)", code="no_browser")
    try:  # imported late: only --check needs it, and it is an optional extra
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise VerifyError("Checking labels needs Playwright, which is not installed.",
                          "pip install 'wp-handoff[check]'", code="no_browser") from None

    with sync_playwright() as runner:
        browser = runner.chromium.launch(executable_path=str(executable), headless=True,
                                         args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Verifier:
    """Opens the screens of one site as one user and looks for the labels."""

    def __init__(self, browser, site_url: str, login: str, password: str,
                 timeout_ms: int = TIMEOUT_MS) -> None:
        self.site = site_url.rstrip("/")
        self.timeout = timeout_ms
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(timeout_ms)
        self.context.add_init_script(_FIND)
        self.page = self.context.new_page()
        self.guest = None  # a logged-out page for the login screens, made when needed
        self._browser = browser
        self._items: dict[str | None, str | None] = {}
        log_in(self.page, self.site, login, password)

    def close(self) -> None:
        self.context.close()
        if self.guest is not None:
            self.guest.context.close()

    def check(self, uses: list[LabelUse]) -> list[LabelResult]:
        results = []
        for stop, group in stops(uses).items():
            results += self._check_stop(stop, group)
        return results

    def _check_stop(self, stop: Stop, group: list[LabelUse]) -> list[LabelResult]:
        page = self._guest_page() if stop.screen.startswith("wp-login.php") else self.page
        try:
            url = self._url(stop)
        except _Unavailable as exc:
            return [LabelResult(use, False, str(exc)) for use in group]
        page.goto(url)
        if stop.screen in ("post.php", "post-new.php"):
            page.wait_for_function(_EDITOR_READY)
            page.evaluate(_NO_WELCOME_GUIDE)
        problem = self._open(page, stop)
        if problem:
            return [LabelResult(use, False, problem) for use in group]
        texts = list(dict.fromkeys(use.text for use in group))
        missing = self._missing(page, stop, texts)
        return [LabelResult(use, use.text not in missing,
                            "" if use.text not in missing else f"not visible on {url}")
                for use in group]

    def _missing(self, page, stop: Stop, texts: list[str]) -> set[str]:
        if "hover:list-row" in stop.open:
            return self._missing_in_rows(page, texts)
        with contextlib.suppress(Exception):  # a timeout: then say which ones are missing
            page.wait_for_function("(texts) => !__handoffLabels.missing(texts).length", arg=texts,
                                   timeout=self.timeout)
        return set(page.evaluate("(texts) => __handoffLabels.missing(texts)", texts))

    def _missing_in_rows(self, page, texts: list[str]) -> set[str]:
        """Row actions show on hover: hover the rows one by one until each label was seen."""
        missing = set(texts)
        rows = page.locator(LIST_ROWS)
        for index in range(min(rows.count(), MAX_ROWS)):
            rows.nth(index).hover()
            missing &= set(page.evaluate("(texts) => __handoffLabels.missing(texts)",
                                         sorted(missing)))
            if not missing:
                break
        return missing

    def _open(self, page, stop: Stop) -> str | None:
        """Open the stop's toggles in order; why not, if one cannot be found."""
        for step in stop.open:
            if step == "hover:list-row":
                continue
            if step in HOVERS:
                page.hover(HOVERS[step])
                continue
            try:
                page.wait_for_function("(t) => Boolean(__handoffLabels.find(t))", arg=step,
                                       timeout=self.timeout)
            except Exception:
                return f"could not find {step!r} to open it"
            handle = page.evaluate_handle("(t) => __handoffLabels.find(t)", step)
            state = handle.evaluate("e => e.getAttribute('aria-expanded') || "
                                    "e.getAttribute('aria-pressed')")
            if state == "false":
                handle.as_element().click()
                page.wait_for_function(
                    "(t) => { const e = __handoffLabels.find(t); return e && "
                    "(e.getAttribute('aria-expanded') || e.getAttribute('aria-pressed')) "
                    "=== 'true'; }", arg=step)
        return None

    def _guest_page(self):
        if self.guest is None:
            context = self._browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(self.timeout)
            context.add_init_script(_FIND)
            self.guest = context.new_page()
        return self.guest

    def _url(self, stop: Stop) -> str:
        admin = f"{self.site}/wp-admin/"
        post_type = {"post_type": stop.post_type} if stop.post_type not in (None, "post") \
            else {}
        if stop.screen.startswith("wp-login.php"):
            return f"{self.site}/{stop.screen}"
        if stop.screen == "post.php":
            return self._item(stop.post_type)
        if stop.screen == "revision.php":
            return self._revision(stop.post_type)
        if stop.screen == "user-edit.php":
            return self._other_user()
        if stop.screen in ("post-new.php", "edit.php") and post_type:
            return f"{admin}{stop.screen}?{urlencode(post_type)}"
        return admin + stop.screen

    def _item(self, post_type: str | None) -> str:
        """The editor of the first published item of the type (the client's own content)."""
        if post_type == "attachment":
            return self._attachment()
        if post_type not in self._items:
            query = {"post_status": "publish"}
            if post_type not in (None, "post"):
                query["post_type"] = post_type
            self.page.goto(f"{self.site}/wp-admin/edit.php?{urlencode(query)}")
            link = self.page.locator("#the-list a.row-title").first
            self._items[post_type] = link.get_attribute("href") if link.count() else None
        if not self._items[post_type]:
            raise _Unavailable(f"no published {post_type or 'post'} to open in the editor")
        return self._items[post_type]

    def _attachment(self) -> str:
        """The edit screen of the newest file in the media library.

        Read from the library's grid (the list view would store the user's choice of view).
        """
        if "attachment" not in self._items:
            self.page.goto(f"{self.site}/wp-admin/upload.php")
            found = self.page.locator(".attachments .attachment[data-id], .no-media")
            found.first.wait_for()
            first = self.page.locator(".attachments .attachment[data-id]").first
            item = first.get_attribute("data-id") if first.count() else None
            self._items["attachment"] = (f"{self.site}/wp-admin/post.php?"
                                         f"{urlencode({'post': int(item), 'action': 'edit'})}"
                                         if item else None)
        if not self._items["attachment"]:
            raise _Unavailable("no file in the media library to open")
        return self._items["attachment"]

    def _other_user(self) -> str:
        """The profile screen of the first user in the list other than oneself."""
        if "user-edit" not in self._items:
            self.page.goto(f"{self.site}/wp-admin/users.php")
            link = self.page.locator('#the-list a[href*="user-edit.php"]').first
            self._items["user-edit"] = link.get_attribute("href") if link.count() else None
        if not self._items["user-edit"]:
            raise _Unavailable("no other user's profile to open (users.php lists none)")
        return self._items["user-edit"]

    def _revision(self, post_type: str | None) -> str:
        self.page.goto(self._item(post_type))
        self.page.wait_for_function(_EDITOR_READY)
        revision = self.page.evaluate(
            "() => (window.wp && wp.data && wp.data.select('core/editor') && "
            "wp.data.select('core/editor').getCurrentPostLastRevisionId()) || "
            "(document.querySelector('a[href*=\"revision.php?revision=\"]') || {}).href || null")
        if not revision:
            raise _Unavailable(f"the first published {post_type or 'post'} has no revisions")
        if isinstance(revision, str) and revision.startswith("http"):
            return revision
        return f"{self.site}/wp-admin/revision.php?revision={int(revision)}"


class _Unavailable(Exception):
    """A screen that cannot be opened on this site (nothing to edit, no revisions)."""


def log_in(page, site_url: str, login: str, password: str) -> None:
    """Sign in through WordPress's login form; VerifyError when WordPress refuses."""
    page.goto(f"{site_url}/wp-login.php")
    # wp-login.php focuses a field 200 ms after load and may empty the password then:
    # fill the form once that has happened.
    with contextlib.suppress(Exception):  # autofocus off: nothing empties the fields
        page.wait_for_function(
            "document.activeElement && document.activeElement.id.startsWith('user_')",
            timeout=3000)
    page.locator("#user_login").fill(login)
    page.locator("#user_pass").fill(password)
    with page.expect_navigation():
        page.locator("#wp-submit").click()
    if "/wp-admin" not in page.url:
        error = page.locator("#login_error")
        detail = error.inner_text().strip() if error.count() else page.url
        raise VerifyError(f"Logging in to {site_url} as {login} failed: {detail}",
                          "check the login and password of the client's account",
                          code="login_failed")


def verify_labels(uses: list[LabelUse], site_url: str, login: str, password: str, *,
                  browser=None, timeout_ms: int = TIMEOUT_MS) -> list[LabelResult]:
    """Each label use, found or missing on the site's real screens, as the user logs in."""
    if browser is None:
        with chromium() as own:
            return verify_labels(uses, site_url, login, password, browser=own,
                                 timeout_ms=timeout_ms)
    verifier = Verifier(browser, site_url, login, password, timeout_ms)
    try:
        return verifier.check(uses)
    finally:
        verifier.close()


def report_lines(results: list[LabelResult]) -> list[str]:
    """One line per label use: found/missing, the label, its screen, template:line."""
    lines = []
    for result in results:
        use = result.use
        state = "found  " if result.found else "MISSING"
        where = use.screen + (f" ({use.post_type})" if use.post_type else "")
        opened = f", open: {' › '.join(use.open)}" if use.open else ""
        why = f" — {result.reason}" if result.reason else ""
        lines.append(f"{state} {json.dumps(use.text, ensure_ascii=False)} on {where}{opened}"
                     f"  {use.where}{why}")
    return lines
