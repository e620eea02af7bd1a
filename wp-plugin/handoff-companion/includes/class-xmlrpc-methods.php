<?php
/**
 * XML-RPC methods of the bridge: handoff.status and handoff.inventory.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use IXR_Error;

defined( 'ABSPATH' ) || exit;

/**
 * The same services as the REST routes, for hosts that strip the Authorization header
 * or close /wp-json/: credentials travel in the request body.
 */
final class Xmlrpc_Methods {

	/**
	 * Adds the methods (xmlrpc_methods filter).
	 *
	 * @param array<string, callable> $methods Methods WordPress serves.
	 * @return array<string, callable>
	 */
	public static function register( $methods ) {
		$methods                      = (array) $methods;
		$methods['handoff.status']    = array( self::class, 'status' );
		$methods['handoff.inventory'] = array( self::class, 'inventory' );
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
	 * Method handoff.inventory( username, password ).
	 *
	 * @param array<int, mixed> $args Username and password.
	 * @return array<string, mixed>|IXR_Error
	 */
	public static function inventory( $args ) {
		$denied = self::authenticate( $args );
		return $denied ? $denied : Inventory::build();
	}

	/**
	 * Signs the caller in; returns the fault to send, or null when allowed.
	 *
	 * @param mixed $args The method's parameters.
	 */
	private static function authenticate( $args ): ?IXR_Error {
		global $wp_xmlrpc_server;
		if ( ! is_array( $args ) || count( $args ) < 2 || ! is_string( $args[0] ) || ! is_string( $args[1] ) ) {
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
