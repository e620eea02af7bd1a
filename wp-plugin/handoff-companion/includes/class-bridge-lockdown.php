<?php
/**
 * The bridge user is a key, not an account.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use IXR_Error;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_User;

defined( 'ABSPATH' ) || exit;

/**
 * WordPress lets every user sign in with a login password, keep a session, reset a lost
 * password and edit their own account and Application Passwords. For the bridge user that
 * would turn a leaked connection key into an account of its own that outlives the key. So
 * the bridge user (the `handoff_bridge` role, read from the already loaded WP_User: no
 * query) is held to what the backend needs:
 *
 * - it signs in only with an Application Password: its login password is never checked,
 *   a session cookie makes nobody current, no password reset;
 * - it reaches only handoff/v1 REST routes, handoff.* XML-RPC methods and, in wp-admin,
 *   admin-ajax.php?action=handoff_admin_menu;
 * - it may not edit, delete or promote a user, nor touch an Application Password (the
 *   plugin's own DELETE /connection revokes through WP_Application_Passwords directly).
 *
 * The role, not `handoff_bridge_access`, marks the bridge user: the
 * `handoff_companion_bridge_roles` filter may grant that capability to other roles, whose
 * users are people with accounts. Plugin::add_hooks() registers the callbacks; the class
 * loads when the first of them runs.
 */
final class Bridge_Lockdown {

	/**
	 * Meta capabilities that change a user or its Application Passwords.
	 */
	private const OWN_ACCOUNT_CAPS = array(
		'edit_user'            => true,
		'delete_user'          => true,
		'promote_user'         => true,
		'create_app_password'  => true,
		'list_app_passwords'   => true,
		'read_app_password'    => true,
		'edit_app_password'    => true,
		'delete_app_passwords' => true,
		'delete_app_password'  => true,
	);

	/**
	 * Routes the bridge user may call: Rest_Controller::NAMESPACE (written out, so that
	 * checking a route loads no other class).
	 */
	private const REST_PREFIX = '/handoff/v1/';

	/**
	 * XML-RPC methods the bridge user may call (Xmlrpc_Methods).
	 */
	private const XMLRPC_PREFIX = 'handoff.';

	/**
	 * The user an Application Password signed in during this request, or during the
	 * current wp_authenticate() call (0: none).
	 *
	 * @var int
	 */
	private static int $application_password_user = 0;

	/**
	 * Whether `$user` is a bridge user.
	 *
	 * @param mixed $user A WP_User, or anything else (never a bridge user).
	 */
	public static function is_bridge_user( $user ): bool {
		return $user instanceof WP_User && in_array( Capabilities::BRIDGE_ROLE, (array) $user->roles, true );
	}

	/**
	 * A new wp_authenticate() call starts: no Application Password has signed anyone in for
	 * it yet (authenticate, first).
	 *
	 * @param mixed $user What the filter carries, passed on unchanged.
	 * @return mixed
	 */
	public static function forget_application_password( $user ) {
		self::$application_password_user = 0;
		return $user;
	}

	/**
	 * Remembers whom an Application Password signed in (application_password_did_authenticate).
	 *
	 * @param WP_User $user The user.
	 */
	public static function remember_application_password( $user ): void {
		self::$application_password_user = $user instanceof WP_User ? $user->ID : 0;
	}

	/**
	 * Refuses the bridge user's login password before WordPress checks it, so that neither a
	 * login nor a wrong guess ever tells anything about it (wp_authenticate_user, which
	 * WordPress runs for the login password only, by login or by e-mail). An Application
	 * Password still signs it in afterwards, where WordPress accepts one.
	 *
	 * @param WP_User|WP_Error $user     The user whose password is about to be checked.
	 * @param string           $password The password given.
	 * @return WP_User|WP_Error
	 */
	public static function refuse_login_password( $user, $password ) {
		unset( $password );
		return self::is_bridge_user( $user ) ? self::password_only_error() : $user;
	}

	/**
	 * The last word of wp_authenticate() (authenticate, last): the bridge user only when an
	 * Application Password signed it in during this call — whatever else any plugin accepts —
	 * and, in an XML-RPC request, only for a handoff.* method.
	 *
	 * @param WP_User|WP_Error|null $user What the authentication found.
	 * @return WP_User|WP_Error|null
	 */
	public static function check_authenticated( $user ) {
		if ( ! self::is_bridge_user( $user ) ) {
			return $user;
		}
		if ( self::$application_password_user !== $user->ID ) {
			return self::password_only_error();
		}
		if ( ! self::xmlrpc_method_allowed() ) {
			// WordPress's own fault would say the password is wrong; say what is refused.
			add_filter( 'xmlrpc_login_error', array( self::class, 'xmlrpc_login_error' ), 10, 2 );
			return new WP_Error( 'handoff_forbidden', __( 'The Handoff bridge user may only call the handoff.* methods.', 'handoff-companion' ) );
		}
		return $user;
	}

	/**
	 * The fault for a refused method: 403 `handoff_forbidden: …` (xmlrpc_login_error).
	 *
	 * @param IXR_Error $error The fault WordPress made.
	 * @param mixed     $user  Why the login failed.
	 * @return IXR_Error
	 */
	public static function xmlrpc_login_error( $error, $user ) {
		if ( $user instanceof WP_Error && 'handoff_forbidden' === $user->get_error_code() ) {
			return new IXR_Error( 403, 'handoff_forbidden: ' . $user->get_error_message() );
		}
		return $error;
	}

	/**
	 * The last word on the current user (determine_current_user, last): the bridge user only
	 * when an Application Password signed it in during this request — never a session
	 * cookie — and, in wp-admin, only for the admin menu action.
	 *
	 * @param int|false $user_id The user found so far.
	 * @return int|false
	 */
	public static function check_current_user( $user_id ) {
		if ( ! $user_id ) {
			return $user_id;
		}
		$user = get_userdata( (int) $user_id );
		if ( ! self::is_bridge_user( $user ) ) {
			return $user_id;
		}
		if ( self::$application_password_user !== $user->ID ) {
			return false;
		}
		if ( is_admin() && ! ( wp_doing_ajax() && Admin_Menu_Endpoint::is_requested() ) ) {
			return false;
		}
		return $user_id;
	}

	/**
	 * No password reset for the bridge user (allow_password_reset).
	 *
	 * @param bool $allow   Whether WordPress would allow it.
	 * @param int  $user_id The user.
	 */
	public static function allow_password_reset( $allow, $user_id ): bool {
		return self::is_bridge_user( get_userdata( (int) $user_id ) ) ? false : (bool) $allow;
	}

	/**
	 * The bridge user may not edit, delete or promote any user — itself included — nor list,
	 * create, read, edit or delete Application Passwords (map_meta_cap). For every other
	 * capability, and every other user, nothing changes; the user is the one WordPress is
	 * checking, already loaded.
	 *
	 * @param string[] $caps    The primitive capabilities required.
	 * @param string   $cap     The capability checked.
	 * @param int      $user_id The user.
	 * @param array    $args    The capability's arguments.
	 * @return string[]
	 */
	public static function map_meta_cap( $caps, $cap, $user_id, $args ) {
		unset( $args );
		if ( ! is_string( $cap ) || ! isset( self::OWN_ACCOUNT_CAPS[ $cap ] ) ) {
			return $caps;
		}
		return self::is_bridge_user( get_userdata( (int) $user_id ) ) ? array( 'do_not_allow' ) : $caps;
	}

	/**
	 * Refuses every route outside handoff/v1 to the bridge user, before WordPress routes the
	 * request (rest_pre_dispatch; it runs for each request of a batch too).
	 *
	 * @param mixed           $result  A response another filter made, or null.
	 * @param mixed           $server  The REST server.
	 * @param WP_REST_Request $request The request.
	 * @return mixed
	 */
	public static function rest_pre_dispatch( $result, $server, $request ) {
		unset( $server );
		$refusal = self::rest_refusal( $request );
		return $refusal ? rest_convert_error_to_response( $refusal ) : $result;
	}

	/**
	 * The same check again just before a route's own permission check and callback, which
	 * every path to a callback goes through (rest_request_before_callbacks).
	 *
	 * @param mixed           $response The response so far.
	 * @param array           $handler  The route's handler.
	 * @param WP_REST_Request $request  The request.
	 * @return mixed
	 */
	public static function rest_request_before_callbacks( $response, $handler, $request ) {
		unset( $handler );
		$refusal = self::rest_refusal( $request );
		return $refusal ? $refusal : $response;
	}

	/**
	 * The 403 for a bridge user calling a route outside handoff/v1; null otherwise.
	 *
	 * @param mixed $request The request.
	 */
	private static function rest_refusal( $request ): ?WP_Error {
		if ( ! $request instanceof WP_REST_Request || ! self::is_bridge_user( wp_get_current_user() ) ) {
			return null;
		}
		// WordPress matches routes case-insensitively; a path under the prefix can only
		// match routes of that namespace.
		if ( 0 === stripos( $request->get_route(), self::REST_PREFIX ) ) {
			return null;
		}
		return new WP_Error(
			'handoff_forbidden',
			__( 'The Handoff bridge user may only call the handoff/v1 routes.', 'handoff-companion' ),
			array( 'status' => 403 )
		);
	}

	/**
	 * Outside XML-RPC: true. In an XML-RPC request: whether the method being served (the one
	 * the request names; a multicall names none of its calls) is one of handoff.*.
	 */
	private static function xmlrpc_method_allowed(): bool {
		$server = $GLOBALS['wp_xmlrpc_server'] ?? null;
		$method = is_object( $server ) && isset( $server->message ) && is_object( $server->message ) && isset( $server->message->methodName )
			? $server->message->methodName
			: null;
		if ( null === $method && ! ( defined( 'XMLRPC_REQUEST' ) && XMLRPC_REQUEST ) ) {
			return true;
		}
		return is_string( $method ) && 0 === strpos( $method, self::XMLRPC_PREFIX );
	}

	/**
	 * The error for a bridge user signing in any other way than with its Application
	 * Password (shown on wp-login.php; XML-RPC answers its generic 403 fault).
	 */
	private static function password_only_error(): WP_Error {
		return new WP_Error(
			'handoff_application_password_only',
			__( '<strong>Error:</strong> This account is the Handoff backend\'s key: it signs in only with its Application Password, never here.', 'handoff-companion' )
		);
	}
}
