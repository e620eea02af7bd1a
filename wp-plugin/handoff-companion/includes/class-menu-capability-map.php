<?php
/**
 * The admin menu's items and capabilities, kept for requests that build no menu.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

defined( 'ABSPATH' ) || exit;

/**
 * REST, XML-RPC, admin-ajax and admin-post requests build no admin menu, yet the
 * capability guard needs to know which capability opens which item. The full menu
 * (every item any role can open, with its capability) is captured when a profile is
 * stored — Admin_Menu_Snapshot, the capture the inventory uses — and kept in an
 * autoloaded option (Options::MENU_MAP), so reading it costs no query. A plugin page
 * added later is not in it until the next push (docs/menu-profiles.md says so).
 *
 * Without a capture (a profile stored before this existed), the profile's own items are
 * the tree: states and object denials still work, nothing is withheld.
 */
final class Menu_Capability_Map {

	/**
	 * The tree to plan with: the captured one, else the profile's own items.
	 *
	 * @param array<string, mixed> $profile The profile, decoded as associative arrays.
	 * @return array<int, array<string, mixed>>
	 */
	public static function tree( array $profile ): array {
		$stored = self::stored();
		return null !== $stored ? $stored : self::from_profile( $profile );
	}

	/**
	 * The captured tree, or null when none was captured. Never a query.
	 *
	 * @return array<int, array<string, mixed>>|null
	 */
	public static function stored(): ?array {
		$options = wp_load_alloptions();
		if ( ! isset( $options[ Options::MENU_MAP ] ) || ! is_string( $options[ Options::MENU_MAP ] ) ) {
			return null;
		}
		$map = json_decode( $options[ Options::MENU_MAP ], true );
		return is_array( $map ) && is_array( $map['tree'] ?? null ) ? $map['tree'] : null;
	}

	/**
	 * Captures the full menu now (in a REST or XML-RPC request) and keeps it.
	 *
	 * @return array<int, array<string, mixed>> The tree.
	 */
	public static function capture(): array {
		$tree = self::take();
		update_option(
			Options::MENU_MAP,
			wp_json_encode(
				array(
					'captured_at' => time(),
					'tree'        => $tree,
				)
			),
			true
		);
		return $tree;
	}

	/**
	 * The full menu now, captured (Admin_Menu_Snapshot) but not kept.
	 *
	 * @return array<int, array<string, mixed>>
	 */
	public static function take(): array {
		// Other plugins' menu code runs here: it sees no request input (the bridge's body is
		// never theirs to read), as when the inventory captures the menu.
		$saved = array( $_GET, $_POST, $_REQUEST ); // phpcs:ignore WordPress.Security.NonceVerification -- saved, not read.
		$_GET     = array();
		$_POST    = array();
		$_REQUEST = array();
		try {
			return self::compact( ( new Admin_Menu_Snapshot() )->take()['full'] );
		} finally {
			list( $_GET, $_POST, $_REQUEST ) = $saved;
		}
	}

	/**
	 * A tree reduced to slugs and capabilities.
	 *
	 * @param array<int, array<string, mixed>> $full The snapshot's tree.
	 * @return array<int, array<string, mixed>>
	 */
	public static function compact( array $full ): array {
		$tree = array();
		foreach ( $full as $item ) {
			$children = array();
			foreach ( (array) ( $item['children'] ?? array() ) as $child ) {
				$children[] = array(
					'slug'       => (string) ( $child['slug'] ?? '' ),
					'capability' => (string) ( $child['capability'] ?? '' ),
				);
			}
			$tree[] = array(
				'slug'       => (string) ( $item['slug'] ?? '' ),
				'capability' => (string) ( $item['capability'] ?? '' ),
				'children'   => $children,
			);
		}
		return $tree;
	}

	/**
	 * The profile's own items as a tree without capabilities.
	 *
	 * @param array<string, mixed> $profile The profile.
	 * @return array<int, array<string, mixed>>
	 */
	public static function from_profile( array $profile ): array {
		$tree = array();
		foreach ( is_array( $profile['menu'] ?? null ) ? $profile['menu'] : array() as $entry ) {
			if ( ! is_array( $entry ) ) {
				continue;
			}
			$children = array();
			foreach ( is_array( $entry['children'] ?? null ) ? $entry['children'] : array() as $child ) {
				if ( is_array( $child ) ) {
					$children[] = array(
						'slug'       => (string) ( $child['slug'] ?? '' ),
						'capability' => '',
					);
				}
			}
			$tree[] = array(
				'slug'       => (string) ( $entry['slug'] ?? '' ),
				'capability' => '',
				'children'   => $children,
			);
		}
		return $tree;
	}
}
