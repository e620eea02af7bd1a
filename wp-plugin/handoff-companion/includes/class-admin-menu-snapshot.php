<?php
/**
 * The real wp-admin menu, captured outside wp-admin.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use Throwable;
use WP_Role;
use WP_User;

defined( 'ABSPATH' ) || exit;

/**
 * Builds the admin menu the way wp-admin does — core's wp-admin/menu.php, then every
 * plugin's `admin_menu` callbacks — as a real administrator account (the one who
 * connected the site, else the first administrator) holding its own capabilities plus
 * every capability any role on the site has, and derives from that tree what each role
 * can open. A real account, because plugins add items only for is_super_admin(), a user
 * ID or the administrator role of a user that exists; an ID-0 user sees none of them.
 *
 * Runs in a REST, XML-RPC or admin-ajax request; every global it touches is restored
 * afterwards. Other plugins' code runs here with those capabilities, so all of it runs in
 * a Capture_Quarantine: no request input, no database writes, no outgoing HTTP, mail or
 * redirects (each blocked attempt is a warning). A plugin that fails while building its
 * menu (or calls wp_die()) is reported in `warnings` and the rest of the menu is still
 * returned.
 */
final class Admin_Menu_Snapshot {

	/**
	 * Globals wp-admin/menu.php and add_menu_page() write, saved and restored around the
	 * capture. The first ones start empty; capture() declares them all `global`, since
	 * wp-admin/menu.php expects to run at global scope.
	 */
	private const FRESH_GLOBALS = array(
		'menu',
		'submenu',
		'_wp_menu_nopriv',
		'_wp_submenu_nopriv',
		'_wp_real_parent_file',
		'_registered_pages',
		'_parent_pages',
		'admin_page_hooks',
		'menu_order',
		'default_menu_order',
	);

	/**
	 * The other globals the capture changes.
	 */
	private const GLOBALS = array(
		'_wp_last_object_menu',
		'_wp_last_utility_menu',
		'pagenow',
		'plugin_page',
		'typenow',
		'taxnow',
		'current_user',
		'current_screen',
		'hook_suffix',
	);

	/**
	 * Problems met while capturing, for the inventory's `warnings`.
	 *
	 * @var string[]
	 */
	private array $warnings = array();

	/**
	 * The first capture of this request: wp-admin/menu.php defines functions, so it can
	 * run only once per request; later snapshots reuse what it built.
	 *
	 * @var array{menu: array<int|string, array<int, mixed>>, submenu: array<string, array<int|string, array<int, mixed>>>, warnings: string[]}|null
	 */
	private static ?array $first_capture = null;

	/**
	 * In-memory users holding one role each, by role name.
	 *
	 * @var array<string, WP_User>
	 */
	private array $role_users = array();

	/**
	 * Captures the menu.
	 *
	 * @return array{context: string, full: array<int, array<string, mixed>>, by_role: array<string, array<int, array<string, mixed>>>, warnings: string[]}
	 */
	public function take(): array {
		// The per-role part runs plugins' `user_has_cap` and `map_meta_cap` filters: quarantined too.
		$quarantine = new Capture_Quarantine();
		$quarantine->enter();
		try {
			// The capture user is a real account the active profile may target: the menu is
			// captured as it is without any profile, so the capability guard stands aside.
			$raw     = Menu_Capability_Guard::aside( fn () => $this->capture( $quarantine ) );
			$full    = $this->tree( $raw['menu'], $raw['submenu'] );
			$by_role = array();
			foreach ( wp_roles()->role_objects as $name => $role ) {
				$by_role[ (string) $name ] = $this->visible_to( $role, $full );
			}
		} finally {
			$quarantine->leave();
		}
		$this->warnings = self::merged( $this->warnings, $quarantine->warnings() );
		return array(
			'context'  => is_admin() ? 'admin' : 'api',
			'full'     => $full,
			'by_role'  => $by_role,
			'warnings' => $this->warnings,
		);
	}

	/**
	 * The slug of the submenu item at `$key` under `$parent` in this request's capture (''
	 * when there is none): other plugins' settings name submenu items by that key.
	 *
	 * @param string $parent The parent's slug.
	 * @param string $key    The item's key in the global $submenu.
	 */
	public static function captured_submenu_slug( string $parent, string $key ): string {
		$item = self::$first_capture['submenu'][ $parent ][ $key ] ?? null;
		return is_array( $item ) && isset( $item[2] ) ? self::slug( $item[2] ) : '';
	}

	/**
	 * Warnings of both lists, once each, in order.
	 *
	 * @param string[] $first  Warnings.
	 * @param string[] $second More warnings.
	 * @return string[]
	 */
	private static function merged( array $first, array $second ): array {
		return array_values( array_unique( array_merge( $first, $second ) ) );
	}

	/**
	 * Runs wp-admin/menu.php with the `admin_menu` hook and returns $menu and $submenu.
	 *
	 * @param Capture_Quarantine $quarantine The quarantine it runs in (its warnings are kept
	 *                                       with the first capture).
	 * @return array{menu: array<int|string, array<int, mixed>>, submenu: array<string, array<int|string, array<int, mixed>>>}
	 */
	private function capture( Capture_Quarantine $quarantine ): array {
		// phpcs:ignore Squiz.PHP.GlobalKeyword -- wp-admin/menu.php runs here and must see these as globals.
		global $menu, $submenu, $_wp_menu_nopriv, $_wp_submenu_nopriv, $_wp_real_parent_file, $_registered_pages, $_parent_pages, $admin_page_hooks, $menu_order, $default_menu_order, $_wp_last_object_menu, $_wp_last_utility_menu;

		if ( null !== self::$first_capture ) {
			$this->warnings = self::$first_capture['warnings'];
			return self::$first_capture;
		}
		if ( function_exists( '_add_themes_utility_last' ) ) {
			// wp-admin/menu.php already ran in this request (we are inside wp-admin): it
			// cannot run twice, so report what it built for the current user.
			$this->warnings[] = 'The menu was captured inside wp-admin, as the current user sees it.';
			return array(
				'menu'    => (array) ( $GLOBALS['menu'] ?? array() ),
				'submenu' => (array) ( $GLOBALS['submenu'] ?? array() ),
			);
		}

		$saved = array();
		foreach ( array_merge( self::FRESH_GLOBALS, self::GLOBALS ) as $name ) {
			$saved[ $name ] = $GLOBALS[ $name ] ?? null;
		}
		$die_handler = static function () {
			return static function ( $message ) {
				throw new Menu_Build_Stopped( is_string( $message ) ? wp_strip_all_tags( $message ) : 'wp_die() was called' );
			};
		};
		$die_filters = array( 'wp_die_handler', 'wp_die_json_handler', 'wp_die_jsonp_handler', 'wp_die_xmlrpc_handler', 'wp_die_ajax_handler' );
		foreach ( $die_filters as $filter ) {
			add_filter( $filter, $die_handler, PHP_INT_MAX );
		}
		add_filter( 'doing_it_wrong_trigger_error', '__return_false', PHP_INT_MAX );

		foreach ( self::FRESH_GLOBALS as $name ) {
			$GLOBALS[ $name ] = array();
		}
		$GLOBALS['pagenow']      = 'index.php';
		$GLOBALS['plugin_page']  = null;
		$GLOBALS['typenow']      = '';
		$GLOBALS['taxnow']       = '';
		$GLOBALS['current_user'] = $this->capture_user();

		$captured = array(
			'menu'    => array(),
			'submenu' => array(),
		);
		ob_start();
		try {
			require_once ABSPATH . 'wp-admin/includes/admin.php';
			set_current_screen( 'dashboard' );
			require ABSPATH . 'wp-admin/menu.php';
		} catch ( Throwable $error ) {
			$this->warnings[] = sprintf( 'Building the admin menu stopped early: %s (%s:%d)', $error->getMessage(), basename( $error->getFile() ), $error->getLine() );
		} finally {
			ob_end_clean();
			$captured = array(
				'menu'    => is_array( $GLOBALS['menu'] ?? null ) ? $GLOBALS['menu'] : array(),
				'submenu' => is_array( $GLOBALS['submenu'] ?? null ) ? $GLOBALS['submenu'] : array(),
			);
			foreach ( $saved as $name => $value ) {
				$GLOBALS[ $name ] = $value;
			}
			foreach ( $die_filters as $filter ) {
				remove_filter( $filter, $die_handler, PHP_INT_MAX );
			}
			remove_filter( 'doing_it_wrong_trigger_error', '__return_false', PHP_INT_MAX );
		}
		self::$first_capture = array_merge( $captured, array( 'warnings' => self::merged( $this->warnings, $quarantine->warnings() ) ) );
		return $captured;
	}

	/**
	 * The user the menu is built for: a real administrator account (administrator_account())
	 * as loaded from the database — its ID, login, roles and own capabilities, so that
	 * is_super_admin(), get_current_user_id() and current_user_can( 'administrator' ) answer
	 * as in wp-admin — with every capability some role holds added, so that the menu also
	 * has the items of roles holding capabilities the administrator lacks. The object is
	 * this capture's own (get_userdata() builds a new one); nothing is written to the
	 * account. Without any administrator account: an in-memory user, as before.
	 */
	private function capture_user(): WP_User {
		$admin = self::administrator_account();
		if ( ! $admin ) {
			$this->warnings[] = 'The site has no administrator account: the menu was built for a user holding every role\'s capabilities, so items a plugin adds only for a real administrator are missing.';
			return $this->user_with_every_capability();
		}
		$admin->allcaps = array_merge( self::every_role_capability(), array_filter( (array) $admin->allcaps ) );
		return $admin;
	}

	/**
	 * The administrator whose wp-admin the menu is: the one who connected the site (option
	 * handoff_companion_connection, `connected_by`) while still an administrator (or a
	 * network super admin), else the administrator with the lowest ID, else (multisite)
	 * the first super admin; null when there is none. Reads only.
	 */
	private static function administrator_account(): ?WP_User {
		$connection = get_option( Options::CONNECTION );
		$by         = is_array( $connection ) && isset( $connection['connected_by'] ) ? (int) $connection['connected_by'] : 0;
		$user       = $by > 0 ? get_userdata( $by ) : false;
		if ( $user instanceof WP_User && self::is_administrator( $user ) ) {
			return $user;
		}
		$ids  = get_users(
			array(
				'role'    => 'administrator',
				'number'  => 1,
				'orderby' => 'ID',
				'order'   => 'ASC',
				'fields'  => 'ID',
			)
		);
		$user = $ids ? get_userdata( (int) $ids[0] ) : false;
		if ( ! $user && is_multisite() ) {
			$logins = get_super_admins();
			$user   = $logins ? get_user_by( 'login', (string) reset( $logins ) ) : false;
		}
		// A user still holding a removed administrator role is no administrator in wp-admin.
		return $user instanceof WP_User && self::is_administrator( $user ) ? $user : null;
	}

	/**
	 * Whether a user is an administrator of this site or a network super admin.
	 *
	 * @param WP_User $user The user.
	 */
	private static function is_administrator( WP_User $user ): bool {
		return in_array( 'administrator', (array) $user->roles, true ) || ( is_multisite() && is_super_admin( $user->ID ) );
	}

	/**
	 * Every capability some role holds (granted ones only).
	 *
	 * @return array<string, bool>
	 */
	private static function every_role_capability(): array {
		$allcaps = array( 'exist' => true );
		foreach ( wp_roles()->role_objects as $role ) {
			$allcaps = array_merge( $allcaps, array_filter( (array) $role->capabilities ) );
		}
		return $allcaps;
	}

	/**
	 * An in-memory user (never saved, ID 0: no real account) holding every capability some
	 * role holds, and nothing else, for a site without any administrator account. It has
	 * the administrator role, as plugins that look at roles expect, only where that role
	 * exists.
	 */
	private function user_with_every_capability(): WP_User {
		$user    = new WP_User();
		$allcaps = self::every_role_capability();
		$user->roles = array();
		$user->caps  = array();
		if ( wp_roles()->is_role( 'administrator' ) ) {
			$user->roles = array( 'administrator' );
			$user->caps  = array( 'administrator' => true );
			// What WP_User::get_role_caps() gives an administrator: the role name as a capability.
			$allcaps['administrator'] = true;
		}
		$user->allcaps = $allcaps;
		return $user;
	}

	/**
	 * Turns $menu / $submenu into the protocol's tree: separators left out, titles plain.
	 *
	 * @param array<int|string, array<int, mixed>>               $menu    The global $menu.
	 * @param array<string, array<int|string, array<int, mixed>>> $submenu The global $submenu.
	 * @return array<int, array<string, mixed>>
	 */
	private function tree( array $menu, array $submenu ): array {
		$tree = array();
		foreach ( $menu as $position => $item ) {
			if ( ! is_array( $item ) || ! isset( $item[2] ) || self::is_separator( $item ) ) {
				continue;
			}
			$slug     = (string) $item[2];
			$children = array();
			foreach ( (array) ( $submenu[ $slug ] ?? array() ) as $child ) {
				if ( ! is_array( $child ) || ! isset( $child[2] ) ) {
					continue;
				}
				$children[] = array(
					'slug'       => self::slug( $child[2] ),
					'title'      => self::plain_title( $child[0] ?? '' ),
					'capability' => (string) ( $child[1] ?? '' ),
				);
			}
			$tree[] = array(
				'slug'       => self::slug( $slug ),
				'title'      => self::plain_title( $item[0] ?? '' ),
				'capability' => (string) ( $item[1] ?? '' ),
				'icon'       => isset( $item[6] ) && is_string( $item[6] ) ? $item[6] : '',
				'position'   => is_numeric( $position ) ? 0 + $position : count( $tree ),
				'children'   => self::without_lone_self_link( self::slug( $slug ), $children ),
			);
		}
		return $tree;
	}

	/**
	 * The part of the tree a role can open, following wp-admin's rules: a submenu item
	 * needs its own capability; a top-level item is shown when its capability is held or
	 * any of its submenu items is. Users without `list_users` get "Profile" where
	 * administrators get "Users", as wp-admin/menu.php does.
	 *
	 * @param WP_Role                          $role The role.
	 * @param array<int, array<string, mixed>> $full The tree from tree().
	 * @return array<int, array<string, mixed>>
	 */
	private function visible_to( WP_Role $role, array $full ): array {
		$visible = array();
		foreach ( $full as $item ) {
			$children = array_values(
				array_filter(
					$item['children'],
					fn ( $child ) => $this->role_can( $role, $child['capability'] )
				)
			);
			if ( 'users.php' === $item['slug'] && ! $this->role_can( $role, 'list_users' ) ) {
				$profile = $this->profile_item( $item, $children );
				if ( $profile ) {
					$visible[] = $profile;
				}
				continue;
			}
			if ( ! $this->role_can( $role, $item['capability'] ) && ! $children ) {
				continue;
			}
			$item['children'] = self::without_lone_self_link( $item['slug'], $children );
			$visible[]        = $item;
		}
		return $visible;
	}

	/**
	 * The "Profile" top-level item wp-admin shows in place of "Users".
	 *
	 * @param array<string, mixed>             $users    The "Users" item.
	 * @param array<int, array<string, mixed>> $children Its submenu items the role can open.
	 * @return array<string, mixed>|null
	 */
	private function profile_item( array $users, array $children ): ?array {
		foreach ( $children as $child ) {
			if ( 'profile.php' === $child['slug'] ) {
				return array_merge(
					$users,
					array(
						'slug'       => 'profile.php',
						'title'      => $child['title'],
						'capability' => $child['capability'],
						'children'   => self::without_lone_self_link( 'profile.php', $children ),
					)
				);
			}
		}
		return null;
	}

	/**
	 * Whether a role holds a (possibly meta) capability, as current_user_can() would say
	 * for a user with only that role.
	 *
	 * @param WP_Role $role       The role.
	 * @param string  $capability A primitive or meta capability.
	 */
	private function role_can( WP_Role $role, string $capability ): bool {
		if ( '' === $capability ) {
			return true;
		}
		add_filter( 'doing_it_wrong_trigger_error', '__return_false', PHP_INT_MAX );
		// has_cap() maps meta capabilities and runs the `user_has_cap` filter, through which
		// WordPress grants some capabilities (view_site_health_checks) and plugins others.
		$can = $this->role_user( $role )->has_cap( $capability );
		remove_filter( 'doing_it_wrong_trigger_error', '__return_false', PHP_INT_MAX );
		return $can;
	}

	/**
	 * An in-memory user (never saved) holding only this role.
	 *
	 * @param WP_Role $role The role.
	 */
	private function role_user( WP_Role $role ): WP_User {
		if ( ! isset( $this->role_users[ $role->name ] ) ) {
			$user          = new WP_User();
			$user->roles   = array( $role->name );
			$user->caps    = array( $role->name => true );
			$user->allcaps = array_merge( array( 'exist' => true ), array_filter( (array) $role->capabilities ), array( $role->name => true ) );

			$this->role_users[ $role->name ] = $user;
		}
		return $this->role_users[ $role->name ];
	}

	/**
	 * A submenu holding only a link to its parent's own screen is not shown by wp-admin
	 * (wp-admin/includes/menu.php removes it); neither is it here.
	 *
	 * @param string                           $slug     The parent's slug.
	 * @param array<int, array<string, mixed>> $children Its submenu items.
	 * @return array<int, array<string, mixed>>
	 */
	private static function without_lone_self_link( string $slug, array $children ): array {
		if ( 1 === count( $children ) && $children[0]['slug'] === $slug ) {
			return array();
		}
		return $children;
	}

	/**
	 * Whether a $menu entry is a separator.
	 *
	 * @param array<int, mixed> $item A $menu entry.
	 */
	private static function is_separator( array $item ): bool {
		return 0 === strpos( (string) $item[2], 'separator' ) || false !== strpos( (string) ( $item[4] ?? '' ), 'wp-menu-separator' );
	}

	/**
	 * A menu slug as wp-admin links it, with HTML entities decoded.
	 *
	 * @param mixed $slug A slug from $menu or $submenu.
	 */
	private static function slug( $slug ): string {
		return html_entity_decode( (string) $slug, ENT_QUOTES, 'UTF-8' );
	}

	/**
	 * The title a person reads: counters and badges (`<span …>3</span>`) and markup removed.
	 *
	 * @param mixed $title A title from $menu or $submenu.
	 */
	private static function plain_title( $title ): string {
		$title   = (string) $title;
		$without = preg_replace( '#<(span|sup|div)\b.*$#is', '', $title );
		$plain   = trim( html_entity_decode( wp_strip_all_tags( (string) $without ), ENT_QUOTES, 'UTF-8' ) );
		if ( '' === $plain ) {
			$plain = trim( html_entity_decode( wp_strip_all_tags( $title ), ENT_QUOTES, 'UTF-8' ) );
		}
		return $plain;
	}
}
