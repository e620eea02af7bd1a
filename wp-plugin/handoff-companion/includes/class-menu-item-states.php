<?php
/**
 * The state a profile gives each item of a menu tree.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

defined( 'ABSPATH' ) || exit;

/**
 * The rules of docs/menu-profiles.md for an item's state, on a menu given as a tree
 * (`[{slug, capability, children: [{slug, capability}]}]`, the snapshot's `full` format):
 * a named item has its state, an unnamed one follows `unknown_items` (the Site Handbook
 * shows), a submenu item of a denied parent is denied, and index.php, profile.php and the
 * Site Handbook are hidden at most. The applier follows the same rules on wp-admin's own
 * globals; this class serves the doors that are not a screen (no menu is built there).
 */
final class Menu_Item_States {

	/**
	 * The Site Handbook's top-level slug: never denied.
	 */
	public const HANDBOOK_SLUG = 'handoff-handbook';

	/**
	 * Every item of the tree with its state: top-level items have parent ''.
	 *
	 * @param array<string, mixed>             $profile The profile, decoded as associative arrays.
	 * @param array<int, array<string, mixed>> $tree    The menu tree.
	 * @return array<int, array{parent: string, slug: string, capability: string, state: string}>
	 */
	public static function of( array $profile, array $tree ): array {
		$entries = array();
		foreach ( self::list_of( $profile['menu'] ?? array() ) as $entry ) {
			$slug = (string) ( $entry['slug'] ?? '' );
			if ( ! isset( $entries[ $slug ] ) ) {
				$entries[ $slug ] = $entry;
			}
		}
		$unknown = self::unknown_state( $profile );
		$items   = array();
		foreach ( $tree as $item ) {
			if ( ! is_array( $item ) || ! isset( $item['slug'] ) ) {
				continue;
			}
			$slug  = (string) $item['slug'];
			$entry = $entries[ $slug ] ?? null;
			if ( $entry ) {
				$state = self::allowed_state( $slug, (string) ( $entry['state'] ?? 'visible' ) );
			} else {
				$state = self::allowed_state( $slug, self::unnamed_top_state( $profile, $slug ) );
			}
			$items[] = self::item( '', $slug, $item, $state );
			$listed  = self::listed_children( $entry );
			foreach ( self::list_of( $item['children'] ?? array() ) as $child ) {
				$child_slug = (string) ( $child['slug'] ?? '' );
				if ( null === $listed ) {
					$child_state = 'visible';
				} else {
					$child_state = isset( $listed[ $child_slug ] ) ? (string) ( $listed[ $child_slug ]['state'] ?? 'visible' ) : $unknown;
				}
				if ( 'denied' === $state ) {
					$child_state = 'denied';
				}
				$items[] = self::item( $slug, $child_slug, $child, self::allowed_state( $child_slug, $child_state ) );
			}
		}
		return $items;
	}

	/**
	 * The denied slugs of a tree, as keys.
	 *
	 * @param array<string, mixed>             $profile The profile.
	 * @param array<int, array<string, mixed>> $tree    The menu tree.
	 * @return array<string, true>
	 */
	public static function denied_slugs( array $profile, array $tree ): array {
		$denied = array();
		foreach ( self::of( $profile, $tree ) as $item ) {
			if ( 'denied' === $item['state'] ) {
				$denied[ $item['slug'] ] = true;
			}
		}
		return $denied;
	}

	/**
	 * The state an item may have: index.php, profile.php and the Site Handbook are hidden
	 * at most; anything but the three states counts as hidden.
	 *
	 * @param string $slug  The slug, entities decoded.
	 * @param string $state The state asked for.
	 */
	public static function allowed_state( string $slug, string $state ): string {
		if ( ! in_array( $state, array( 'visible', 'hidden', 'denied' ), true ) ) {
			return 'hidden';
		}
		return 'denied' === $state && self::never_denied( $slug ) ? 'hidden' : $state;
	}

	/**
	 * Whether a slug may never be denied.
	 *
	 * @param string $slug A slug, entities decoded.
	 */
	public static function never_denied( string $slug ): bool {
		return self::HANDBOOK_SLUG === $slug || in_array( $slug, Menu_Profile_Validator::NEVER_DENIED, true );
	}

	/**
	 * The state of the items the profile does not name.
	 *
	 * @param array<string, mixed> $profile The profile.
	 */
	public static function unknown_state( array $profile ): string {
		$states = array(
			'show' => 'visible',
			'hide' => 'hidden',
			'deny' => 'denied',
		);
		return $states[ $profile['unknown_items'] ?? 'hide' ] ?? 'hidden';
	}

	/**
	 * The state of a top-level item the profile does not name: the Site Handbook shows; the
	 * menu of a public custom post type follows `custom_post_types` when the profile sets
	 * it; everything else follows `unknown_items`.
	 *
	 * @param array<string, mixed> $profile The profile.
	 * @param string               $slug    The item's slug, entities decoded.
	 */
	public static function unnamed_top_state( array $profile, string $slug ): string {
		if ( self::HANDBOOK_SLUG === $slug ) {
			return 'visible';
		}
		$policy = $profile['custom_post_types'] ?? null;
		if ( is_string( $policy ) && self::is_public_post_type_menu( $slug ) ) {
			return self::unknown_state( array( 'unknown_items' => $policy ) );
		}
		return self::unknown_state( $profile );
	}

	/**
	 * Whether a top-level slug is the list screen of a public, non-built-in post type
	 * (`edit.php?post_type=portfolio`): the site's own content.
	 *
	 * @param string $slug A slug, entities decoded.
	 */
	public static function is_public_post_type_menu( string $slug ): bool {
		if ( 0 !== strpos( $slug, 'edit.php?post_type=' ) ) {
			return false;
		}
		$type = get_post_type_object( substr( $slug, strlen( 'edit.php?post_type=' ) ) );
		return $type && $type->public && ! $type->_builtin;
	}

	/**
	 * The children a profile entry lists, by slug (the first one wins); null when the entry
	 * lists none (the submenu is then the site's, every child visible).
	 *
	 * @param array<string, mixed>|null $entry The profile's item.
	 * @return array<string, array<string, mixed>>|null
	 */
	private static function listed_children( ?array $entry ): ?array {
		if ( ! $entry || ! isset( $entry['children'] ) || ! is_array( $entry['children'] ) ) {
			return null;
		}
		$listed = array();
		foreach ( self::list_of( $entry['children'] ) as $child ) {
			$slug = (string) ( $child['slug'] ?? '' );
			if ( ! isset( $listed[ $slug ] ) ) {
				$listed[ $slug ] = $child;
			}
		}
		return $listed;
	}

	/**
	 * One item of the answer.
	 *
	 * @param string               $parent The parent's slug ('' for top level).
	 * @param string               $slug   The slug.
	 * @param array<string, mixed> $node   The tree's node.
	 * @param string               $state  Its state.
	 * @return array{parent: string, slug: string, capability: string, state: string}
	 */
	private static function item( string $parent, string $slug, array $node, string $state ): array {
		return array(
			'parent'     => $parent,
			'slug'       => $slug,
			'capability' => (string) ( $node['capability'] ?? '' ),
			'state'      => $state,
		);
	}

	/**
	 * The items of a decoded list that are objects.
	 *
	 * @param mixed $list A decoded JSON list.
	 * @return array<int, array<string, mixed>>
	 */
	private static function list_of( $list ): array {
		return is_array( $list ) ? array_values( array_filter( $list, 'is_array' ) ) : array();
	}
}
