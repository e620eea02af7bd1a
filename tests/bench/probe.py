"""A must-use plugin that reports each page's SQL query count and PHP time, for benchmarks.

It appends an HTML comment at shutdown, so it only measures HTML pages, and adds nothing
measurable itself (two function calls at shutdown).
"""

PROBE_NAME = "handoff-bench-probe"
PROBE_SOURCE = """<?php
add_action( 'shutdown', function () {
    if ( wp_doing_ajax() || ( defined( 'REST_REQUEST' ) && REST_REQUEST ) ) {
        return;
    }
    global $wpdb, $timestart;
    printf( "\\n<!-- handoff-bench queries=%d php_ms=%.3f -->",
        $wpdb->num_queries, ( microtime( true ) - $timestart ) * 1000 );
}, PHP_INT_MAX );
"""
MARK = "<!-- handoff-bench "


def read_probe(html: str) -> tuple[int, float]:
    """Return (queries, php_ms) from a page carrying the probe's comment."""
    start = html.rindex(MARK) + len(MARK)
    fields = dict(part.split("=") for part in html[start:html.index("-->", start)].split())
    return int(fields["queries"]), float(fields["php_ms"])
