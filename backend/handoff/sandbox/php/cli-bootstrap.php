<?php
/**
 * Shared start of the sandbox's command-line scripts: makes php-cli look like a request to
 * the sandbox, and turns every way WordPress can fail into a message on stderr and a
 * non-zero exit code.
 *
 * Usage (through the scripts next to this file): php SCRIPT WORDPRESS_DIR HOST:PORT
 *
 * @package Handoff
 */

if ( 'cli' !== PHP_SAPI ) {
	exit( 1 );
}

$handoff_sandbox_wordpress = isset( $argv[1] ) ? rtrim( $argv[1], '/' ) : '';
$handoff_sandbox_host      = isset( $argv[2] ) ? $argv[2] : '127.0.0.1';
if ( ! is_file( $handoff_sandbox_wordpress . '/wp-load.php' ) ) {
	fwrite( STDERR, "No WordPress in '{$handoff_sandbox_wordpress}'.\n" );
	exit( 2 );
}

// WordPress builds URLs, cookies and redirects from these; php-cli sets none of them.
$_SERVER['HTTP_HOST']       = $handoff_sandbox_host;
$_SERVER['SERVER_NAME']     = preg_replace( '/:\d+$/', '', $handoff_sandbox_host );
$_SERVER['SERVER_PORT']     = preg_match( '/:(\d+)$/', $handoff_sandbox_host, $handoff_match ) ? $handoff_match[1] : '80';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['REQUEST_METHOD']  = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REMOTE_ADDR']     = '127.0.0.1';

// WordPress's own handler would print an HTML "critical error" page to stdout; let PHP fail
// plainly (exit code 255) and say why on stderr, below.
define( 'WP_DISABLE_FATAL_ERROR_HANDLER', true );

register_shutdown_function(
	function () {
		$error = error_get_last();
		$fatal = E_ERROR | E_PARSE | E_CORE_ERROR | E_COMPILE_ERROR | E_USER_ERROR | E_RECOVERABLE_ERROR;
		// Only when PHP did not already print it (WordPress turns display_errors off).
		if ( $error && ( $error['type'] & $fatal ) && 'stderr' !== ini_get( 'display_errors' ) ) {
			fwrite( STDERR, "PHP Fatal error: {$error['message']} in {$error['file']} on line {$error['line']}\n" );
		}
	}
);

/**
 * Replaces wp_die() on the command line: the message on stderr and exit code 1, instead of
 * an HTML page on stdout and exit code 0 (e.g. "Error establishing a database connection").
 *
 * @param string|WP_Error $message The message wp_die() was given.
 */
function handoff_sandbox_cli_die( $message ) {
	if ( is_wp_error( $message ) ) {
		$message = $message->get_error_message();
	}
	fwrite( STDERR, 'wp_die: ' . trim( wp_strip_all_tags( (string) $message ) ) . "\n" );
	exit( 1 );
}

// Hooks may be declared before WordPress loads; plugin.php picks them up.
$GLOBALS['wp_filter']['wp_die_handler'][10][] = array(
	'function'      => function () {
		return 'handoff_sandbox_cli_die';
	},
	'accepted_args' => 1,
);
