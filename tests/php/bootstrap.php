<?php
/**
 * Loads the sandbox WordPress (with the companion plugin active) into the PHPUnit process.
 *
 * tests/php/run.sh starts the sandbox and sets HANDOFF_WP_DIR (its WordPress directory, with
 * wp-load.php and the sandbox's wp-config.php) and HANDOFF_WP_HOST (127.0.0.1:PORT).
 *
 * @package Handoff\Companion\Tests
 */

$handoff_tests_wp_dir = rtrim( (string) getenv( 'HANDOFF_WP_DIR' ), '/' );
if ( '' === $handoff_tests_wp_dir || ! is_file( $handoff_tests_wp_dir . '/wp-load.php' ) ) {
	fwrite(
		STDERR,
		'' === $handoff_tests_wp_dir
			? "HANDOFF_WP_DIR is not set. Run the suite with tests/php/run.sh, which starts a sandbox WordPress and sets it.\n"
			: "HANDOFF_WP_DIR={$handoff_tests_wp_dir} holds no wp-load.php. Run the suite with tests/php/run.sh.\n"
	);
	exit( 1 );
}
$handoff_tests_host = (string) getenv( 'HANDOFF_WP_HOST' );
if ( ! preg_match( '/^[A-Za-z0-9.-]+(:\d+)?$/', $handoff_tests_host ) ) {
	fwrite( STDERR, "HANDOFF_WP_HOST must be HOST:PORT of the sandbox (e.g. 127.0.0.1:8080). Run the suite with tests/php/run.sh.\n" );
	exit( 1 );
}

// WordPress builds URLs and cookies from these; php-cli sets none of them.
$_SERVER['HTTP_HOST']       = $handoff_tests_host;
$_SERVER['SERVER_NAME']     = preg_replace( '/:\d+$/', '', $handoff_tests_host );
$_SERVER['SERVER_PORT']     = preg_match( '/:(\d+)$/', $handoff_tests_host, $handoff_tests_match ) ? $handoff_tests_match[1] : '80';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['REQUEST_METHOD']  = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REMOTE_ADDR']     = '127.0.0.1';
$_SERVER['PHP_SELF']        = '/index.php';
unset( $_SERVER['HTTP_AUTHORIZATION'], $_SERVER['REDIRECT_HTTP_AUTHORIZATION'], $_SERVER['PHP_AUTH_USER'], $_SERVER['PHP_AUTH_PW'] );

// A fatal error is PHPUnit's to report, not an HTML page of WordPress's.
define( 'WP_DISABLE_FATAL_ERROR_HANDLER', true );

/*
 * PHPUnit includes this file from inside a method: the variables WordPress's files set at
 * file scope must be declared global here, or WordPress would not find them.
 */
// phpcs:ignore Squiz.PHP.GlobalKeyword -- WordPress expects these at global scope.
global $table_prefix, $wp_version, $wp_db_version, $tinymce_version, $required_php_version, $required_mysql_version, $wp_local_package, $blog_id, $wp_filter, $wpdb, $locale, $wp_actions, $wp_filters, $wp_current_filter, $allowedposttags, $allowedtags, $allowedentitynames, $allowedxmlentitynames, $shortcode_tags, $wp_registered_sidebars, $wp_registered_widgets, $wp_registered_widget_controls, $wp_registered_widget_updates, $_wp_sidebars_widgets, $block_core_latest_posts_excerpt_length, $pagenow, $is_lynx, $is_gecko, $is_winIE, $is_macIE, $is_opera, $is_NS4, $is_safari, $is_chrome, $is_iphone, $is_IE, $is_edge, $is_apache, $is_IIS, $is_iis7, $is_nginx, $wp_rewrite, $wp, $wp_query, $wp_the_query, $wp_roles, $wp_locale, $wp_embed, $wp_widget_factory, $current_user, $wp_theme_directories, $wp_plugin_paths;

require_once $handoff_tests_wp_dir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
require_once ABSPATH . 'wp-admin/includes/user.php';

if ( ! class_exists( 'Handoff\\Companion\\Plugin' ) || ! is_plugin_active( 'handoff-companion/handoff-companion.php' ) ) {
	fwrite( STDERR, "The Handoff Companion plugin is not active in {$handoff_tests_wp_dir}: the sandbox could not activate it (see `handoff sandbox start`).\n" );
	exit( 1 );
}

// Every test runs in a transaction that is rolled back: that needs transactional tables.
$handoff_tests_engine = $wpdb->get_var( $wpdb->prepare( 'SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s', $wpdb->users ) );
if ( 'InnoDB' !== $handoff_tests_engine ) {
	fwrite( STDERR, "The sandbox's table {$wpdb->users} uses the engine '{$handoff_tests_engine}', not InnoDB: tests could not be rolled back.\n" );
	exit( 1 );
}

require_once __DIR__ . '/includes/class-handoff-test-die.php';
require_once __DIR__ . '/includes/class-handoff-schema-validator.php';
require_once __DIR__ . '/includes/class-handoff-test-case.php';

unset( $handoff_tests_wp_dir, $handoff_tests_host, $handoff_tests_match, $handoff_tests_engine );
