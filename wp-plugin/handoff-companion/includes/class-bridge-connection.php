<?php
/**
 * The bridge user, its Application Password and the connection key.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use WP_Application_Passwords;
use WP_Error;
use WP_Session_Tokens;
use WP_User;

defined( 'ABSPATH' ) || exit;

/**
 * Connect, rotate and disconnect the backend. Callers check capabilities and nonces;
 * this class checks `create_users` again so no path reaches it without rights.
 */
final class Bridge_Connection {

	public const LOGIN = 'handoff-bridge';

	/**
	 * Creates (or reuses) the bridge user, revokes its old Application Passwords, creates
	 * a new one and returns the connection key built from it. A reused bridge user is taken
	 * back first (reset_account()): rotating the key leaves a leaked one nothing.
	 *
	 * @return array{key: string, user_login: string}|WP_Error
	 */
	public function connect() {
		if ( ! current_user_can( 'create_users' ) ) {
			return new WP_Error( 'handoff_cannot_connect', __( 'Only an administrator can connect this site to Handoff.', 'handoff-companion' ) );
		}
		if ( ! wp_is_application_passwords_supported() ) {
			return new WP_Error(
				'handoff_application_passwords_unsupported',
				__( 'WordPress only allows Application Passwords over HTTPS. Open this screen over https:// (or set WP_ENVIRONMENT_TYPE to "local" on a development copy) and connect again.', 'handoff-companion' )
			);
		}
		$disabled = new WP_Error(
			'handoff_application_passwords_disabled',
			__( 'Application Passwords are turned off on this site, often by a security plugin. Allow them for the "handoff-bridge" user and connect again.', 'handoff-companion' )
		);
		if ( ! wp_is_application_passwords_available() ) {
			return $disabled;
		}
		Capabilities::install();
		$user    = $this->bridge_user();
		$created = false;
		if ( $user ) {
			$reset = $this->reset_account( $user );
			if ( is_wp_error( $reset ) ) {
				return $reset;
			}
		} else {
			$user = $this->create_bridge_user();
			if ( is_wp_error( $user ) ) {
				return $user;
			}
			$created = true;
		}
		// A user created by this call is deleted again if it cannot get a password, so a
		// failed Connect leaves nothing behind.
		if ( ! wp_is_application_passwords_available_for_user( $user ) ) {
			$this->forget_new_user( $user, $created );
			return $disabled;
		}
		$this->revoke_passwords();
		$password = WP_Application_Passwords::create_new_application_password( $user->ID, array( 'name' => Options::APP_PASSWORD_NAME ) );
		if ( is_wp_error( $password ) ) {
			$this->forget_new_user( $user, $created );
			return $password;
		}
		update_option(
			Options::CONNECTION,
			array(
				'user_id'      => $user->ID,
				'connected_at' => time(),
				'connected_by' => get_current_user_id(),
			),
			false
		);
		return array(
			'key'        => self::encode_key( $user->user_login, $password[0] ),
			'user_login' => $user->user_login,
		);
	}

	/**
	 * Revokes every Application Password of the bridge user and deletes the user.
	 *
	 * @return true|WP_Error
	 */
	public function disconnect() {
		if ( ! current_user_can( 'delete_users' ) ) {
			return new WP_Error( 'handoff_cannot_disconnect', __( 'Only an administrator can disconnect this site from Handoff.', 'handoff-companion' ) );
		}
		$user = $this->bridge_user();
		$this->revoke_passwords();
		if ( $user ) {
			require_once ABSPATH . 'wp-admin/includes/user.php';
			wp_delete_user( $user->ID );
		}
		delete_option( Options::CONNECTION );
		return true;
	}

	/**
	 * Revokes the bridge user's Application Passwords and takes back everything else a
	 * leaked key could have changed (reset_account()); the user stays (deactivation).
	 */
	public function revoke_all(): void {
		$user = $this->bridge_user();
		if ( $user ) {
			WP_Application_Passwords::delete_all_application_passwords( $user->ID );
			$this->reset_account( $user );
		}
	}

	/**
	 * Revokes the bridge user's Application Passwords; the user stays.
	 */
	public function revoke_passwords(): void {
		$user = $this->bridge_user();
		if ( $user ) {
			WP_Application_Passwords::delete_all_application_passwords( $user->ID );
		}
	}

	/**
	 * Revokes the Application Passwords of the user making this request, who must be the
	 * bridge user (the caller checked `handoff_bridge_access`); answers what was done.
	 *
	 * @return array{revoked: int}
	 */
	public function revoke_own_access(): array {
		$user = wp_get_current_user();
		if ( ! $user->exists() || ! in_array( Capabilities::BRIDGE_ROLE, (array) $user->roles, true ) ) {
			return array( 'revoked' => 0 );
		}
		$count = count( WP_Application_Passwords::get_user_application_passwords( $user->ID ) );
		WP_Application_Passwords::delete_all_application_passwords( $user->ID );
		$this->reset_account( $user );
		return array( 'revoked' => $count );
	}

	/**
	 * Whether a bridge user exists and has an Application Password.
	 */
	public function is_connected(): bool {
		return null !== $this->password_details();
	}

	/**
	 * The bridge user's Application Password record (created, last_used, last_ip), if any.
	 *
	 * @return array<string, mixed>|null
	 */
	public function password_details(): ?array {
		$user = $this->bridge_user();
		if ( ! $user ) {
			return null;
		}
		$passwords = WP_Application_Passwords::get_user_application_passwords( $user->ID );
		return $passwords ? end( $passwords ) : null;
	}

	/**
	 * The bridge user recorded at connect time, if it still exists and still has the role.
	 */
	public function bridge_user(): ?WP_User {
		$connection = get_option( Options::CONNECTION );
		if ( ! is_array( $connection ) || empty( $connection['user_id'] ) ) {
			return null;
		}
		$user = get_user_by( 'id', (int) $connection['user_id'] );
		if ( ! $user || ! in_array( Capabilities::BRIDGE_ROLE, (array) $user->roles, true ) ) {
			return null;
		}
		return $user;
	}

	/**
	 * Builds `handoff1.` + base64url(JSON) as described in docs/bridge-protocol.md.
	 *
	 * @param string $login    The bridge user's login.
	 * @param string $password The Application Password, as WordPress returned it.
	 */
	public static function encode_key( string $login, string $password ): string {
		$url     = home_url();
		$payload = array(
			'v'        => 1,
			'url'      => $url,
			'rest'     => rest_url(),
			'xmlrpc'   => site_url( 'xmlrpc.php' ),
			'user'     => $login,
			'password' => $password,
			'env'      => wp_get_environment_type(),
			'check'    => substr( hash( 'sha256', $url . "\n" . $login . "\n" . $password ), 0, 8 ),
		);
		$json = wp_json_encode( $payload, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
		return 'handoff1.' . rtrim( strtr( base64_encode( $json ), '+/', '-_' ), '=' ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions -- encoding, not obfuscation.
	}

	/**
	 * Deletes a bridge user this very call created (nothing for an existing one).
	 *
	 * @param WP_User $user    The bridge user.
	 * @param bool    $created Whether connect() created it.
	 */
	private function forget_new_user( WP_User $user, bool $created ): void {
		if ( $created ) {
			require_once ABSPATH . 'wp-admin/includes/user.php';
			wp_delete_user( $user->ID );
		}
	}

	/**
	 * Creates the bridge user with a random login password nobody knows: it can only
	 * authenticate with the Application Password.
	 *
	 * @return WP_User|WP_Error
	 */
	private function create_bridge_user() {
		$login = self::LOGIN;
		for ( $suffix = 2; username_exists( $login ); $suffix++ ) {
			$login = self::LOGIN . '-' . $suffix;
		}
		$id = wp_insert_user(
			array_merge(
				self::profile( $login ),
				array(
					'user_login' => $login,
					'user_pass'  => self::unknown_password(),
					'role'       => Capabilities::BRIDGE_ROLE,
				)
			)
		);
		if ( is_wp_error( $id ) ) {
			return $id;
		}
		return get_user_by( 'id', $id );
	}

	/**
	 * Takes the bridge user back from whoever held its key: a new random login password
	 * (which also voids any pending password reset link), its own e-mail and profile again,
	 * no pending e-mail change and no session. WordPress sends no mail about any of it: the
	 * e-mail it would write to may be the attacker's.
	 *
	 * @param WP_User $user The bridge user.
	 * @return true|WP_Error
	 */
	private function reset_account( WP_User $user ) {
		wp_set_password( self::unknown_password(), $user->ID );
		add_filter( 'send_email_change_email', array( self::class, 'send_no_mail' ), PHP_INT_MAX );
		add_filter( 'send_password_change_email', array( self::class, 'send_no_mail' ), PHP_INT_MAX );
		$updated = wp_update_user( array_merge( array( 'ID' => $user->ID ), self::profile( $user->user_login ) ) );
		remove_filter( 'send_email_change_email', array( self::class, 'send_no_mail' ), PHP_INT_MAX );
		remove_filter( 'send_password_change_email', array( self::class, 'send_no_mail' ), PHP_INT_MAX );
		delete_user_meta( $user->ID, '_new_email' );
		WP_Session_Tokens::get_instance( $user->ID )->destroy_all();
		return is_wp_error( $updated ) ? $updated : true;
	}

	/**
	 * No notification mail (send_email_change_email, send_password_change_email).
	 */
	public static function send_no_mail(): bool {
		return false;
	}

	/**
	 * The bridge user's e-mail, names and description, as Connect creates and restores them.
	 *
	 * @param string $login The bridge user's login.
	 * @return array<string, string>
	 */
	private static function profile( string $login ): array {
		return array(
			'user_email'   => $login . '@handoff.invalid',
			'display_name' => 'Handoff backend',
			'nickname'     => $login,
			'first_name'   => '',
			'last_name'    => '',
			'user_url'     => '',
			'description'  => __( 'Used by the developer\'s Handoff backend to read this site. Nobody knows its login password; it signs in only with an Application Password. Remove it with Settings → Handoff → Disconnect.', 'handoff-companion' ),
		);
	}

	/**
	 * A login password nobody knows.
	 */
	private static function unknown_password(): string {
		return wp_generate_password( 64, true, true );
	}
}
