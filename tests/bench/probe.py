"""A must-use plugin that reports each page's SQL query count and PHP time, for benchmarks.

It appends an HTML comment at shutdown, so it only measures HTML pages, and adds nothing
measurable itself (a few function calls). `menu_ms` is the time from `_admin_menu` (before
wp-admin builds its menu) to the end of `current_screen` (after the menu is final and the
screen is identified): the phase where a menu profile is applied.
"""

PROBE_NAME = "handoff-bench-probe"
PROBE_SOURCE = """<?php
add_action( '_admin_menu', function () {
    $GLOBALS['handoff_bench_menu_start'] = microtime( true );
}, PHP_INT_MIN );
add_action( 'current_screen', function () {
    if ( isset( $GLOBALS['handoff_bench_menu_start'] ) ) {
        $GLOBALS['handoff_bench_menu_ms'] =
            ( microtime( true ) - $GLOBALS['handoff_bench_menu_start'] ) * 1000;
    }
}, PHP_INT_MAX );
add_action( 'shutdown', function () {
    if ( wp_doing_ajax() || ( defined( 'REST_REQUEST' ) && REST_REQUEST ) ) {
        return;
    }
    global $wpdb, $timestart;
    printf( "\\n<!-- handoff-bench queries=%d php_ms=%.3f menu_ms=%.3f -->",
        $wpdb->num_queries, ( microtime( true ) - $timestart ) * 1000,
        $GLOBALS['handoff_bench_menu_ms'] ?? 0 );
}, PHP_INT_MAX );
"""
MARK = "<!-- handoff-bench "


def read_probe(html: str) -> dict[str, float]:
    """Return {queries, php_ms, menu_ms} from a page carrying the probe's comment."""
    start = html.rindex(MARK) + len(MARK)
    fields = dict(part.split("=") for part in html[start:html.index("-->", start)].split())
    return {name: float(value) for name, value in fields.items()}
