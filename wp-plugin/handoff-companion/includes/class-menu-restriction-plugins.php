<?php
/**
 * Other plugins that restrict the admin menu, as the inventory reports them.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

defined( 'ABSPATH' ) || exit;

/**
 * The active plugins that also hide or block admin menu items (Adminimize, Admin Menu
 * Editor and its Pro edition, User Role Editor Pro's admin menu module, White Label CMS)
 * and, where their stored settings say it in a form that can be read, which items they
 * hide for whom. The handbook is written from the Handoff profile: an item another plugin
 * hides is a screen the handbook may send the client to in vain.
 *
 * Reads options only (the inventory's request, never a page view); trusts nothing in
 * them: anything not of the expected shape is left out, and `rules_known` says so.
 */
final class Menu_Restriction_Plugins {

	/**
	 * The plugins known to restrict the menu: main file => [name, option holding its menu rules, reader].
	 */
	private const KNOWN = array(
		'adminimize/adminimize.php'                    => array( 'Adminimize', 'mw_adminimize', 'adminimize' ),
		'admin-menu-editor/menu-editor.php'            => array( 'Admin Menu Editor', 'ws_menu_editor', 'admin_menu_editor' ),
		'admin-menu-editor-pro/menu-editor.php'        => array( 'Admin Menu Editor Pro', 'ws_menu_editor_pro', 'admin_menu_editor' ),
		'user-role-editor-pro/user-role-editor-pro.php' => array( 'User Role Editor Pro', 'ure_admin_menu_access_data', 'user_role_editor' ),
		'white-label-cms/wlcms-plugin.php'             => array( 'White Label CMS', 'wlcms_options', 'white_label_cms' ),
	);

	/**
	 * At most this many rules per plugin are reported (the document stays small).
	 */
	public const MAX_RULES = 200;

	/**
	 * The active ones: `[{"plugin", "name", "settings", "rules_known", "hides": [{"who",
	 * "parent", "slug", "effect"}], "note"}]`. `who` is `role:NAME`, `user:LOGIN` or
	 * `everyone`; `effect` is `hidden` (not in the menu) or `denied` (the screen refused too).
	 *
	 * @return array<int, array<string, mixed>>
	 */
	public static function detect(): array {
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		$found = array();
		foreach ( self::KNOWN as $file => list( $name, $option, $reader ) ) {
			$network = is_multisite() && is_plugin_active_for_network( $file );
			if ( ! $network && ! is_plugin_active( $file ) ) {
				continue;
			}
			$settings = $network ? get_site_option( $option ) : get_option( $option );
			$read     = self::$reader( is_array( $settings ) ? $settings : array() );
			$found[]  = array(
				'plugin'      => $file,
				'name'        => $name,
				'settings'    => ( $network ? 'site option ' : 'option ' ) . $option,
				'rules_known' => $read['known'],
				'hides'       => array_slice( $read['hides'], 0, self::MAX_RULES ),
				'note'        => $read['note'],
			);
		}
		return $found;
	}

	/**
	 * Adminimize: `mw_adminimize_disabled_menu_{role}_items` (top-level slugs) and
	 * `mw_adminimize_disabled_submenu_{role}_items` (`{parent}__{key in $submenu}`, or a
	 * submenu slug in older versions), per role.
	 *
	 * @param array<string, mixed> $settings The option.
	 * @return array{known: bool, hides: array<int, array<string, string>>, note: string}
	 */
	private static function adminimize( array $settings ): array {
		$hides = array();
		foreach ( array_keys( wp_roles()->roles ) as $role ) {
			foreach ( self::strings( $settings[ 'mw_adminimize_disabled_menu_' . $role . '_items' ] ?? null ) as $slug ) {
				$hides[] = self::rule( 'role:' . $role, '', $slug, 'hidden' );
			}
			foreach ( self::strings( $settings[ 'mw_adminimize_disabled_submenu_' . $role . '_items' ] ?? null ) as $entry ) {
				$at = strrpos( $entry, '__' );
				if ( false === $at ) {
					$hides[] = self::rule( 'role:' . $role, '', $entry, 'hidden' );
					continue;
				}
				$parent  = substr( $entry, 0, $at );
				$key     = substr( $entry, $at + 2 );
				$slug    = Admin_Menu_Snapshot::captured_submenu_slug( $parent, $key );
				$hides[] = self::rule( 'role:' . $role, $parent, '' !== $slug ? $slug : $entry, 'hidden' );
			}
		}
		return array(
			'known' => true,
			'hides' => $hides,
			'note'  => '',
		);
	}

	/**
	 * Admin Menu Editor (and Pro): `custom_menu.tree`, items keyed by their template ID
	 * (`parent>slug`), each with `hidden` (from everyone), `hidden_from_actor` and
	 * `grant_access` (`{"role:editor": false}`: blocked), children under `items`. A menu
	 * stored compressed cannot be read here.
	 *
	 * @param array<string, mixed> $settings The option.
	 * @return array{known: bool, hides: array<int, array<string, string>>, note: string}
	 */
	private static function admin_menu_editor( array $settings ): array {
		$menu = $settings['custom_menu'] ?? null;
		if ( null === $menu || ( is_array( $menu ) && ! isset( $menu['tree'] ) && ! isset( $menu['format'] ) ) ) {
			return array(
				'known' => true,
				'hides' => array(),
				'note'  => 'no custom menu is saved',
			);
		}
		if ( ! is_array( $menu ) || ! is_array( $menu['tree'] ?? null ) || ! empty( $menu['format']['compressed'] ) ) {
			return array(
				'known' => false,
				'hides' => array(),
				'note'  => 'its custom menu is stored in a form Handoff does not read (compressed)',
			);
		}
		$hides = array();
		foreach ( $menu['tree'] as $id => $item ) {
			if ( is_array( $item ) ) {
				self::ame_item( $item, is_string( $id ) ? $id : '', '', $hides );
			}
		}
		return array(
			'known' => true,
			'hides' => $hides,
			'note'  => '',
		);
	}

	/**
	 * One Admin Menu Editor item and its children.
	 *
	 * @param array<string, mixed>              $item   The item.
	 * @param string                            $id     Its key (a template ID, `parent>slug`).
	 * @param string                            $parent The parent's slug ('' at the top).
	 * @param array<int, array<string, string>> $hides  The rules found.
	 */
	private static function ame_item( array $item, string $id, string $parent, array &$hides ): void {
		$slug = self::ame_slug( $item, $id );
		if ( '' === $slug ) {
			return;
		}
		if ( ! empty( $item['hidden'] ) ) {
			$hides[] = self::rule( 'everyone', $parent, $slug, 'hidden' );
		}
		foreach ( (array) ( $item['hidden_from_actor'] ?? array() ) as $actor => $hidden ) {
			if ( true === $hidden && is_string( $actor ) ) {
				$hides[] = self::rule( self::actor( $actor ), $parent, $slug, 'hidden' );
			}
		}
		foreach ( (array) ( $item['grant_access'] ?? array() ) as $actor => $granted ) {
			if ( false === $granted && is_string( $actor ) ) {
				$hides[] = self::rule( self::actor( $actor ), $parent, $slug, 'denied' );
			}
		}
		foreach ( (array) ( $item['items'] ?? array() ) as $child ) {
			if ( is_array( $child ) ) {
				self::ame_item( $child, '', $slug, $hides );
			}
		}
	}

	/**
	 * An Admin Menu Editor item's slug: its file, its default file, or its template ID's.
	 *
	 * @param array<string, mixed> $item The item.
	 * @param string               $id   Its key in the tree.
	 */
	private static function ame_slug( array $item, string $id ): string {
		foreach ( array( $item['file'] ?? null, $item['defaults']['file'] ?? null ) as $file ) {
			if ( is_string( $file ) && '' !== $file ) {
				return $file;
			}
		}
		$template = is_string( $item['template_id'] ?? null ) ? $item['template_id'] : $id;
		$at       = strpos( $template, '>' );
		return false === $at ? '' : substr( $template, $at + 1 );
	}

	/**
	 * An Admin Menu Editor actor (`role:editor`, `user:bob`, `special:super_admin`) as `who`.
	 *
	 * @param string $actor The actor.
	 */
	private static function actor( string $actor ): string {
		return 0 === strpos( $actor, 'role:' ) || 0 === strpos( $actor, 'user:' ) ? $actor : 'everyone';
	}

	/**
	 * User Role Editor Pro: blocked items per role, named by hashes of their URLs — the
	 * roles are known, the items are not.
	 *
	 * @param array<string, mixed> $settings The option.
	 * @return array{known: bool, hides: array<int, array<string, string>>, note: string}
	 */
	private static function user_role_editor( array $settings ): array {
		$roles = array();
		foreach ( $settings as $role => $data ) {
			if ( is_string( $role ) && wp_roles()->is_role( $role ) && ! empty( $data ) ) {
				$roles[] = $role;
			}
		}
		return array(
			'known' => ! $roles,
			'hides' => array(),
			'note'  => $roles ? 'it blocks menu items for ' . implode( ', ', $roles ) . ', named by hashes Handoff cannot map to items' : '',
		);
	}

	/**
	 * White Label CMS: with `enable_wlcms_admin`, `admin_menus.main` (top-level slugs) and
	 * `admin_menus.sub` (`{parent}_wlcms_{sanitized slug}`) are hidden from everyone but
	 * the users it names as its administrators.
	 *
	 * @param array<string, mixed> $settings The option.
	 * @return array{known: bool, hides: array<int, array<string, string>>, note: string}
	 */
	private static function white_label_cms( array $settings ): array {
		$hides = array();
		$menus = is_array( $settings['admin_menus'] ?? null ) ? $settings['admin_menus'] : array();
		if ( ! empty( $settings['enable_wlcms_admin'] ) ) {
			foreach ( self::strings( $menus['main'] ?? null ) as $slug ) {
				$hides[] = self::rule( 'everyone', '', $slug, 'hidden' );
			}
			foreach ( self::strings( $menus['sub'] ?? null ) as $entry ) {
				$parts   = explode( '_wlcms_', $entry, 2 );
				$hides[] = self::rule( 'everyone', 2 === count( $parts ) ? $parts[0] : '', $parts[1] ?? $entry, 'hidden' );
			}
		}
		return array(
			'known' => true,
			'hides' => $hides,
			'note'  => $hides ? 'hidden from everyone but the users it names as its administrators' : '',
		);
	}

	/**
	 * One rule.
	 *
	 * @param string $who    `role:NAME`, `user:LOGIN` or `everyone`.
	 * @param string $parent The parent's slug ('' at the top).
	 * @param string $slug   The item's slug.
	 * @param string $effect `hidden` or `denied`.
	 * @return array<string, string>
	 */
	private static function rule( string $who, string $parent, string $slug, string $effect ): array {
		return array(
			'who'    => $who,
			'parent' => html_entity_decode( $parent, ENT_QUOTES, 'UTF-8' ),
			'slug'   => html_entity_decode( $slug, ENT_QUOTES, 'UTF-8' ),
			'effect' => $effect,
		);
	}

	/**
	 * The non-empty strings of a stored list (anything else is left out).
	 *
	 * @param mixed $list A stored value.
	 * @return string[]
	 */
	private static function strings( $list ): array {
		if ( ! is_array( $list ) ) {
			return array();
		}
		return array_values( array_filter( $list, static fn ( $value ) => is_string( $value ) && '' !== $value ) );
	}
}
