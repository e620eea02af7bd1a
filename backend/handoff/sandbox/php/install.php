<?php
/**
 * Installs WordPress into the empty sandbox database (what `wp core install` does).
 *
 * Usage: php install.php WORDPRESS_DIR HOST:PORT < {"title", "admin_login", "admin_email",
 * "admin_password", "language"} as JSON ("language": a locale such as "vi", or "" for
 * English). Prints {"user_id": N}.
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

// As wp-admin/install.php does once the language pack is there: the sample content ("Hello
// world!") and the options are written in the site's language.
$handoff_sandbox_language = isset( $handoff_sandbox_settings['language'] ) ? (string) $handoff_sandbox_settings['language'] : '';
if ( '' !== $handoff_sandbox_language ) {
	if ( ! load_default_textdomain( $handoff_sandbox_language ) ) {
		fwrite( STDERR, "WordPress has no '{$handoff_sandbox_language}' translation in " . WP_LANG_DIR . ".\n" );
		exit( 4 );
	}
	$GLOBALS['wp_locale'] = new WP_Locale();
}

$handoff_sandbox_result = wp_install(
	$handoff_sandbox_settings['title'],
	$handoff_sandbox_settings['admin_login'],
	$handoff_sandbox_settings['admin_email'],
	false, // Search engines discouraged (blog_public 0), as on a site in development.
	'',
	wp_slash( $handoff_sandbox_settings['admin_password'] ),
	$handoff_sandbox_language
);

echo wp_json_encode( array( 'user_id' => (int) $handoff_sandbox_result['user_id'] ) );
