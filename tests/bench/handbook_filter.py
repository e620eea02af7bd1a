"""The Site Handbook's HTML filter on hostile shapes of body: publish and view, medians.

    python -m tests.bench.handbook_filter [--runs N] [--dir DIR] [--source FILE]

Runs the plugin's Handbook_Html inside the sandbox WordPress (php-cli, after wp-load.php):
"publish" is Handbook_Html::prepare() (what PUT /handbook does to the body before storing
it), "view" is what the Site Handbook screen does to a stored body on every view (cut into
chapters, each filtered again, searched for "x" and its matches marked, as with `?s=x`).
`--source` measures another version of includes/class-handbook-html.php instead of the
working tree's, e.g. the last commit's:

    git show HEAD:wp-plugin/handoff-companion/includes/class-handbook-html.php > /tmp/before.php
    python -m tests.bench.handbook_filter --source /tmp/before.php
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from handoff.sandbox import Sandbox
from handoff.sandbox.phprunner import PhpRunner

# name -> (unit, count): the body is the unit repeated.
SHAPES = {
    "20,000 unclosed <section> (180 KB)": ("<section>", 20000),
    "20,000 sibling <p>x</p> (160 KB)": ("<p>x</p>", 20000),
    "20,000 unclosed <script> (160 KB)": ("<script>", 20000),
    "200,000 small tags <b>x</b> (1.6 MB)": ("<b>x</b>", 200000),
    "one text, 20,000 matches of the search (40 KB)": ("x ", 20000),
}

# Times every run in one process (WordPress loaded once); prints JSON samples.
WORKER = """
$source = %(source)s;
if ( '' !== $source ) {
    if ( class_exists( 'Handoff\\\\Companion\\\\Handbook_Html', false ) ) {
        fwrite( STDERR, "Handbook_Html is already loaded: cannot measure {$source}\\n" );
        exit( 1 );
    }
    require $source;
}
$shapes  = json_decode( %(shapes)s, true );
$runs    = %(runs)d;
$results = array();
foreach ( $shapes as $name => $shape ) {
    $html   = str_repeat( $shape[0], $shape[1] );
    $sample = array( 'publish_ms' => array(), 'view_ms' => array(), 'publish_mb' => 0 );
    for ( $run = 0; $run < $runs; $run++ ) {
        gc_collect_cycles();
        memory_reset_peak_usage();
        $base     = memory_get_usage();
        $started  = hrtime( true );
        $prepared = Handoff\\Companion\\Handbook_Html::prepare( $html );
        $sample['publish_ms'][] = ( hrtime( true ) - $started ) / 1e6;
        $peak_mb  = ( memory_get_peak_usage() - $base ) / 1048576;
        $sample['publish_mb']   = max( $sample['publish_mb'], $peak_mb );
        $stored   = $prepared['html'];
        unset( $prepared );
        $started  = hrtime( true );
        foreach ( Handoff\\Companion\\Handbook_Html::split( $stored ) as $part ) {
            $filtered = Handoff\\Companion\\Handbook_Html::kses( $part['html'] );
            if ( Handoff\\Companion\\Handbook_Html::contains( $filtered, 'x' ) ) {
                Handoff\\Companion\\Handbook_Html::highlight( $filtered, 'x', 'mark' );
            }
        }
        $sample['view_ms'][] = ( hrtime( true ) - $started ) / 1e6;
    }
    $results[ $name ] = $sample;
}
echo wp_json_encode( $results );
"""


def php_string(value: str) -> str:
    """Return `value` as a PHP single-quoted string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


@contextmanager
def running_sandbox(directory: Path | None) -> Iterator[Sandbox]:
    """The sandbox (left running if it already was), stopped after if started here."""
    with tempfile.TemporaryDirectory() as scratch:
        sandbox = Sandbox(directory or Path(scratch) / "sandbox")
        was_running = sandbox.is_running()
        sandbox.start()
        try:
            yield sandbox
        finally:
            if not was_running:
                sandbox.stop()


def measure(sandbox: Sandbox, runs: int, source: Path | None) -> dict[str, dict]:
    """Return the samples of each shape, measured in the sandbox's WordPress."""
    code = WORKER % {"source": php_string(str(source.resolve()) if source else ""),
                     "shapes": php_string(json.dumps(SHAPES)), "runs": runs}
    runner = PhpRunner(sandbox.wordpress_dir, f"127.0.0.1:{sandbox.port}")
    return json.loads(runner.run("run.php", code, what="the handbook filter benchmark",
                                 timeout=3600))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=None, help="sandbox directory")
    parser.add_argument("--source", type=Path, default=None,
                        help="a class-handbook-html.php to measure instead of the working tree's")
    args = parser.parse_args()
    with running_sandbox(args.dir) as sandbox:
        results = measure(sandbox, args.runs, args.source)
    print("| body | publish ms | view ms | publish peak MB |")
    print("|---|---|---|---|")
    for name, sample in results.items():
        print(f"| {name} | {statistics.median(sample['publish_ms']):.0f} "
              f"| {statistics.median(sample['view_ms']):.0f} | {sample['publish_mb']:.0f} |")


if __name__ == "__main__":
    main()
