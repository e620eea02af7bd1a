<?php
/**
 * What the capability guard withholds from one user.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

defined( 'ABSPATH' ) || exit;

/**
 * For a targeted user (their capabilities as their roles grant them), the menu tree and
 * the profile: each item's governing capabilities (its menu capability, a post type's or
 * taxonomy's capabilities, Menu_Door_Table::ITEM_CAPS), and from them
 *
 * - `withheld`: capabilities that open only denied items in the user's menu (an item the
 *   user can open that is not denied — visible or hidden, which still opens by URL — keeps
 *   every capability it needs);
 * - `shared`: capabilities of denied items that stay, with the items that keep them;
 * - the post types, taxonomies and comments denied by object (meta capabilities), and the
 *   post types whose `create_posts` is refused.
 *
 * Pure: reads post type and taxonomy objects, writes nothing.
 */
final class Menu_Lock_Plan {

	/**
	 * Meta capabilities that need an object: never mapped without one.
	 */
	private const OBJECT_CAPS = array( 'edit_post', 'edit_page', 'delete_post', 'delete_page', 'read_post', 'read_page', 'publish_post', 'edit_comment', 'edit_term', 'delete_term', 'assign_term', 'edit_user', 'delete_user', 'promote_user', 'remove_user' );

	/**
	 * Every item with its state and governing capabilities.
	 *
	 * @var array<int, array{parent: string, slug: string, capability: string, state: string, caps: string[], opens: bool}>
	 */
	public array $items = array();

	/**
	 * Withheld capabilities, as keys.
	 *
	 * @var array<string, true>
	 */
	public array $withheld = array();

	/**
	 * Capabilities of denied items that stay → the slugs of the items that keep them.
	 *
	 * @var array<string, string[]>
	 */
	public array $shared = array();

	/**
	 * Denied slugs, as keys.
	 *
	 * @var array<string, true>
	 */
	public array $denied = array();

	/**
	 * Post types whose items are denied by object (edit, delete, publish, read private).
	 *
	 * @var array<string, true>
	 */
	public array $denied_types = array();

	/**
	 * Post types whose "Add New" is denied.
	 *
	 * @var array<string, true>
	 */
	public array $create_denied = array();

	/**
	 * Taxonomies whose terms are denied by object.
	 *
	 * @var array<string, true>
	 */
	public array $denied_taxonomies = array();

	/**
	 * Whether Comments is denied (edit_comment refused).
	 *
	 * @var bool
	 */
	public bool $comments_denied = false;

	/**
	 * Computes the plan.
	 *
	 * @param array<string, mixed>             $profile The profile, decoded as associative arrays.
	 * @param array<int, array<string, mixed>> $tree    The menu tree (Menu_Capability_Map).
	 * @param array<string, bool>              $allcaps The user's capabilities (from their roles).
	 * @param int                              $user_id The user (for mapping meta capabilities; 0 for a role).
	 */
	public static function build( array $profile, array $tree, array $allcaps, int $user_id = 0 ): self {
		$plan = new self();
		foreach ( Menu_Item_States::of( $profile, $tree ) as $item ) {
			$item['caps']  = self::governing_caps( $item['slug'], $item['capability'], $user_id );
			$item['opens'] = self::opens( $item['capability'], $allcaps, $user_id );
			$plan->items[] = $item;
			if ( 'denied' === $item['state'] ) {
				$plan->deny( $item['slug'] );
			}
		}
		$needed = array();
		foreach ( $plan->items as $item ) {
			if ( 'denied' !== $item['state'] && $item['opens'] ) {
				foreach ( $item['caps'] as $cap ) {
					$needed[ $cap ][] = $item['slug'];
				}
			}
		}
		foreach ( $plan->items as $item ) {
			if ( 'denied' !== $item['state'] ) {
				continue;
			}
			foreach ( $item['caps'] as $cap ) {
				if ( isset( $needed[ $cap ] ) || in_array( $cap, Menu_Door_Table::NEVER_WITHHELD, true ) ) {
					$plan->shared[ $cap ] = array_values( array_unique( $needed[ $cap ] ?? array() ) );
				} elseif ( ! empty( $allcaps[ $cap ] ) ) {
					$plan->withheld[ $cap ] = true;
				}
			}
		}
		return $plan;
	}

	/**
	 * Whether a post type's items are denied by object.
	 *
	 * @param string $post_type The post type.
	 */
	public function denies_type( string $post_type ): bool {
		return isset( $this->denied_types[ $post_type ] );
	}

	/**
	 * The items (of this user's menu) that keep a capability, '' when none.
	 *
	 * @param string $cap A capability.
	 * @return string[]
	 */
	public function kept_by( string $cap ): array {
		return $this->shared[ $cap ] ?? array();
	}

	/**
	 * Records a denied slug and what it denies by object.
	 *
	 * @param string $slug The slug.
	 */
	private function deny( string $slug ): void {
		$this->denied[ $slug ]    = true;
		list( $file, $args )      = Menu_Screen_Guard::split( $slug );
		if ( isset( $args['page'] ) ) {
			return;
		}
		if ( 'edit.php' === $file || 'post-new.php' === $file ) {
			$type                         = is_string( $args['post_type'] ?? null ) ? $args['post_type'] : 'post';
			$this->create_denied[ $type ] = true;
			if ( 'edit.php' === $file ) {
				$this->denied_types[ $type ] = true;
			}
		} elseif ( 'upload.php' === $file ) {
			$this->denied_types['attachment']  = true;
			$this->create_denied['attachment'] = true;
		} elseif ( 'media-new.php' === $file ) {
			$this->create_denied['attachment'] = true;
		} elseif ( 'edit-tags.php' === $file ) {
			$taxonomy                             = is_string( $args['taxonomy'] ?? null ) ? $args['taxonomy'] : 'post_tag';
			$this->denied_taxonomies[ $taxonomy ] = true;
		} elseif ( 'edit-comments.php' === $file ) {
			$this->comments_denied = true;
		}
	}

	/**
	 * The primitive capabilities an item stands for.
	 *
	 * @param string $slug       The item's slug.
	 * @param string $capability Its menu capability.
	 * @param int    $user_id    The user, for mapping.
	 * @return string[]
	 */
	public static function governing_caps( string $slug, string $capability, int $user_id = 0 ): array {
		list( $file, $args ) = Menu_Screen_Guard::split( $slug );
		$caps                = '' === $capability ? array() : array( $capability );
		if ( ! isset( $args['page'] ) ) {
			$caps = array_merge( $caps, Menu_Door_Table::ITEM_CAPS[ $file ] ?? array(), self::object_caps( $file, $args ) );
		}
		$primitive = array();
		foreach ( $caps as $cap ) {
			foreach ( self::primitive( (string) $cap, $user_id ) as $mapped ) {
				$primitive[ $mapped ] = true;
			}
		}
		return array_keys( $primitive );
	}

	/**
	 * The capabilities of the post type or taxonomy a core screen shows.
	 *
	 * @param string               $file The screen's file.
	 * @param array<string, mixed> $args Its arguments.
	 * @return string[]
	 */
	private static function object_caps( string $file, array $args ): array {
		$type = null;
		if ( 'edit.php' === $file || 'post-new.php' === $file ) {
			$type = get_post_type_object( is_string( $args['post_type'] ?? null ) ? $args['post_type'] : 'post' );
		} elseif ( 'upload.php' === $file ) {
			$type = get_post_type_object( 'attachment' );
		}
		if ( $type ) {
			$cap = (array) $type->cap;
			if ( 'post-new.php' === $file ) {
				return array( (string) ( $cap['create_posts'] ?? '' ) );
			}
			$keys = array( 'edit_posts', 'edit_others_posts', 'edit_private_posts', 'edit_published_posts', 'publish_posts', 'delete_posts', 'delete_others_posts', 'delete_private_posts', 'delete_published_posts', 'read_private_posts', 'create_posts' );
			return array_values( array_filter( array_map( 'strval', array_intersect_key( $cap, array_flip( $keys ) ) ) ) );
		}
		if ( 'edit-tags.php' === $file ) {
			$taxonomy = get_taxonomy( is_string( $args['taxonomy'] ?? null ) ? $args['taxonomy'] : 'post_tag' );
			if ( $taxonomy ) {
				$cap = (array) $taxonomy->cap;
				return array_values( array_filter( array( (string) ( $cap['manage_terms'] ?? '' ), (string) ( $cap['edit_terms'] ?? '' ), (string) ( $cap['delete_terms'] ?? '' ) ) ) );
			}
		}
		return array();
	}

	/**
	 * A capability as the primitive ones WordPress checks (`customize` →
	 * `edit_theme_options`); object meta capabilities are kept as they are.
	 *
	 * @param string $cap     A capability.
	 * @param int    $user_id The user.
	 * @return string[]
	 */
	private static function primitive( string $cap, int $user_id ): array {
		if ( '' === $cap ) {
			return array();
		}
		if ( in_array( $cap, self::OBJECT_CAPS, true ) ) {
			return array( $cap );
		}
		$mapped = map_meta_cap( $cap, $user_id );
		return array_values( array_filter( array_map( 'strval', (array) $mapped ), static fn ( $name ) => 'do_not_allow' !== $name && '' !== $name ) );
	}

	/**
	 * Whether a user with these capabilities can open an item with this menu capability.
	 *
	 * @param string              $capability The menu capability.
	 * @param array<string, bool> $allcaps    The user's capabilities.
	 * @param int                 $user_id    The user.
	 */
	private static function opens( string $capability, array $allcaps, int $user_id ): bool {
		if ( '' === $capability ) {
			return true;
		}
		if ( ! empty( $allcaps[ $capability ] ) ) {
			return true;
		}
		foreach ( self::primitive( $capability, $user_id ) as $cap ) {
			if ( empty( $allcaps[ $cap ] ) ) {
				return false;
			}
		}
		return true;
	}
}
