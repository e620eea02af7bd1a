<?php
/**
 * Links that would lead a restricted user to a denied screen.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use WP_Admin_Bar;

defined( 'ABSPATH' ) || exit;

/**
 * Takes out of a restricted user's wp-admin what leads to a denied screen, by where the
 * link goes (resolved with Menu_Screen_Guard, as the screen itself would be), not by a list
 * of known IDs: admin-bar nodes ("+ New › Project", Comments, a plugin's node), and the
 * row actions of lists and of the dashboard's Activity widget. Page-title "Add New"
 * buttons go because the capability guard refuses `create_posts` of a denied type, which
 * core checks before printing them; denied submenu items ("Add New") leave with the menu.
 *
 * Also removes the admin-bar nodes the profile names (`admin_bar.remove`) and the updates
 * counter when update nags are hidden.
 */
final class Menu_Dead_Links {

	/**
	 * Row-action filters of core's lists (and of the Activity widget: comment_row_actions).
	 */
	public const ROW_ACTION_FILTERS = array( 'post_row_actions', 'page_row_actions', 'media_row_actions', 'comment_row_actions', 'tag_row_actions', 'user_row_actions' );

	/**
	 * The profile.
	 *
	 * @var array<string, mixed>
	 */
	private array $profile;

	/**
	 * Decides what is denied.
	 *
	 * @var Menu_Screen_Guard
	 */
	private Menu_Screen_Guard $guard;

	/**
	 * Sets up the link remover.
	 *
	 * @param array<string, mixed> $profile The profile.
	 * @param Menu_Screen_Guard    $guard   The guard of the user's denied screens.
	 */
	public function __construct( array $profile, Menu_Screen_Guard $guard ) {
		$this->profile = $profile;
		$this->guard   = $guard;
	}

	/**
	 * Hooks the row-action filters and the dashboard widgets' wrapper.
	 */
	public function add_hooks(): void {
		foreach ( self::ROW_ACTION_FILTERS as $filter ) {
			add_filter( $filter, array( $this, 'filter_row_actions' ), PHP_INT_MAX );
		}
		add_action( 'wp_dashboard_setup', array( $this, 'wrap_dashboard_widgets' ), PHP_INT_MAX );
	}

	/**
	 * Unhooks them.
	 */
	public function remove_hooks(): void {
		foreach ( self::ROW_ACTION_FILTERS as $filter ) {
			remove_filter( $filter, array( $this, 'filter_row_actions' ), PHP_INT_MAX );
		}
		remove_action( 'wp_dashboard_setup', array( $this, 'wrap_dashboard_widgets' ), PHP_INT_MAX );
	}

	/**
	 * Wraps every dashboard widget so that its links to denied screens print as plain text
	 * (wp_dashboard_setup, last): "At a Glance" links its comment counts to Comments, and
	 * plugins' widgets link to their pages, with no filter to ask them not to.
	 */
	public function wrap_dashboard_widgets(): void {
		global $wp_meta_boxes;
		foreach ( (array) ( $wp_meta_boxes['dashboard'] ?? array() ) as $context => $priorities ) {
			foreach ( (array) $priorities as $priority => $boxes ) {
				foreach ( (array) $boxes as $id => $box ) {
					if ( ! is_array( $box ) || ! isset( $box['callback'] ) || ! is_callable( $box['callback'] ) ) {
						continue;
					}
					$inner = $box['callback'];
					$wp_meta_boxes['dashboard'][ $context ][ $priority ][ $id ]['callback'] = function ( ...$args ) use ( $inner ) {
						ob_start();
						try {
							call_user_func_array( $inner, $args );
						} finally {
							echo $this->without_dead_links( (string) ob_get_clean() ); // The widget's own HTML, links to denied screens unwrapped.
						}
					};
				}
			}
		}
	}

	/**
	 * HTML with every link to a denied screen replaced by its text.
	 *
	 * @param string $html HTML.
	 */
	public function without_dead_links( string $html ): string {
		return (string) preg_replace_callback(
			'#<a\s[^>]*?\bhref\s*=\s*(["\'])(.*?)\1[^>]*>(.*?)</a>#is',
			fn ( $match ) => $this->leads_to_denied( html_entity_decode( $match[2], ENT_QUOTES, 'UTF-8' ) ) ? $match[3] : $match[0],
			$html
		);
	}

	/**
	 * Removes the profile's admin-bar nodes, the updates counter when update nags are
	 * hidden, and every node that leads to a denied screen (admin_bar_menu, last).
	 *
	 * @param mixed $admin_bar The admin bar.
	 */
	public function edit_admin_bar( $admin_bar ): void {
		if ( ! $admin_bar instanceof WP_Admin_Bar ) {
			return;
		}
		$remove = is_array( $this->profile['admin_bar']['remove'] ?? null ) ? array_filter( $this->profile['admin_bar']['remove'], 'is_string' ) : array();
		if ( false !== ( $this->profile['notices']['hide_update_nags'] ?? true ) ) {
			$remove[] = 'updates';
		}
		foreach ( (array) $admin_bar->get_nodes() as $id => $node ) {
			if ( isset( $node->href ) && is_string( $node->href ) && $this->leads_to_denied( $node->href ) ) {
				$remove[] = (string) $id;
			}
		}
		foreach ( $remove as $node ) {
			$admin_bar->remove_node( $node );
		}
		$new = $admin_bar->get_node( 'new-content' );
		if ( $new && ! $this->has_children( $admin_bar, 'new-content' ) && ( ! is_string( $new->href ) || $this->leads_to_denied( $new->href ) ) ) {
			$admin_bar->remove_node( 'new-content' );
		}
	}

	/**
	 * Row actions without those that lead to a denied screen.
	 *
	 * @param mixed $actions Action name → link HTML.
	 * @return mixed
	 */
	public function filter_row_actions( $actions ) {
		if ( ! is_array( $actions ) ) {
			return $actions;
		}
		foreach ( $actions as $name => $html ) {
			if ( is_string( $html ) && preg_match( '/\bhref\s*=\s*(["\'])(.*?)\1/i', $html, $match ) && $this->leads_to_denied( html_entity_decode( $match[2], ENT_QUOTES, 'UTF-8' ) ) ) {
				unset( $actions[ $name ] );
			}
		}
		return $actions;
	}

	/**
	 * Whether a URL opens a denied wp-admin screen (absolute under admin_url(), or
	 * relative to wp-admin as core's lists write some).
	 *
	 * @param string $url The URL.
	 */
	public function leads_to_denied( string $url ): bool {
		$admin = admin_url();
		if ( 0 === strpos( $url, $admin ) ) {
			$url = substr( $url, strlen( $admin ) );
		} elseif ( false !== strpos( $url, '://' ) || 0 === strpos( $url, '/' ) || 0 === strpos( $url, '#' ) ) {
			return false;
		}
		$parts = explode( '?', $url, 2 );
		$file  = '' === $parts[0] ? 'index.php' : (string) preg_replace( '/#.*$/', '', $parts[0] );
		$query = array();
		if ( isset( $parts[1] ) ) {
			wp_parse_str( (string) preg_replace( '/#.*$/', '', $parts[1] ), $query );
		}
		$query = array_filter( $query, 'is_string' );
		$page  = $query['page'] ?? '';
		return $this->guard->is_denied( $file, $page, $query );
	}

	/**
	 * Whether an admin-bar node still has children.
	 *
	 * @param WP_Admin_Bar $admin_bar The admin bar.
	 * @param string       $parent    The node's ID.
	 */
	private function has_children( WP_Admin_Bar $admin_bar, string $parent ): bool {
		foreach ( (array) $admin_bar->get_nodes() as $node ) {
			if ( isset( $node->parent ) && $parent === $node->parent ) {
				return true;
			}
		}
		return false;
	}
}
