"""The automatic checks: each reads what the plugin and the backend found and decides.

A check returns (status, detail): status is pass, warn or fail; detail says what was seen,
in one line a client could read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

PREMIUM_HINTS = ("pro", "premium", "gravityforms", "elementor-pro", "wp-rocket",
                 "advanced-custom-fields-pro", "searchwp", "wpml", "woocommerce-subscriptions",
                 "backupbuddy", "duplicator-pro", "updraftplus-premium", "perfmatters")
CLIENT_ROLES = ("administrator", "editor", "shop_manager", "author")


@dataclass
class Context:
    """Everything the checks may read for one site."""

    facts: dict                     # the plugin's `health` facts (docs/handover.md)
    inventory: dict
    intake: dict
    probes: dict = field(default_factory=dict)  # backend HTTP checks: name -> (status, detail)
    drift: list = field(default_factory=list)   # menu items the profile does not name


Result = tuple[str, str]
CHECKS: dict[str, Callable[[Context], Result]] = {}


def check(name: str):
    def register(function):
        CHECKS[name] = function
        return function
    return register


def _names(items: list[dict], key: str = "name", limit: int = 6) -> str:
    names = [str(item.get(key, "")) for item in items]
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def _domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


def _developer_domains(intake: dict) -> set[str]:
    developer = intake.get("developer") or {}
    domains = {_domain(developer.get("email", ""))} if developer.get("email") else set()
    website = urlsplit(developer.get("website", "")).hostname or ""
    if website:
        domains.add(website.lower().removeprefix("www."))
    return {d for d in domains if d}


@check("client_account")
def client_account(ctx: Context) -> Result:
    login = (ctx.intake.get("client") or {}).get("login")
    users = {u["login"]: u for u in ctx.facts.get("users", [])}
    if not login:
        return "warn", "the intake names no client login (client.login), so it cannot be checked"
    if login not in users:
        return "fail", f"no account {login!r} with a role above subscriber"
    roles = users[login]["roles"]
    if not set(roles) & set(CLIENT_ROLES):
        return "fail", f"{login!r} has the role {', '.join(roles)}"
    return "pass", f"{login!r} is {', '.join(roles)}"


@check("admin_email")
def admin_email(ctx: Context) -> Result:
    address = ctx.facts.get("admin_email", "")
    client = (ctx.intake.get("client") or {}).get("email", "")
    if _domain(address) in _developer_domains(ctx.intake):
        return "fail", f"{address} is the developer's address"
    if client and _domain(address) != _domain(client):
        return "warn", f"{address} is not on the client's domain ({_domain(client)})"
    return "pass", address


@check("developer_accounts")
def developer_accounts(ctx: Context) -> Result:
    domains = _developer_domains(ctx.intake)
    found = [u for u in ctx.facts.get("users", []) if u.get("email_domain", "") in domains]
    if not domains:
        return "warn", "the intake gives no developer e-mail or website to recognise them by"
    if found:
        return "fail", "still there: " + _names(found, "login")
    return "pass", "none on " + ", ".join(sorted(domains))


def _updates(kind: str, severity_warn: bool = False):
    def run(ctx: Context) -> Result:
        pending = ctx.facts.get("updates", {}).get(kind, [])
        if kind == "core":
            return ("fail", f"WordPress {pending} is available") if pending else \
                ("pass", "no update pending")
        if pending:
            return "fail", "updates for " + _names(pending)
        return "pass", "no update pending"
    return run


CHECKS["updates_core"] = _updates("core")
CHECKS["updates_plugins"] = _updates("plugins")
CHECKS["updates_themes"] = _updates("themes")


@check("inactive_plugins")
def inactive_plugins(ctx: Context) -> Result:
    found = [p for p in ctx.facts.get("inactive_plugins", [])]
    return ("warn", "inactive: " + _names(found)) if found else ("pass", "none")


@check("inactive_themes")
def inactive_themes(ctx: Context) -> Result:
    found = ctx.facts.get("inactive_themes", [])
    return ("warn", "installed but unused: " + _names(found)) if found else ("pass", "none")


@check("debug")
def debug(ctx: Context) -> Result:
    state = ctx.facts.get("debug", {})
    if state.get("display"):
        return "fail", "WP_DEBUG_DISPLAY is on: errors are shown to visitors"
    if state.get("wp_debug"):
        return "fail", "WP_DEBUG is on"
    return "pass", "off"


@check("debug_log")
def debug_log(ctx: Context) -> Result:
    state = ctx.facts.get("debug", {})
    if state.get("log_file_bytes", 0) > 0:
        return "fail", f"{state.get('log_file')} holds {state['log_file_bytes']:,} bytes"
    return "pass", "no log file"


@check("file_edit")
def file_edit(ctx: Context) -> Result:
    return ("pass", "disabled") if ctx.facts.get("disallow_file_edit") else \
        ("warn", "the editors are enabled")


@check("salts")
def salts(ctx: Context) -> Result:
    state = ctx.facts.get("salts", {})
    bad = state.get("placeholder", []) + state.get("empty", []) + state.get("duplicates", [])
    return ("fail", "not unique: " + ", ".join(sorted(set(bad)))) if bad else ("pass", "unique")


@check("admin_username")
def admin_username(ctx: Context) -> Result:
    logins = {u["login"].lower() for u in ctx.facts.get("users", [])}
    return ("fail", "a user named \"admin\" exists") if "admin" in logins else ("pass", "none")


@check("administrators")
def administrators(ctx: Context) -> Result:
    admins = [u for u in ctx.facts.get("users", []) if "administrator" in u.get("roles", [])]
    if len(admins) > 3:
        return "warn", f"{len(admins)} administrators: " + _names(admins, "login")
    return "pass", f"{len(admins)}: " + _names(admins, "login")


@check("application_passwords")
def application_passwords(ctx: Context) -> Result:
    found = ctx.facts.get("application_passwords", [])
    if found:
        return "fail", "; ".join(f"{p['login']}: {p['name']}" for p in found[:6])
    return "pass", "none besides the Handoff bridge"


@check("registration")
def registration(ctx: Context) -> Result:
    state = ctx.facts.get("registration", {})
    role = state.get("default_role", "subscriber")
    if state.get("open") and role not in ("subscriber", "customer"):
        return "fail", f"anyone can register and becomes {role}"
    return ("warn", "anyone can register (as subscriber)") if state.get("open") else \
        ("pass", "closed")


@check("search_visibility")
def search_visibility(ctx: Context) -> Result:
    state = ctx.facts.get("search_engines", {})
    if state.get("discouraged"):
        if state.get("environment_type") in ("local", "development", "staging"):
            return "warn", f"discouraged, as fits a {state['environment_type']} copy — " \
                           "check it on the live site"
        return "fail", "search engines are asked not to index the site"
    return "pass", "indexable"


@check("permalinks")
def permalinks(ctx: Context) -> Result:
    structure = ctx.facts.get("permalinks", "")
    return ("pass", structure) if structure else ("fail", "plain ?p=123 links")


@check("title_tagline")
def title_tagline(ctx: Context) -> Result:
    title, tagline = ctx.facts.get("title", ""), ctx.facts.get("tagline", "")
    if not title or title == "My WordPress Blog":
        return "fail", "the site title is not set"
    if tagline in ("", "Just another WordPress site"):
        return "warn", "the tagline is empty or the default"
    return "pass", f"{title} — {tagline}"


@check("site_icon")
def site_icon(ctx: Context) -> Result:
    return ("pass", "set") if ctx.facts.get("site_icon") else ("warn", "no site icon")


@check("backup_plugin")
def backup_plugin(ctx: Context) -> Result:
    active = [p for p in ctx.facts.get("backup_plugins", []) if p.get("active")]
    return ("pass", _names(active)) if active else \
        ("fail", "no known backup plugin is active")


@check("privacy_policy")
def privacy_policy(ctx: Context) -> Result:
    state = ctx.facts.get("privacy_policy", {})
    if state.get("published"):
        return "pass", f"page #{state.get('page_id')}"
    return "fail", "no published privacy policy page"


@check("sample_content")
def sample_content(ctx: Context) -> Result:
    state = ctx.facts.get("sample_content", {})
    found = [label for key, label in (("hello_world", "the \"Hello world!\" post"),
                                      ("sample_page", "the \"Sample Page\""),
                                      ("default_comment", "the sample comment"))
             if state.get(key)]
    found += [f"lorem ipsum in {_names(state['lorem_ipsum'], 'title')}"] \
        if state.get("lorem_ipsum") else []
    return ("fail", "; ".join(found)) if found else ("pass", "none")


@check("local_urls")
def local_urls(ctx: Context) -> Result:
    state = ctx.facts.get("local_urls", {})
    home = state.get("home", "")
    host = (urlsplit(home).hostname or "").lower()
    env = ctx.inventory.get("site", {}).get("environment_type", "production")
    problems = []
    if host in ("localhost", "127.0.0.1") or host.endswith((".local", ".test", ".invalid")):
        problems.append(f"the site's own address is {home}")
    if state.get("in_content"):
        problems.append("in " + _names(state["in_content"], "title"))
    if state.get("in_options"):
        problems.append("in options " + ", ".join(state["in_options"][:6]))
    if not problems:
        return "pass", "none"
    if env in ("local", "development") and len(problems) == 1 and problems[0].startswith(
            "the site's own"):
        return "warn", problems[0] + f" (a {env} copy)"
    return "fail", "; ".join(problems)


@check("timezone")
def timezone(ctx: Context) -> Result:
    state = ctx.facts.get("timezone", {})
    if state.get("string"):
        return "pass", state["string"]
    return "warn", f"a UTC offset ({state.get('offset', 0):+g}) instead of a city"


@check("menu_profile")
def menu_profile(ctx: Context) -> Result:
    state = ctx.facts.get("menu_profile", {})
    if not state.get("hash"):
        return "warn", "no simplified menu is applied"
    if state.get("safe_mode"):
        return "fail", "HANDOFF_SAFE_MODE is on: the menu profile is not applied"
    if ctx.drift:
        return "warn", f"version {state.get('version')}; not named: " + _names(ctx.drift, "slug")
    return "pass", f"version {state.get('version')}, no drift"


@check("handbook")
def handbook(ctx: Context) -> Result:
    state = ctx.facts.get("handbook", {})
    if not state.get("published"):
        return "fail", "not published"
    first = state.get("first_view") or {}
    if not first:
        return "warn", "published; the client has not opened it yet"
    return "pass", f"opened by {first.get('user_login')}"


# Site Health tests whose result says nothing about the site when run as the bridge user:
# the REST availability test calls the API with edit rights the bridge does not have.
BRIDGE_ARTIFACTS = {"rest_availability"}


@check("site_health")
def site_health(ctx: Context) -> Result:
    tests = [t for t in ctx.facts.get("site_health", []) if t.get("test") not in
             BRIDGE_ARTIFACTS]
    critical = [t for t in tests if t.get("status") == "critical"]
    recommended = [t for t in tests if t.get("status") == "recommended"]
    if critical:
        return "fail", "critical: " + _names(critical, "label", 4)
    if recommended:
        return "warn", f"{len(recommended)} recommendation(s): " + _names(recommended, "label", 3)
    return "pass", f"{len(tests)} tests passed"


@check("premium_plugins")
def premium_plugins(ctx: Context) -> Result:
    found = [p for p in ctx.inventory.get("plugins", [])
             if any(hint in p["file"].split("/")[0].lower() for hint in PREMIUM_HINTS)]
    return "info", ("looks premium: " + _names(found)) if found else "no premium plugin seen"


def _probe(name: str):
    def run(ctx: Context) -> Result:
        return ctx.probes.get(name, ("warn", "not checked"))
    return run


for _name in ("https", "https_redirect", "robots", "sitemap", "not_found"):
    CHECKS[_name] = _probe(_name)
