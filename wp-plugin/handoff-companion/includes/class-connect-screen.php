<?php
/**
 * Settings → Handoff: connect this site to the backend, rotate the key, disconnect.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * The only screen of the plugin for now. Administrators only; every action is a POST
 * with a nonce; the connection key is shown once, in the response to that POST, and
 * never stored in plain text.
 */
final class Connect_Screen {

	public const PAGE   = 'handoff-companion';
	public const NONCE  = 'handoff_companion_connect';
	public const ACTION = 'handoff_action';

	/**
	 * The hook suffix WordPress gave the screen.
	 *
	 * @var string
	 */
	private static string $hook = '';

	/**
	 * What the last POST produced: a key to show, a notice, or an error.
	 *
	 * @var array{key?: string, user_login?: string, notice?: string, error?: string}
	 */
	private static array $result = array();

	/**
	 * Adds the screen under Settings (admin_menu).
	 */
	public static function register(): void {
		$hook = add_options_page(
			__( 'Handoff', 'handoff-companion' ),
			__( 'Handoff', 'handoff-companion' ),
			'manage_options',
			self::PAGE,
			array( self::class, 'render' )
		);
		if ( $hook ) {
			self::$hook = $hook;
			add_action( 'load-' . $hook, array( self::class, 'handle_post' ) );
		}
	}

	/**
	 * Adds "Connect" to the plugin's row on the Plugins screen.
	 *
	 * @param array<string, string> $links Action links.
	 * @return array<string, string>
	 */
	public static function add_action_link( $links ) {
		$url = admin_url( 'options-general.php?page=' . self::PAGE );
		return array_merge(
			array( 'handoff-connect' => '<a href="' . esc_url( $url ) . '">' . esc_html__( 'Connect', 'handoff-companion' ) . '</a>' ),
			(array) $links
		);
	}

	/**
	 * Runs a Connect or Disconnect POST before the screen prints (load-{hook}).
	 */
	public static function handle_post(): void {
		nocache_headers();
		if ( ! headers_sent() ) {
			// The answer to Connect carries the key: no cache may keep it, not even history.
			header( 'Cache-Control: no-store, no-cache, must-revalidate, max-age=0' );
		}
		$method = isset( $_SERVER['REQUEST_METHOD'] ) ? sanitize_key( wp_unslash( $_SERVER['REQUEST_METHOD'] ) ) : '';
		if ( 'post' !== $method ) {
			return;
		}
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to connect this site to Handoff.', 'handoff-companion' ), 403 );
		}
		check_admin_referer( self::NONCE );
		$action = isset( $_POST[ self::ACTION ] ) ? sanitize_key( wp_unslash( $_POST[ self::ACTION ] ) ) : '';
		$bridge = new Bridge_Connection();
		if ( 'connect' === $action ) {
			$outcome = $bridge->connect();
			if ( is_wp_error( $outcome ) ) {
				self::$result = array( 'error' => $outcome->get_error_message() );
				return;
			}
			self::$result = $outcome;
			return;
		}
		if ( 'disconnect' === $action ) {
			if ( empty( $_POST['handoff_confirm'] ) ) {
				self::$result = array( 'error' => __( 'Tick the box to confirm, then press Disconnect again. Nothing was changed.', 'handoff-companion' ) );
				return;
			}
			$outcome      = $bridge->disconnect();
			self::$result = is_wp_error( $outcome )
				? array( 'error' => $outcome->get_error_message() )
				: array( 'notice' => __( 'Disconnected. The Handoff backend can no longer reach this site; its user and password are deleted.', 'handoff-companion' ) );
			return;
		}
		self::$result = array( 'error' => __( 'Unknown action; nothing was changed.', 'handoff-companion' ) );
	}

	/**
	 * Prints the screen.
	 */
	public static function render(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		$bridge = new Bridge_Connection();
		$view   = array(
			'page'        => self::PAGE,
			'nonce'       => self::NONCE,
			'action_name' => self::ACTION,
			'result'      => self::$result,
			'bridge_user' => $bridge->bridge_user(),
			'password'    => $bridge->password_details(),
			'supported'   => wp_is_application_passwords_supported(),
			'home_url'    => home_url(),
		);
		require HANDOFF_COMPANION_DIR . '/templates/connect-screen.php';
	}

	/**
	 * The error a failed action produced, if any (for tests and the template).
	 *
	 * @return WP_Error|null
	 */
	public static function last_error(): ?WP_Error {
		return isset( self::$result['error'] ) ? new WP_Error( 'handoff_connect_failed', self::$result['error'] ) : null;
	}

	/**
	 * Forgets the last POST's outcome (tests run several requests in one process).
	 */
	public static function reset(): void {
		self::$result = array();
	}
}
