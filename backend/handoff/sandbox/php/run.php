<?php
/**
 * Runs the PHP code given on stdin inside the sandbox WordPress (after wp-load.php), in the
 * global scope, like `wp eval`. A leading "<?php" is allowed. The plugin API of wp-admin
 * (activate_plugin(), deactivate_plugins(), ...) is loaded too.
 *
 * Usage: php run.php WORDPRESS_DIR HOST:PORT < code
 *
 * @package Handoff
 */

// Sets up $_SERVER for the sandbox's host and reads the WordPress directory from argv.
require __DIR__ . '/cli-bootstrap.php';

$handoff_sandbox_code = (string) stream_get_contents( STDIN );

// wp-load.php must be required in the global scope: WordPress declares its globals there.
require $handoff_sandbox_wordpress . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

// WordPress sends errors only to debug.log (WP_DEBUG_DISPLAY is false); the caller wants them.
ini_set( 'display_errors', 'stderr' );

// phpcs:ignore Squiz.PHP.Eval.Discouraged -- the point of this script, like `wp eval`.
eval( preg_replace( '/^\s*<\?php/', '', $handoff_sandbox_code ) );
