"""What can go wrong between the backend and a site, each with its cause and its fix.

Every failure the transports can meet is one of these codes, so `site check`, the CLI and
the dashboard speak of it in the same words.
"""

from __future__ import annotations

from handoff.errors import HandoffError

# code -> (cause template, fix). Templates may use {url}, {host}, {detail}, {version}.
MESSAGES: dict[str, tuple[str, str]] = {
    "dns": ("The name {host} does not resolve (DNS lookup failed).",
            "check the spelling of the address, or the domain's DNS records"),
    "refused": ("{host} refused the connection: nothing listens there.",
                "check the address and port, and that the web server is running"),
    "timeout": ("{host} did not answer in time ({detail}).",
                "check that the site is up; a firewall may be dropping the backend's requests"),
    "tls": ("The site's HTTPS certificate could not be verified ({detail}).",
            "install a valid certificate (e.g. Let's Encrypt) for {host}"),
    "connection": ("Could not connect to {host} ({detail}).",
                   "check the address and the network between the backend and the site"),
    "insecure_http": ("{url} uses plain HTTP, and the site is not a local development site: "
                      "the bridge password would travel unencrypted.",
                      "serve the site over HTTPS and connect again with its https:// address"),
    "not_wordpress": ("{url} does not look like a WordPress site ({detail}).",
                      "check the address: use the site's home URL"),
    "waf": ("A firewall or challenge page answered instead of WordPress ({detail}).",
            "allow the backend's IP address in the host's firewall / security service"),
    "rest_disabled": ("The site's REST API is closed to the backend ({detail}).",
                      "allow the REST API for authenticated users in the security plugin, "
                      "or use the XML-RPC transport (--transport xmlrpc)"),
    "plugin_missing": ("The Handoff Companion plugin is not active on {url}.",
                       "install and activate the Handoff Companion plugin, then press Connect "
                       "in Settings → Handoff"),
    "wrong_password": ("The site rejected the bridge user's password ({detail}).",
                       "press Connect in Settings → Handoff for a new key and run "
                       "`handoff site add` again"),
    "header_stripped": ("The web server strips the Authorization header, so WordPress never "
                        "sees the bridge password over REST.",
                        "pass the header through (Apache: CGIPassAuth On; nginx: "
                        "fastcgi_param HTTP_AUTHORIZATION $http_authorization), "
                        "or use XML-RPC (--transport xmlrpc)"),
    "app_passwords_disabled": ("WordPress has Application Passwords turned off ({detail}).",
                               "serve the site over HTTPS, or re-enable Application Passwords "
                               "in the security plugin that turned them off"),
    "forbidden": ("The user in the key is not the Handoff bridge user (it lacks the "
                  "handoff_bridge_access capability).",
                  "use the key shown by Settings → Handoff, not another account's password"),
    "xmlrpc_disabled": ("XML-RPC is disabled on the site ({detail}).",
                        "re-enable XML-RPC for authenticated requests, or use REST"),
    "plugin_too_old": ("The Handoff Companion plugin on the site is version {version}, older "
                       "than this backend supports.",
                       "update the Handoff Companion plugin to {detail} or newer"),
    "wordpress_too_old": ("The site runs WordPress {version}; Handoff needs {detail} or newer.",
                          "update WordPress"),
    "bad_response": ("The site sent an answer the backend cannot read ({detail}).",
                     "run `handoff site check` for a diagnosis; update the plugin if it is old"),
    "server_error": ("The site failed with HTTP {detail}.",
                     "look at the site's PHP error log; a plugin may be crashing"),
    "rate_limited": ("The site kept answering 429 Too Many Requests ({detail}).",
                     "send fewer requests at once (--per-host, --concurrency), or ask the "
                     "host to allow the backend's IP address"),
    "redirected": ("The site redirects {url} to {detail}, another address; the backend "
                   "follows redirects only within the site (and from http:// to https:// on "
                   "the same host).",
                   "set the site URL to {host} (connect the site again with that address), "
                   "or remove the redirect"),
    "url_mismatch": ("The key belongs to {detail}, not to {url}.",
                     "copy the key from the right site's Settings → Handoff screen"),
}


class BridgeError(HandoffError):
    """The backend could not do what it asked of a site."""

    exit_code = 4

    def __init__(self, code: str, *, url: str = "", host: str = "", detail: str = "",
                 version: str = "", status: int | None = None) -> None:
        cause, fix = MESSAGES[code]
        fields = {"url": url, "host": host or url, "detail": detail, "version": version}
        super().__init__(cause.format(**fields), fix.format(**fields), code=code)
        self.status = status

    @property
    def transport_specific(self) -> bool:
        """True when another transport might still work."""
        return self.code in {"rest_disabled", "header_stripped", "xmlrpc_disabled",
                             "app_passwords_disabled", "plugin_missing", "waf",
                             "bad_response", "not_wordpress"}
