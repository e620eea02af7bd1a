<?php
/**
 * Whether a menu profile may be stored on this site.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use stdClass;
use WP_User;

defined( 'ABSPATH' ) || exit;

/**
 * The schema (schema/menu-profile.schema.json, read only when a profile is validated)
 * and the rules a schema cannot express: no slug twice, roles and users that exist here,
 * never the bridge user, never every administrator, never index.php or profile.php
 * denied. The 64 KiB limit is checked by the caller first (it answers 413, not 400).
 */
final class Menu_Profile_Validator {

	/**
	 * The largest profile accepted, in bytes of canonical JSON.
	 */
	public const MAX_BYTES = 65536;

	/**
	 * Screens that can be hidden but never denied: WordPress sends users there after
	 * login and for their password.
	 */
	public const NEVER_DENIED = array( 'index.php', 'profile.php' );

	/**
	 * Validates a profile.
	 *
	 * @param mixed $profile The profile, decoded with json_decode( $json, false ).
	 * @return array{errors: array<int, array{path: string, message: string}>, warnings: array<int, array{path: string, message: string}>}
	 */
	public function validate( $profile ): array {
		$errors = self::schema()->validate( $profile );
		if ( $errors || ! $profile instanceof stdClass ) {
			return array(
				'errors'   => $errors,
				'warnings' => array(),
			);
		}
		$data     = json_decode( (string) wp_json_encode( $profile ), true );
		$errors   = array_merge(
			$this->duplicates( $data ),
			$this->never_denied( $data ),
			$this->roles( $data ),
			$this->users( $data )
		);
		$warnings = $this->warnings( $data );
		if ( ! $errors ) {
			$errors = $this->lockout( $data );
		}
		return array(
			'errors'   => $errors,
			'warnings' => $warnings,
		);
	}

	/**
	 * The size that counts against MAX_BYTES: bytes of the canonical JSON.
	 *
	 * @param mixed $profile The profile, decoded with json_decode( $json, false ).
	 */
	public static function size( $profile ): int {
		return strlen( Menu_Profile_Store::canonical_json( $profile ) );
	}

	/**
	 * The shipped schema's validator.
	 */
	private static function schema(): Schema_Validator {
		return Schema_Validator::from_file( HANDOFF_COMPANION_DIR . '/schema/menu-profile.schema.json' );
	}

	/**
	 * A top-level slug twice, or a submenu slug twice under one parent.
	 *
	 * @param array<string, mixed> $data The profile as associative arrays.
	 * @return array<int, array{path: string, message: string}>
	 */
	private function duplicates( array $data ): array {
		$errors = self::duplicates_in( $data['menu'], 'menu' );
		foreach ( $data['menu'] as $index => $item ) {
			if ( isset( $item['children'] ) ) {
				$errors = array_merge( $errors, self::duplicates_in( $item['children'], "menu/$index/children" ) );
			}
		}
		return $errors;
	}

	/**
	 * Slugs named twice in one list of items.
	 *
	 * @param array<int, array<string, mixed>> $items Items with a slug.
	 * @param string                           $path  Where the list is.
	 * @return array<int, array{path: string, message: string}>
	 */
	private static function duplicates_in( array $items, string $path ): array {
		$errors = array();
		$seen   = array();
		foreach ( $items as $index => $item ) {
			$slug = $item['slug'];
			if ( isset( $seen[ $slug ] ) ) {
				$errors[] = self::error( "$path/$index/slug", sprintf( '%s is already listed at %s/%d', $slug, $path, $seen[ $slug ] ) );
			} else {
				$seen[ $slug ] = $index;
			}
		}
		return $errors;
	}

	/**
	 * The Dashboard and the user's own profile denied.
	 *
	 * @param array<string, mixed> $data The profile as associative arrays.
	 * @return array<int, array{path: string, message: string}>
	 */
	private function never_denied( array $data ): array {
		$errors = array();
		foreach ( $data['menu'] as $index => $item ) {
			$items = array( "menu/$index" => $item );
			foreach ( $item['children'] ?? array() as $child_index => $child ) {
				$items[ "menu/$index/children/$child_index" ] = $child;
			}
			foreach ( $items as $path => $entry ) {
				if ( 'denied' === $entry['state'] && in_array( $entry['slug'], self::NEVER_DENIED, true ) ) {
					$errors[] = self::error( "$path/state", sprintf( '%s can be hidden but never denied: WordPress sends users there after login and for their password', $entry['slug'] ) );
				}
			}
		}
		return $errors;
	}

	/**
	 * Targeted roles that do not exist here, and the bridge role.
	 *
	 * @param array<string, mixed> $data The profile as associative arrays.
	 * @return array<int, array{path: string, message: string}>
	 */
	private function roles( array $data ): array {
		$errors = array();
		foreach ( $data['targets']['roles'] ?? array() as $index => $role ) {
			if ( Capabilities::BRIDGE_ROLE === $role ) {
				$errors[] = self::error( "targets/roles/$index", 'the Handoff bridge role cannot be targeted' );
			} elseif ( ! wp_roles()->is_role( $role ) ) {
				$errors[] = self::error( "targets/roles/$index", sprintf( 'there is no role %s on this site', $role ) );
			}
		}
		return $errors;
	}

	/**
	 * Targeted or exempt users that do not exist here (logins compare exactly), and the
	 * bridge user targeted.
	 *
	 * @param array<string, mixed> $data The profile as associative arrays.
	 * @return array<int, array{path: string, message: string}>
	 */
	private function users( array $data ): array {
		$lists = array(
			'targets/users' => $data['targets']['users'] ?? array(),
			'exempt_users'  => $data['exempt_users'] ?? array(),
		);
		$found = self::users_by_login( array_merge( ...array_values( $lists ) ) );
		$lower = array();
		foreach ( $found as $login => $user ) {
			$lower[ strtolower( $login ) ] = $login;
		}
		$errors = array();
		foreach ( $lists as $path => $logins ) {
			foreach ( $logins as $index => $login ) {
				if ( ! isset( $found[ $login ] ) ) {
					$similar  = $lower[ strtolower( $login ) ] ?? '';
					$errors[] = self::error( "$path/$index", sprintf( 'there is no user %s on this site%s', $login, '' === $similar ? '' : sprintf( ' (logins are case-sensitive here: did you mean %s?)', $similar ) ) );
				} elseif ( 'targets/users' === $path && in_array( Capabilities::BRIDGE_ROLE, (array) $found[ $login ]->roles, true ) ) {
					$errors[] = self::error( "$path/$index", sprintf( '%s is the Handoff bridge user, which cannot be targeted', $login ) );
				}
			}
		}
		return $errors;
	}

	/**
	 * A profile that would restrict every administrator of the site locks everyone out of
	 * the screens it denies: at least one administrator must stay unrestricted.
	 *
	 * @param array<string, mixed> $data The profile as associative arrays.
	 * @return array<int, array{path: string, message: string}>
	 */
	private function lockout( array $data ): array {
		$admins = get_users( array( 'role' => 'administrator' ) );
		if ( ! $admins ) {
			return array();
		}
		$logins = array();
		foreach ( $admins as $admin ) {
			if ( ! Menu_Profile_Targets::restricts( $data, $admin ) ) {
				return array();
			}
			$logins[] = $admin->user_login;
		}
		return array(
			self::error(
				'exempt_users',
				sprintf( 'this profile would restrict every administrator of the site (%s): exempt at least one, usually your own account', implode( ', ', $logins ) )
			),
		);
	}

	/**
	 * What is allowed but probably not meant.
	 *
	 * @param array<string, mixed> $data The profile as associative arrays.
	 * @return array<int, array{path: string, message: string}>
	 */
	private function warnings( array $data ): array {
		$warnings = array();
		$exempt   = $data['exempt_users'] ?? array();
		foreach ( $data['targets']['users'] ?? array() as $index => $login ) {
			if ( in_array( $login, $exempt, true ) ) {
				$warnings[] = self::error( "targets/users/$index", sprintf( '%s is also in exempt_users, so it is never restricted', $login ) );
			}
		}
		$slugs = array_column( $data['menu'], 'slug' );
		foreach ( $data['custom_links'] ?? array() as $index => $link ) {
			if ( isset( $link['after'] ) && ! in_array( $link['after'], $slugs, true ) ) {
				$warnings[] = self::error( "custom_links/$index/after", sprintf( '%s is not an item of this profile: the link goes at the end unless the site shows such an item', $link['after'] ) );
			}
		}
		return $warnings;
	}

	/**
	 * The site's users with these logins, by exact login.
	 *
	 * @param string[] $logins Logins.
	 * @return array<string, WP_User>
	 */
	private static function users_by_login( array $logins ): array {
		$logins = array_values( array_unique( $logins ) );
		if ( ! $logins ) {
			return array();
		}
		$users = array();
		foreach ( get_users( array( 'login__in' => $logins ) ) as $user ) {
			$users[ $user->user_login ] = $user;
		}
		return $users;
	}

	/**
	 * One error or warning.
	 *
	 * @param string $path    Where.
	 * @param string $message What.
	 * @return array{path: string, message: string}
	 */
	private static function error( string $path, string $message ): array {
		return array(
			'path'    => $path,
			'message' => $message,
		);
	}
}
