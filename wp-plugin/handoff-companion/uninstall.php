<?php
/**
 * Removes exactly what Handoff Companion created: the bridge users and their Application
 * Passwords, the bridge role and capability, the plugin's options and its user meta.
 *
 * @package Handoff\Companion
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

require_once __DIR__ . '/includes/class-options.php';
require_once __DIR__ . '/includes/class-capabilities.php';
require_once ABSPATH . 'wp-admin/includes/user.php';

/**
 * Deletes the bridge users the Connect screen created (role `handoff_bridge` and an
 * address at handoff.invalid); a person who was given the role by hand keeps the account.
 */
function handoff_companion_delete_bridge_users() {
	$users = get_users(
		array(
			'role'   => Handoff\Companion\Capabilities::BRIDGE_ROLE,
			'fields' => array( 'ID', 'user_email' ),
		)
	);
	foreach ( $users as $user ) {
		if ( '@handoff.invalid' === substr( $user->user_email, -16 ) ) {
			WP_Application_Passwords::delete_all_application_passwords( (int) $user->ID );
			wp_delete_user( (int) $user->ID );
		}
	}
}

handoff_companion_delete_bridge_users();
Handoff\Companion\Capabilities::uninstall();
foreach ( Handoff\Companion\Options::all() as $handoff_companion_option ) {
	delete_option( $handoff_companion_option );
}
foreach ( Handoff\Companion\Options::user_meta() as $handoff_companion_meta_key ) {
	delete_metadata( 'user', 0, $handoff_companion_meta_key, '', true );
}
