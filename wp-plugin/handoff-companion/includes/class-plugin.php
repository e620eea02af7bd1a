<?php
/**
 * Wires the plugin into WordPress.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

defined( 'ABSPATH' ) || exit;

/**
 * Registers hooks only. Every class is loaded on demand, so an ordinary admin page view
 * costs a few add_action() calls and a front-end view costs nothing more than that and the
 * bridge lock-down's check of the current user.
 */
final class Plugin {

	/**
	 * Registers the hooks of every part of the plugin.
	 */
	public static function add_hooks(): void {
		if ( self::may_sign_someone_in() ) {
			self::lock_down_the_bridge_user();
		}
		add_action( 'rest_api_init', array( Rest_Controller::class, 'register' ) );
		add_filter( 'xmlrpc_methods', array( Xmlrpc_Methods::class, 'register' ) );
		// Denied at every door: wp-admin (admin-ajax and admin-post included) and XML-RPC at
		// once, REST when its server starts; never front-end page views.
		if ( is_admin() || ( defined( 'XMLRPC_REQUEST' ) && XMLRPC_REQUEST ) ) {
			Menu_Capability_Guard::start();
			Translations::add_hooks();
		} else {
			add_action( 'rest_api_init', array( Menu_Capability_Guard::class, 'start' ) );
			// The capability guard's refusals reach the client in the block editor.
			add_action( 'rest_api_init', array( Translations::class, 'add_hooks' ) );
		}
		// wp_doing_ajax() first: on every other request no class of the plugin is loaded.
		if ( wp_doing_ajax() && Admin_Menu_Endpoint::is_requested() ) {
			Admin_Menu_Endpoint::add_hooks();
		}
		if ( is_admin() ) {
			add_action( 'admin_menu', array( Connect_Screen::class, 'register' ) );
			add_action( 'admin_menu', array( Handbook_Screen::class, 'register' ) );
			add_action( 'wp_dashboard_setup', array( Handbook_Screen::class, 'add_dashboard_widget' ) );
			add_action( 'admin_menu', array( Menu_Applier::class, 'boot' ), PHP_INT_MAX );
			add_filter( 'plugin_action_links_' . plugin_basename( HANDOFF_COMPANION_FILE ), array( Connect_Screen::class, 'add_action_link' ) );
		}
	}

	/**
	 * Whether this request can make anybody the current user: wp-admin, XML-RPC, the login
	 * screen, a form post, or credentials (a WordPress session cookie, an Authorization
	 * header). An anonymous front-end page view can not, and loads nothing of the plugin.
	 */
	private static function may_sign_someone_in(): bool {
		// phpcs:disable WordPress.Security.ValidatedSanitizedInput -- only tested for presence.
		// Not empty, not just set: WordPress's own .htaccess rule on Apache
		// ([E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]) sets it, empty, on every request.
		$credentials = ! empty( $_SERVER['HTTP_AUTHORIZATION'] ) || ! empty( $_SERVER['REDIRECT_HTTP_AUTHORIZATION'] )
			|| ! empty( $_SERVER['PHP_AUTH_USER'] )
			|| ( defined( 'LOGGED_IN_COOKIE' ) && isset( $_COOKIE[ LOGGED_IN_COOKIE ] ) )
			|| ( defined( 'AUTH_COOKIE' ) && isset( $_COOKIE[ AUTH_COOKIE ] ) )
			|| ( defined( 'SECURE_AUTH_COOKIE' ) && isset( $_COOKIE[ SECURE_AUTH_COOKIE ] ) );
		$posted      = isset( $_SERVER['REQUEST_METHOD'] ) && 'GET' !== $_SERVER['REQUEST_METHOD'] && 'HEAD' !== $_SERVER['REQUEST_METHOD'];
		// phpcs:enable
		return $credentials || $posted || is_admin() || ( defined( 'XMLRPC_REQUEST' ) && XMLRPC_REQUEST )
			|| 'wp-login.php' === ( $GLOBALS['pagenow'] ?? '' );
	}

	/**
	 * The bridge user is a key, not an account (Bridge_Lockdown): on every request that can
	 * sign someone in, front end included, a session cookie of the bridge user must make
	 * nobody current. Each callback returns at once for anybody else, with no query.
	 */
	public static function lock_down_the_bridge_user(): void {
		// Sign-in: the Application Password only, checked first and last around WordPress's
		// own authentication (priority 20) and last for the current user.
		add_filter( 'authenticate', array( Bridge_Lockdown::class, 'forget_application_password' ), PHP_INT_MIN );
		add_action( 'application_password_did_authenticate', array( Bridge_Lockdown::class, 'remember_application_password' ) );
		add_filter( 'wp_authenticate_user', array( Bridge_Lockdown::class, 'refuse_login_password' ), 10, 2 );
		add_filter( 'authenticate', array( Bridge_Lockdown::class, 'check_authenticated' ), PHP_INT_MAX );
		add_filter( 'determine_current_user', array( Bridge_Lockdown::class, 'check_current_user' ), PHP_INT_MAX );
		add_filter( 'allow_password_reset', array( Bridge_Lockdown::class, 'allow_password_reset' ), 10, 2 );
		// What it may do: nothing to any account, nothing outside handoff/v1.
		add_filter( 'map_meta_cap', array( Bridge_Lockdown::class, 'map_meta_cap' ), 10, 4 );
		add_filter( 'rest_pre_dispatch', array( Bridge_Lockdown::class, 'rest_pre_dispatch' ), PHP_INT_MAX, 3 );
		add_filter( 'rest_request_before_callbacks', array( Bridge_Lockdown::class, 'rest_request_before_callbacks' ), PHP_INT_MAX, 3 );
	}

	/**
	 * On deactivation the backend loses access at once: its Application Passwords are
	 * revoked, and whatever else could sign in as the bridge user (a login password, a
	 * session, a changed e-mail for a password reset) is taken back, since without the
	 * plugin nothing else holds the bridge user to its key. The bridge user and role stay
	 * until uninstall, so reactivating and reconnecting keeps the same account.
	 */
	public static function deactivate(): void {
		( new Bridge_Connection() )->revoke_all();
	}
}
