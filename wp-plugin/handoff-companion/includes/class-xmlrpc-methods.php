<?php
/**
 * XML-RPC methods of the bridge: handoff.status, handoff.inventory, handoff.health,
 * handoff.menuProfile.* and handoff.handbook.*.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use IXR_Error;
use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * The same services as the REST routes, for hosts that strip the Authorization header
 * or close /wp-json/: credentials travel in the request body. Writes take their
 * idempotency key (Idempotency) as an optional last argument.
 */
final class Xmlrpc_Methods {

	/**
	 * Adds the methods (xmlrpc_methods filter).
	 *
	 * @param array<string, callable> $methods Methods WordPress serves.
	 * @return array<string, callable>
	 */
	public static function register( $methods ) {
		$methods                                 = (array) $methods;
		$methods['handoff.status']               = array( self::class, 'status' );
		$methods['handoff.inventory']            = array( self::class, 'inventory' );
		$methods['handoff.health']               = array( self::class, 'health' );
		$methods['handoff.disconnect']           = array( self::class, 'disconnect' );
		$methods['handoff.menuProfile.get']      = array( self::class, 'menu_profile_get' );
		$methods['handoff.menuProfile.put']      = array( self::class, 'menu_profile_put' );
		$methods['handoff.menuProfile.rollback'] = array( self::class, 'menu_profile_rollback' );
		$methods['handoff.menuProfile.delete']   = array( self::class, 'menu_profile_delete' );
		$methods['handoff.handbook.publish']     = array( self::class, 'handbook_publish' );
		$methods['handoff.handbook.status']      = array( self::class, 'handbook_status' );
		$methods['handoff.handbook.unpublish']   = array( self::class, 'handbook_unpublish' );
		return $methods;
	}

	/**
	 * Method handoff.status( username, password ).
	 *
	 * @param array<int, mixed> $args Username and password.
	 * @return array<string, mixed>|IXR_Error
	 */
	public static function status( $args ) {
		$denied = self::authenticate( $args );
		return $denied ? $denied : Status::build( 'xmlrpc' );
	}

	/**
	 * Method handoff.inventory( username, password ). Building it runs other plugins' menu
	 * code (Admin_Menu_Snapshot), so a request with a query string, form fields or uploads is
	 * refused first: XML-RPC sends none, but an XML body sent as a form lands in $_POST (a
	 * CDATA section can carry `&default_role=administrator&`).
	 *
	 * @param array<int, mixed> $args Username and password.
	 * @return array<string, mixed>|IXR_Error
	 */
	public static function inventory( $args ) {
		$denied = self::authenticate( $args );
		if ( $denied ) {
			return $denied;
		}
		$refusal = Input_Allowlist::refusal( array(), Input_Allowlist::ANY_BODY );
		return $refusal ? self::fault( $refusal ) : Inventory::build();
	}

	/**
	 * Method handoff.health( username, password ): the REST answer; `handbook.first_view`
	 * is a struct even when empty.
	 *
	 * @param array<int, mixed> $args Username and password.
	 * @return array<string, mixed>|IXR_Error
	 */
	public static function health( $args ) {
		$denied = self::authenticate( $args );
		return $denied ? $denied : Health::build();
	}

	/**
	 * Method handoff.disconnect( username, password ): the backend revokes its own access.
	 *
	 * @param array<int, mixed> $args Username and password.
	 * @return array<string, mixed>|IXR_Error
	 */
	public static function disconnect( $args ) {
		$denied = self::authenticate( $args );
		return $denied ? $denied : ( new Bridge_Connection() )->revoke_own_access();
	}

	/**
	 * Method handoff.menuProfile.get( username, password ): the REST answer. The profile
	 * is a struct: its objects are sent as structs even when empty, its lists as arrays.
	 *
	 * @param array<int, mixed> $args Username and password.
	 * @return array<string, mixed>|IXR_Error
	 */
	public static function menu_profile_get( $args ) {
		$denied = self::authenticate( $args );
		return $denied ? $denied : Menu_Profile_Api::get();
	}

	/**
	 * Method handoff.menuProfile.put( username, password, profile_json, replaces_version[, idempotency_key] ).
	 *
	 * @param array<int, mixed> $args Username, password, the profile as JSON text, the version it replaces, the key.
	 * @return array<string, mixed>|IXR_Error
	 */
	public static function menu_profile_put( $args ) {
		$denied = self::authenticate( $args );
		if ( $denied ) {
			return $denied;
		}
		$profile = $args[2] ?? null;
		if ( null !== $profile && ! is_string( $profile ) ) {
			return self::fault(
				Menu_Profile_Api::invalid(
					array(
						array(
							'path'    => 'profile',
							'message' => 'must be JSON text (a string), so that {} and [] survive XML-RPC',
						),
					)
				)
			);
		}
		return self::answer( Menu_Profile_Api::put( $profile, $args[3] ?? null, $args[4] ?? null ) );
	}

	/**
	 * Method handoff.menuProfile.rollback( username, password, to_version, replaces_version[, idempotency_key] ).
	 *
	 * @param array<int, mixed> $args Username, password, the history version (0: the newest), the version it replaces, the key.
	 * @return array<string, mixed>|IXR_Error
	 */
	public static function menu_profile_rollback( $args ) {
		$denied = self::authenticate( $args );
		return $denied ? $denied : self::answer( Menu_Profile_Api::rollback( $args[2] ?? null, $args[3] ?? null, $args[4] ?? null ) );
	}

	/**
	 * Method handoff.menuProfile.delete( username, password, replaces_version[, idempotency_key] ).
	 *
	 * @param array<int, mixed> $args Username, password, the version it replaces, the key.
	 * @return array<string, mixed>|IXR_Error
	 */
	public static function menu_profile_delete( $args ) {
		$denied = self::authenticate( $args );
		return $denied ? $denied : self::answer( Menu_Profile_Api::delete( $args[2] ?? null, $args[3] ?? null ) );
	}

	/**
	 * Method handoff.handbook.publish( username, password, handbook_json[, idempotency_key] ):
	 * the PUT body `{"title", "language", "html", "hash"}` as JSON text.
	 *
	 * @param array<int, mixed> $args Username, password, the handbook as JSON text, the key.
	 * @return array<string, mixed>|IXR_Error
	 */
	public static function handbook_publish( $args ) {
		$denied = self::authenticate( $args );
		if ( $denied ) {
			return $denied;
		}
		$handbook = $args[2] ?? null;
		if ( ! is_string( $handbook ) ) {
			return self::fault(
				Handbook_Api::invalid(
					array(
						array(
							'path'    => '',
							'message' => null === $handbook ? 'the handbook is required, as JSON text' : 'the handbook must be JSON text (a string)',
						),
					)
				)
			);
		}
		return self::answer( Handbook_Api::publish( $handbook, $args[3] ?? null ) );
	}

	/**
	 * Method handoff.handbook.status( username, password ): the REST GET answer;
	 * `first_view` is a struct even when empty.
	 *
	 * @param array<int, mixed> $args Username and password.
	 * @return array<string, mixed>|IXR_Error
	 */
	public static function handbook_status( $args ) {
		$denied = self::authenticate( $args );
		return $denied ? $denied : Handbook_Api::status();
	}

	/**
	 * Method handoff.handbook.unpublish( username, password[, idempotency_key] ).
	 *
	 * @param array<int, mixed> $args Username, password, the key.
	 * @return array<string, mixed>|IXR_Error
	 */
	public static function handbook_unpublish( $args ) {
		$denied = self::authenticate( $args );
		return $denied ? $denied : self::answer( Handbook_Api::unpublish( $args[2] ?? null ) );
	}

	/**
	 * A service's answer, or its error as a fault.
	 *
	 * @param array<string, mixed>|WP_Error $result The answer.
	 * @return array<string, mixed>|IXR_Error
	 */
	private static function answer( $result ) {
		return $result instanceof WP_Error ? self::fault( $result ) : $result;
	}

	/**
	 * A service error as a fault: the HTTP status as the fault code, the error code as the
	 * prefix of the fault string. `handoff_invalid_profile: menu/3/state: …; …` lists the
	 * errors; `handoff_version_conflict: The menu profile on the site is version N, not M: …`
	 * names the site's version first.
	 *
	 * @param WP_Error $error The error.
	 */
	private static function fault( WP_Error $error ): IXR_Error {
		$data   = (array) $error->get_error_data();
		$detail = $error->get_error_message();
		if ( ! empty( $data['errors'] ) && is_array( $data['errors'] ) ) {
			$parts = array();
			foreach ( $data['errors'] as $item ) {
				$parts[] = ( '' === $item['path'] ? '' : $item['path'] . ': ' ) . $item['message'];
			}
			$detail = implode( '; ', $parts );
		}
		return new IXR_Error( (int) ( $data['status'] ?? 500 ), $error->get_error_code() . ': ' . $detail );
	}

	/**
	 * Signs the caller in; returns the fault to send, or null when allowed.
	 *
	 * @param mixed $args The method's parameters.
	 */
	private static function authenticate( $args ): ?IXR_Error {
		global $wp_xmlrpc_server;
		if ( ! is_array( $args ) || ! isset( $args[0], $args[1] ) || ! is_string( $args[0] ) || ! is_string( $args[1] ) ) {
			return new IXR_Error( 400, 'handoff_bad_request: expected [username, password].' );
		}
		$wp_xmlrpc_server->escape( $args );
		$user = $wp_xmlrpc_server->login( $args[0], $args[1] );
		if ( ! $user ) {
			return $wp_xmlrpc_server->error;
		}
		$allowed = Bridge_Access::check();
		if ( is_wp_error( $allowed ) ) {
			return new IXR_Error( 403, $allowed->get_error_code() . ': ' . $allowed->get_error_message() );
		}
		return null;
	}
}
