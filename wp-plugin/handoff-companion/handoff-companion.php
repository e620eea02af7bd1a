<?php
/**
 * Plugin Name:       Handoff Companion
 * Description:       Connects this site to the Handoff backend of the developer who built it: site inventory, a simplified admin menu and the client handbook.
 * Version:           0.2.0
 * Requires at least: 6.1
 * Requires PHP:      8.0
 * Author:            Handoff
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       handoff-companion
 * Domain Path:       /languages
 *
 * @package Handoff\Companion
 */

defined( 'ABSPATH' ) || exit;

define( 'HANDOFF_COMPANION_VERSION', '0.2.0' );
define( 'HANDOFF_COMPANION_FILE', __FILE__ );
define( 'HANDOFF_COMPANION_DIR', __DIR__ );
define( 'HANDOFF_COMPANION_MIN_WP', '6.1' );
define( 'HANDOFF_COMPANION_MIN_PHP', '8.0' );

if ( version_compare( PHP_VERSION, HANDOFF_COMPANION_MIN_PHP, '<' ) || version_compare( get_bloginfo( 'version' ), HANDOFF_COMPANION_MIN_WP, '<' ) ) {
	require_once __DIR__ . '/includes/requirements-notice.php';
	return;
}

spl_autoload_register(
	static function ( $class_name ) {
		$prefix = 'Handoff\\Companion\\';
		if ( 0 !== strpos( $class_name, $prefix ) ) {
			return;
		}
		$file = __DIR__ . '/includes/class-' . strtolower( str_replace( '_', '-', substr( $class_name, strlen( $prefix ) ) ) ) . '.php';
		if ( is_readable( $file ) ) {
			require $file;
		}
	}
);

register_activation_hook( __FILE__, array( 'Handoff\\Companion\\Capabilities', 'install' ) );
register_deactivation_hook( __FILE__, array( 'Handoff\\Companion\\Plugin', 'deactivate' ) );

Handoff\Companion\Plugin::add_hooks();
