<?php
/**
 * The site inventory (`GET /inventory`, `handoff.inventory`).
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use WP_Post_Type;
use WP_Taxonomy;
use WP_Theme;

defined( 'ABSPATH' ) || exit;

/**
 * What is on the site, as schema/inventory.schema.json describes it. Never contains
 * null: an absent value is "", 0, false or an empty list, so the document crosses
 * XML-RPC unchanged. Reads only; update checks are read from their transients and
 * never triggered (they would call out to the network).
 */
final class Inventory {

	public const SCHEMA_VERSION = 1;
	public const USER_LIMIT     = 500;

	/**
	 * Builds the whole inventory.
	 *
	 * @return array<string, mixed>
	 */
	public static function build(): array {
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		$user_counts = count_users();
		return array(
			'schema_version' => self::SCHEMA_VERSION,
			'generated_at'   => gmdate( 'Y-m-d\TH:i:s+00:00' ),
			'site'           => self::site(),
			'software'       => self::software(),
			'plugins'        => self::plugins(),
			'themes'         => self::themes(),
			'post_types'     => self::post_types(),
			'taxonomies'     => self::taxonomies(),
			'roles'          => self::roles( $user_counts ),
			'users'          => self::users( $user_counts ),
			'admin_menu'     => ( new Admin_Menu_Snapshot() )->take(),
			// After the snapshot: some plugins' rules name submenu items by its keys.
			'menu_restrictions' => Menu_Restriction_Plugins::detect(),
		);
	}

	/**
	 * Names, URLs and settings of the site.
	 *
	 * @return array<string, mixed>
	 */
	private static function site(): array {
		return array(
			'name'                => (string) get_bloginfo( 'name' ),
			'description'         => (string) get_bloginfo( 'description' ),
			'home_url'            => home_url(),
			'site_url'            => site_url(),
			'admin_email'         => (string) get_option( 'admin_email', '' ),
			'locale'              => get_locale(),
			'timezone'            => wp_timezone_string(),
			'permalink_structure' => (string) get_option( 'permalink_structure', '' ),
			'environment_type'    => wp_get_environment_type(),
			'multisite'           => is_multisite(),
			'is_ssl'              => is_ssl(),
		);
	}

	/**
	 * Versions of what runs the site.
	 *
	 * @return array<string, string>
	 */
	private static function software(): array {
		global $wpdb;
		$server = isset( $_SERVER['SERVER_SOFTWARE'] ) ? sanitize_text_field( wp_unslash( $_SERVER['SERVER_SOFTWARE'] ) ) : '';
		return array(
			'wordpress' => (string) get_bloginfo( 'version' ),
			'php'       => PHP_VERSION,
			'database'  => (string) $wpdb->db_server_info(),
			'plugin'    => HANDOFF_COMPANION_VERSION,
			'server'    => $server,
		);
	}

	/**
	 * Installed plugins, must-use plugins and drop-ins.
	 *
	 * @return array<int, array<string, mixed>>
	 */
	private static function plugins(): array {
		$updates = get_site_transient( 'update_plugins' );
		$list    = array();
		$groups  = array(
			'regular'  => get_plugins(),
			'must_use' => get_mu_plugins(),
			'dropin'   => get_dropins(),
		);
		foreach ( $groups as $group => $plugins ) {
			foreach ( $plugins as $file => $data ) {
				$update = '';
				if ( isset( $updates->response[ $file ]->new_version ) ) {
					$update = (string) $updates->response[ $file ]->new_version;
				}
				$list[] = array(
					'file'             => (string) $file,
					'name'             => (string) ( $data['Name'] ? $data['Name'] : $file ),
					'version'          => (string) $data['Version'],
					'author'           => wp_strip_all_tags( (string) $data['Author'] ),
					'plugin_uri'       => (string) $data['PluginURI'],
					'active'           => 'regular' === $group ? is_plugin_active( $file ) : true,
					'must_use'         => 'must_use' === $group,
					'dropin'           => 'dropin' === $group,
					'update_available' => $update,
				);
			}
		}
		return $list;
	}

	/**
	 * Installed themes.
	 *
	 * @return array<int, array<string, mixed>>
	 */
	private static function themes(): array {
		$updates = get_site_transient( 'update_themes' );
		$active  = get_stylesheet();
		$list    = array();
		/**
		 * Each installed theme.
		 *
		 * @var WP_Theme $theme
		 */
		foreach ( wp_get_themes() as $stylesheet => $theme ) {
			$parent = $theme->parent();
			$list[] = array(
				'stylesheet'       => (string) $stylesheet,
				'name'             => (string) $theme->get( 'Name' ),
				'version'          => (string) $theme->get( 'Version' ),
				'active'           => $active === $stylesheet,
				'parent'           => $parent ? (string) $parent->get_stylesheet() : '',
				'update_available' => isset( $updates->response[ $stylesheet ]['new_version'] ) ? (string) $updates->response[ $stylesheet ]['new_version'] : '',
			);
		}
		return $list;
	}

	/**
	 * Post types a person works with (those with an admin UI or a public face).
	 *
	 * @return array<int, array<string, mixed>>
	 */
	private static function post_types(): array {
		$list = array();
		/**
		 * Each registered post type.
		 *
		 * @var WP_Post_Type $type
		 */
		foreach ( get_post_types( array(), 'objects' ) as $type ) {
			if ( ! $type->show_ui && ! $type->public ) {
				continue;
			}
			$counts = (array) wp_count_posts( $type->name );
			$count  = 0;
			foreach ( array( 'publish', 'future', 'draft', 'pending', 'private', 'inherit' ) as $status ) {
				$count += isset( $counts[ $status ] ) ? (int) $counts[ $status ] : 0;
			}
			$list[] = array(
				'name'           => $type->name,
				'label'          => (string) $type->label,
				'singular_label' => (string) $type->labels->singular_name,
				'description'    => (string) $type->description,
				'public'         => (bool) $type->public,
				'hierarchical'   => (bool) $type->hierarchical,
				'builtin'        => (bool) $type->_builtin,
				'show_ui'        => (bool) $type->show_ui,
				'menu_icon'      => is_string( $type->menu_icon ) ? $type->menu_icon : '',
				'count'          => $count,
				'labels'         => array(
					'menu_name'    => (string) $type->labels->menu_name,
					'all_items'    => (string) $type->labels->all_items,
					'add_new_item' => (string) $type->labels->add_new_item,
					'edit_item'    => (string) $type->labels->edit_item,
				),
			);
		}
		return $list;
	}

	/**
	 * Taxonomies with an admin UI or a public face.
	 *
	 * @return array<int, array<string, mixed>>
	 */
	private static function taxonomies(): array {
		$list = array();
		/**
		 * Each registered taxonomy.
		 *
		 * @var WP_Taxonomy $taxonomy
		 */
		foreach ( get_taxonomies( array(), 'objects' ) as $taxonomy ) {
			if ( ! $taxonomy->show_ui && ! $taxonomy->public ) {
				continue;
			}
			$list[] = array(
				'name'         => $taxonomy->name,
				'label'        => (string) $taxonomy->label,
				'object_types' => array_values( array_map( 'strval', (array) $taxonomy->object_type ) ),
				'public'       => (bool) $taxonomy->public,
				'builtin'      => (bool) $taxonomy->_builtin,
				'hierarchical' => (bool) $taxonomy->hierarchical,
			);
		}
		return $list;
	}

	/**
	 * Roles, their granted capabilities and how many users have each.
	 *
	 * @param array<string, mixed> $counts What count_users() returned.
	 * @return array<int, array<string, mixed>>
	 */
	private static function roles( array $counts ): array {
		$list = array();
		foreach ( wp_roles()->roles as $name => $role ) {
			$capabilities = array_keys( array_filter( (array) $role['capabilities'] ) );
			sort( $capabilities );
			$list[] = array(
				'name'         => (string) $name,
				'label'        => translate_user_role( $role['name'] ),
				'capabilities' => array_map( 'strval', $capabilities ),
				'user_count'   => isset( $counts['avail_roles'][ $name ] ) ? (int) $counts['avail_roles'][ $name ] : 0,
			);
		}
		return $list;
	}

	/**
	 * Users (the first 500 by ID) and the exact total.
	 *
	 * @param array<string, mixed> $counts What count_users() returned.
	 * @return array<string, mixed>
	 */
	private static function users( array $counts ): array {
		$total = (int) $counts['total_users'];
		$users = get_users(
			array(
				'number'  => self::USER_LIMIT,
				'orderby' => 'ID',
				'order'   => 'ASC',
			)
		);
		$list  = array();
		foreach ( $users as $user ) {
			$list[] = array(
				'id'           => (int) $user->ID,
				'login'        => (string) $user->user_login,
				'display_name' => (string) $user->display_name,
				'roles'        => array_values( array_map( 'strval', (array) $user->roles ) ),
			);
		}
		return array(
			'total'     => $total,
			'truncated' => $total > self::USER_LIMIT,
			'list'      => $list,
		);
	}
}
