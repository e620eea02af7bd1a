<?php
/**
 * Seeds the freshly installed sandbox: the client's account, the theme, the plugins.
 *
 * Usage: php seed.php WORDPRESS_DIR HOST:PORT < {"admin_login", "users": [{"login",
 * "email", "password", "role", "display_name"}], "theme", "plugins": ["dir/file.php"]} as JSON.
 *
 * @package Handoff
 */

// Sets up $_SERVER for the sandbox's host and reads the WordPress directory from argv.
require __DIR__ . '/cli-bootstrap.php';

$handoff_sandbox_settings = json_decode( (string) stream_get_contents( STDIN ), true );

require $handoff_sandbox_wordpress . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

/**
 * Stops the script with a message on stderr and exit code 4.
 *
 * @param string $message What failed.
 */
function handoff_sandbox_fail( $message ) {
	fwrite( STDERR, $message . "\n" );
	exit( 4 );
}

// Activation hooks may check capabilities; the developer (administrator) does this.
wp_set_current_user( get_user_by( 'login', $handoff_sandbox_settings['admin_login'] )->ID );

foreach ( $handoff_sandbox_settings['users'] as $handoff_sandbox_user ) {
	$handoff_sandbox_id = wp_insert_user(
		array(
			'user_login'   => $handoff_sandbox_user['login'],
			'user_email'   => $handoff_sandbox_user['email'],
			'user_pass'    => $handoff_sandbox_user['password'],
			'role'         => $handoff_sandbox_user['role'],
			'display_name' => $handoff_sandbox_user['display_name'],
		)
	);
	if ( is_wp_error( $handoff_sandbox_id ) ) {
		handoff_sandbox_fail( "Could not create user {$handoff_sandbox_user['login']}: " . $handoff_sandbox_id->get_error_message() );
	}
}

if ( get_stylesheet() !== $handoff_sandbox_settings['theme'] ) {
	if ( ! wp_get_theme( $handoff_sandbox_settings['theme'] )->exists() ) {
		handoff_sandbox_fail( "Theme {$handoff_sandbox_settings['theme']} is not installed." );
	}
	switch_theme( $handoff_sandbox_settings['theme'] );
}

foreach ( $handoff_sandbox_settings['plugins'] as $handoff_sandbox_plugin ) {
	$handoff_sandbox_activated = activate_plugin( $handoff_sandbox_plugin );
	if ( is_wp_error( $handoff_sandbox_activated ) ) {
		handoff_sandbox_fail( "Could not activate {$handoff_sandbox_plugin}: " . $handoff_sandbox_activated->get_error_message() );
	}
}
