<?php
/**
 * Installs WordPress into the empty sandbox database (what `wp core install` does).
 *
 * Usage: php install.php WORDPRESS_DIR HOST:PORT < {"title", "admin_login", "admin_email",
 * "admin_password"} as JSON. Prints {"user_id": N}.
 *
 * @package Handoff
 */

// Sets up $_SERVER for the sandbox's host and reads the WordPress directory from argv.
require __DIR__ . '/cli-bootstrap.php';

$handoff_sandbox_settings = json_decode( (string) stream_get_contents( STDIN ), true );

define( 'WP_INSTALLING', true );
require $handoff_sandbox_wordpress . '/wp-load.php';

/**
 * No "your new site" e-mail: there is no mail server here (wp_install() would try sendmail).
 */
function wp_new_blog_notification() {
}

require_once ABSPATH . 'wp-admin/includes/upgrade.php';

if ( is_blog_installed() ) {
	fwrite( STDERR, "WordPress is already installed in this database.\n" );
	exit( 3 );
}

$handoff_sandbox_result = wp_install(
	$handoff_sandbox_settings['title'],
	$handoff_sandbox_settings['admin_login'],
	$handoff_sandbox_settings['admin_email'],
	false, // Search engines discouraged (blog_public 0), as on a site in development.
	'',
	wp_slash( $handoff_sandbox_settings['admin_password'] )
);

echo wp_json_encode( array( 'user_id' => (int) $handoff_sandbox_result['user_id'] ) );
