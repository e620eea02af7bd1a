"""The sandbox's own wp-config.php (Debian's is a loader for /etc/wordpress, never used)."""

from __future__ import annotations

from dataclasses import dataclass

from handoff.sandbox.credentials import SALT_NAMES


def php_string(value: str) -> str:
    """Return `value` as a single-quoted PHP string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


@dataclass(frozen=True)
class WpConfig:
    """What varies between sandboxes' wp-config.php files."""

    url: str  # e.g. http://127.0.0.1:8080
    db_name: str
    db_user: str
    db_password: str
    db_socket: str
    salts: dict[str, str]
    table_prefix: str = "wp_"


# (constant, PHP expression, why) — the settings of a realistic fresh development site.
SITE_CONSTANTS = (
    ("WP_ENVIRONMENT_TYPE", "'local'", "Application Passwords work over plain HTTP"),
    ("WP_DEBUG", "true", "debug on, as on a site in development"),
    ("WP_DEBUG_LOG", "true", "to wp-content/debug.log"),
    ("WP_DEBUG_DISPLAY", "false", "never in the pages or the REST answers"),
    ("FS_METHOD", "'direct'", "no FTP credentials prompt"),
    ("DISABLE_WP_CRON", "true", "no loopback request on every page load"),
    ("AUTOMATIC_UPDATER_DISABLED", "true", "no updates: there is no network"),
    ("WP_HTTP_BLOCK_EXTERNAL", "true", "no slow outbound calls; the site itself stays reachable"),
)


def render_wp_config(config: WpConfig) -> str:
    """Return the text of the sandbox's wp-config.php."""
    lines = [
        "<?php",
        "/*",
        " * The Handoff sandbox's configuration, written again at every `handoff sandbox start`:",
        " * edits here are lost. Use a must-use plugin for experiments.",
        " */",
        "",
        f"define( 'DB_NAME', {php_string(config.db_name)} );",
        f"define( 'DB_USER', {php_string(config.db_user)} );",
        f"define( 'DB_PASSWORD', {php_string(config.db_password)} );",
        f"define( 'DB_HOST', {php_string('localhost:' + config.db_socket)} );",
        "define( 'DB_CHARSET', 'utf8mb4' );",
        "define( 'DB_COLLATE', '' );",
        "",
        *(f"define( {php_string(name)}, {php_string(config.salts[name])} );"
          for name in SALT_NAMES),
        "",
        f"$table_prefix = {php_string(config.table_prefix)};",
        "",
        "// The port can change between starts; the database keeps the install's URL.",
        f"define( 'WP_HOME', {php_string(config.url)} );",
        f"define( 'WP_SITEURL', {php_string(config.url)} );",
        "",
        *(f"define( {php_string(name)}, {value} ); // {why}"
          for name, value, why in SITE_CONSTANTS),
        "",
        "if ( ! defined( 'ABSPATH' ) ) {",
        "\tdefine( 'ABSPATH', __DIR__ . '/' );",
        "}",
        "",
        "require_once ABSPATH . 'wp-settings.php';",
        "",
    ]
    return "\n".join(lines)
