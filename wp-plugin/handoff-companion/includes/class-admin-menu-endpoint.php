<?php
/**
 * The admin menu, read inside wp-admin: admin-ajax.php?action=handoff_admin_menu.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use WP_Error;
use WP_User;

defined( 'ABSPATH' ) || exit;

/**
 * Many plugins register their admin pages only when is_admin() is true (WooCommerce,
 * Yoast SEO and most others load their admin code that way), so a menu built during a
 * REST or XML-RPC request misses them. This endpoint builds it inside wp-admin, where
 * is_admin() is true and `admin_init` has run, exactly as a screen would.
 *
 * The bridge user signs in with its Application Password, sent either as HTTP Basic
 * auth or — for hosts that strip the Authorization header — as the POST fields `user`
 * and `password`. Only this action accepts Application Passwords in wp-admin.
 *
 * The snapshot runs other plugins' menu code with broad capabilities, so a request on this
 * action carrying anything else (a field, an upload, a body) is refused with 400
 * `handoff_unexpected_input` at the start of `admin_init`, before any other plugin's
 * admin_init handler sees it, and before it is signed in.
 */
final class Admin_Menu_Endpoint {

	public const ACTION = 'handoff_admin_menu';

	/**
	 * The only fields the backend sends (backend/handoff/wordpress/admin_menu.py): `action`
	 * in the query, `user` and `password` in a form body.
	 */
	public const ALLOWED_INPUT = array( 'action', 'user', 'password' );

	/**
	 * Hooks in, only on admin-ajax requests for this action.
	 */
	public static function add_hooks(): void {
		add_action( 'admin_init', array( self::class, 'refuse_unexpected_input' ), PHP_INT_MIN );
		add_filter( 'application_password_is_api_request', '__return_true' );
		add_filter( 'determine_current_user', array( self::class, 'authenticate_from_body' ), 30 );
		add_action( 'wp_ajax_' . self::ACTION, array( self::class, 'respond' ) );
		add_action( 'wp_ajax_nopriv_' . self::ACTION, array( self::class, 'respond' ) );
	}

	/**
	 * Whether this request is admin-ajax.php?action=handoff_admin_menu.
	 */
	public static function is_requested(): bool {
		// phpcs:ignore WordPress.Security.NonceVerification -- routing only; the request is authenticated by an Application Password.
		return wp_doing_ajax() && isset( $_REQUEST['action'] ) && self::ACTION === $_REQUEST['action'];
	}

	/**
	 * Signs in the bridge user from the POST fields when no other method did.
	 *
	 * @param int|false $user_id The user found so far.
	 * @return int|false
	 */
	public static function authenticate_from_body( $user_id ) {
		// phpcs:disable WordPress.Security.NonceVerification -- authenticated by an Application Password, not a session.
		if ( $user_id || ! isset( $_POST['user'], $_POST['password'] ) ) {
			return $user_id;
		}
		if ( ! is_string( $_POST['user'] ) || ! is_string( $_POST['password'] ) ) {
			return $user_id;
		}
		$login    = sanitize_user( wp_unslash( (string) $_POST['user'] ) );
		$password = preg_replace( '/[^A-Za-z0-9]/', '', wp_unslash( (string) $_POST['password'] ) );
		// phpcs:enable
		$user = wp_authenticate_application_password( null, $login, (string) $password );
		return $user instanceof WP_User ? $user->ID : $user_id;
	}

	/**
	 * Ends a request carrying more than ALLOWED_INPUT with the 400 answer (admin_init, first).
	 */
	public static function refuse_unexpected_input(): void {
		$refusal = Input_Allowlist::refusal( self::ALLOWED_INPUT, Input_Allowlist::FORM_FIELDS );
		if ( $refusal ) {
			nocache_headers();
			self::send_error( $refusal );
		}
	}

	/**
	 * Answers with the menu snapshot, or the protocol's 400/401/403 error.
	 */
	public static function respond(): void {
		nocache_headers();
		// Checked again here: another plugin may have removed the admin_init check.
		$refusal = Input_Allowlist::refusal( self::ALLOWED_INPUT, Input_Allowlist::FORM_FIELDS );
		if ( $refusal ) {
			self::send_error( $refusal );
		}
		$allowed = Bridge_Access::check();
		if ( is_wp_error( $allowed ) ) {
			self::send_error( $allowed );
		}
		wp_send_json( ( new Admin_Menu_Snapshot() )->take(), 200 );
	}

	/**
	 * Sends an error as the REST API would (code, message, data with the status) and ends.
	 *
	 * @param WP_Error $error The error; its data holds `status`.
	 */
	private static function send_error( WP_Error $error ): void {
		$data = (array) $error->get_error_data();
		wp_send_json(
			array(
				'code'    => $error->get_error_code(),
				'message' => $error->get_error_message(),
				'data'    => $data,
			),
			(int) $data['status']
		);
	}
}
