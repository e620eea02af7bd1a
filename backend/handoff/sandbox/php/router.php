<?php
/**
 * Router for PHP's built-in server: what Apache's mod_rewrite rules do for WordPress.
 *
 * Existing files (static or PHP) and directories with an index.php are left to the built-in
 * server; every other path goes to WordPress's front controller, so pretty permalinks
 * (/%postname%/) and /wp-json/ work.
 *
 * @package Handoff
 */

$handoff_root = rtrim( $_SERVER['DOCUMENT_ROOT'], '/' );
$handoff_path = rawurldecode( (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) );

// Never map "..", so a request cannot reach files outside the document root.
if ( false === strpos( $handoff_path, '..' ) ) {
	$handoff_file = $handoff_root . $handoff_path;
	if ( is_file( $handoff_file ) ) {
		return false;
	}
	if ( '/' !== $handoff_path && is_dir( $handoff_file ) && is_file( $handoff_file . '/index.php' ) ) {
		if ( '/' !== substr( $handoff_path, -1 ) ) {
			// Like Apache's mod_dir: /wp-admin -> /wp-admin/, or relative links break.
			$handoff_query = (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_QUERY );
			header( 'Location: ' . $handoff_path . '/' . ( '' === $handoff_query ? '' : '?' . $handoff_query ), true, 301 );
			return true;
		}
		return false;
	}
}

// The front controller sees what it would see behind mod_rewrite: index.php, no PATH_INFO.
$_SERVER['SCRIPT_NAME']     = '/index.php';
$_SERVER['PHP_SELF']        = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $handoff_root . '/index.php';
unset( $_SERVER['PATH_INFO'], $_SERVER['ORIG_PATH_INFO'] );
chdir( $handoff_root );
require $handoff_root . '/index.php';
