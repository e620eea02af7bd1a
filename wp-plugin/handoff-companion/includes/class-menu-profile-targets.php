<?php
/**
 * Who a menu profile restricts.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use WP_User;

defined( 'ABSPATH' ) || exit;

/**
 * The profile's targeting rules, shared by the applier (is the current user restricted?)
 * and the validator (would every administrator be?). Safe mode is the applier's business.
 */
final class Menu_Profile_Targets {

	/**
	 * Whether a profile restricts a user: not exempt, not the bridge user (its role, or the
	 * bridge capability granted to any role — read from the roles' capabilities, never
	 * through current_user_can(), which the capability guard filters), not a network
	 * super admin; and named in `targets.users`, or holding targeted roles — every one of
	 * their roles (`combine: all_roles`, the default) or at least one (`any_role`). A user
	 * without any role on the site is matched by login only.
	 *
	 * @param array<string, mixed> $profile The profile, decoded as associative arrays.
	 * @param WP_User              $user    The user.
	 */
	public static function restricts( array $profile, WP_User $user ): bool {
		if ( ! $user->exists() ) {
			return false;
		}
		$login = (string) $user->user_login;
		$roles = array_values( array_filter( (array) $user->roles, 'is_string' ) );
		if ( in_array( $login, self::strings( $profile['exempt_users'] ?? array() ), true ) ) {
			return false;
		}
		if ( in_array( Capabilities::BRIDGE_ROLE, $roles, true ) || ! empty( $user->allcaps[ Capabilities::BRIDGE_CAP ] ) ) {
			return false;
		}
		if ( is_multisite() && is_super_admin( $user->ID ) ) {
			return false;
		}
		$targets = is_array( $profile['targets'] ?? null ) ? $profile['targets'] : array();
		if ( in_array( $login, self::strings( $targets['users'] ?? array() ), true ) ) {
			return true;
		}
		$targeted = self::strings( $targets['roles'] ?? array() );
		if ( ! $roles || ! $targeted ) {
			return false;
		}
		if ( 'any_role' === ( $profile['combine'] ?? 'all_roles' ) ) {
			return (bool) array_intersect( $roles, $targeted );
		}
		return ! array_diff( $roles, $targeted );
	}

	/**
	 * The strings of a list (anything else is left out).
	 *
	 * @param mixed $list A decoded JSON list.
	 * @return string[]
	 */
	private static function strings( $list ): array {
		return is_array( $list ) ? array_values( array_filter( $list, 'is_string' ) ) : array();
	}
}
