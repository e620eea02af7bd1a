<?php
/**
 * The small status document (`GET /status`, `handoff.status`).
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

defined( 'ABSPATH' ) || exit;

/**
 * Versions, URLs, the site's clock and who is asking: enough for the backend to diagnose
 * a connection without reading the whole inventory.
 */
final class Status {

	/**
	 * Builds the status document.
	 *
	 * @param string $transport `rest` or `xmlrpc`: the door the request came through.
	 * @return array<string, mixed>
	 */
	public static function build( string $transport ): array {
		$user = wp_get_current_user();
		return array(
			'plugin_version'    => HANDOFF_COMPANION_VERSION,
			'wordpress_version' => (string) get_bloginfo( 'version' ),
			'php_version'       => PHP_VERSION,
			'home_url'          => home_url(),
			'site_url'          => site_url(),
			'rest_url'          => rest_url(),
			'admin_ajax_url'    => admin_url( 'admin-ajax.php' ),
			'environment_type'  => wp_get_environment_type(),
			'is_ssl'            => is_ssl(),
			'multisite'         => is_multisite(),
			'time'              => time(),
			'timezone'          => wp_timezone_string(),
			'user'              => array(
				'id'    => (int) $user->ID,
				'login' => (string) $user->user_login,
			),
			'transport'         => $transport,
		);
	}
}
