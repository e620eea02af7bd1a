<?php
/**
 * Who may use the bridge.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * The one permission check behind every REST route and XML-RPC method.
 */
final class Bridge_Access {

	/**
	 * True for a user with `handoff_bridge_access`; otherwise the protocol's error:
	 * 401 `handoff_unauthenticated` (saying whether an Authorization header reached PHP,
	 * which tells a host that strips it from a wrong password) or 403 `handoff_forbidden`.
	 *
	 * @return true|WP_Error
	 */
	public static function check() {
		if ( ! is_user_logged_in() ) {
			return new WP_Error(
				'handoff_unauthenticated',
				__( 'Sign in with the Handoff bridge user\'s Application Password.', 'handoff-companion' ),
				array(
					'status'               => 401,
					'authorization_header' => self::authorization_header_arrived(),
				)
			);
		}
		if ( ! current_user_can( Capabilities::BRIDGE_CAP ) ) {
			return new WP_Error(
				'handoff_forbidden',
				__( 'This account may not use the Handoff bridge. Use the connection key from Settings → Handoff.', 'handoff-companion' ),
				array( 'status' => 403 )
			);
		}
		return true;
	}

	/**
	 * Whether any Authorization header (or PHP's parsed Basic credentials) reached PHP.
	 */
	private static function authorization_header_arrived(): bool {
		return ! empty( $_SERVER['HTTP_AUTHORIZATION'] )
			|| ! empty( $_SERVER['REDIRECT_HTTP_AUTHORIZATION'] )
			|| isset( $_SERVER['PHP_AUTH_USER'] );
	}
}
