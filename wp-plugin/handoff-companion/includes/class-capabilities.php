<?php
/**
 * The plugin's capability and the bridge role.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

defined( 'ABSPATH' ) || exit;

/**
 * The backend acts as a user whose role has `read` and `handoff_bridge_access`, nothing
 * else: it can never open wp-admin screens that matter, install code or promote itself.
 */
final class Capabilities {

	public const BRIDGE_CAP  = 'handoff_bridge_access';
	public const BRIDGE_ROLE = 'handoff_bridge';

	/**
	 * Creates the bridge role and grants the capability (activation hook).
	 */
	public static function install(): void {
		if ( ! get_role( self::BRIDGE_ROLE ) ) {
			add_role(
				self::BRIDGE_ROLE,
				'Handoff bridge',
				array(
					'read'           => true,
					self::BRIDGE_CAP => true,
				)
			);
		}
		foreach ( self::bridge_roles() as $role_name ) {
			$role = get_role( $role_name );
			if ( $role && ! $role->has_cap( self::BRIDGE_CAP ) ) {
				$role->add_cap( self::BRIDGE_CAP );
			}
		}
	}

	/**
	 * Removes the role and the capability from every role (uninstall).
	 */
	public static function uninstall(): void {
		foreach ( wp_roles()->role_objects as $role ) {
			if ( $role->has_cap( self::BRIDGE_CAP ) ) {
				$role->remove_cap( self::BRIDGE_CAP );
			}
		}
		remove_role( self::BRIDGE_ROLE );
	}

	/**
	 * Roles that get the bridge capability on activation.
	 *
	 * @return string[]
	 */
	public static function bridge_roles(): array {
		/**
		 * Filters the roles granted `handoff_bridge_access` when the plugin is activated.
		 *
		 * @param string[] $roles Role names. Default: the plugin's own bridge role.
		 */
		$roles = apply_filters( 'handoff_companion_bridge_roles', array( self::BRIDGE_ROLE ) );
		return array_values( array_filter( (array) $roles, 'is_string' ) );
	}
}
