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
 * costs a few add_action() calls and a front-end view costs nothing more than that.
 */
final class Plugin {

	/**
	 * Registers the hooks of every part of the plugin.
	 */
	public static function add_hooks(): void {
		add_action( 'rest_api_init', array( Rest_Controller::class, 'register' ) );
		add_filter( 'xmlrpc_methods', array( Xmlrpc_Methods::class, 'register' ) );
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
	 * On deactivation the backend loses access at once: its Application Passwords are
	 * revoked. The bridge user and role stay until uninstall, so reactivating and
	 * reconnecting keeps the same account.
	 */
	public static function deactivate(): void {
		( new Bridge_Connection() )->revoke_passwords();
	}
}
