<?php
/**
 * Whether a wp-admin request opens a denied screen.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

defined( 'ABSPATH' ) || exit;

/**
 * Decides, from the denied slugs and the request, whether a screen (or a core
 * admin-ajax action) opens what a denied item governs. Plugin pages are found by their
 * page name; core screens through Menu_Door_Table (post type, post, revision, taxonomy,
 * settings group), others by file and query as the slug is written.
 *
 * Nothing here refuses: the caller does (Menu_Applier for screens, Menu_Capability_Guard
 * for admin-ajax), so the same decision serves the tests.
 */
final class Menu_Screen_Guard {

	/**
	 * Slugs (entities decoded) of the denied items, as keys.
	 *
	 * @var array<string, true>
	 */
	private array $denied;

	/**
	 * Sets up the guard.
	 *
	 * @param array<string, true> $denied The denied slugs, as keys.
	 */
	public function __construct( array $denied ) {
		$this->denied = $denied;
	}

	/**
	 * Whether a request opens a denied screen.
	 *
	 * @param string                $pagenow     The wp-admin file (edit.php, admin.php, …).
	 * @param string                $plugin_page The plugin page (the `page` query argument), or ''.
	 * @param array<string, string> $request     The request's arguments (query and posted fields).
	 * @param string                $post_type   The screen's post type, when known ('' otherwise).
	 * @param string                $taxonomy    The screen's taxonomy, when known ('' otherwise).
	 */
	public function is_denied( string $pagenow, string $plugin_page, array $request, string $post_type = '', string $taxonomy = '' ): bool {
		if ( ! $this->denied ) {
			return false;
		}
		if ( '' !== $plugin_page ) {
			return $this->is_page_denied( $plugin_page, $pagenow );
		}
		$row = Menu_Door_Table::SCREENS[ $pagenow ] ?? null;
		if ( null === $row ) {
			return $this->matches( $pagenow, $request, false );
		}
		return $this->row_denied( $row, $request, $post_type, $taxonomy );
	}

	/**
	 * Whether a core admin-ajax action changes what a denied item governs.
	 *
	 * @param string                $action  The action.
	 * @param array<string, string> $request The request's arguments.
	 */
	public function is_ajax_denied( string $action, array $request ): bool {
		$row = Menu_Door_Table::AJAX_ACTIONS[ $action ] ?? null;
		return null !== $row && $this->denied && $this->row_denied( $row, $request, '', '' );
	}

	/**
	 * Whether any of these items (slugs as the door table writes them) is denied.
	 *
	 * @param string[] $slugs Slugs.
	 */
	public function any_denied( array $slugs ): bool {
		foreach ( $slugs as $slug ) {
			list( $file, $args ) = self::split( $slug );
			if ( isset( $args['page'] ) ? $this->is_page_denied( (string) $args['page'], $file ) : $this->matches( $file, $args, true ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a plugin page is denied: by its name, or a slug `FILE?page=NAME` under the
	 * file it is opened from (or admin.php).
	 *
	 * @param string $plugin_page The page name.
	 * @param string $pagenow     The file it is opened from.
	 */
	public function is_page_denied( string $plugin_page, string $pagenow ): bool {
		foreach ( array_keys( $this->denied ) as $slug ) {
			$slug = (string) $slug;
			if ( $slug === $plugin_page ) {
				return true;
			}
			list( $file, $args ) = self::split( $slug );
			if ( isset( $args['page'] ) && $args['page'] === $plugin_page && in_array( $file, array( $pagenow, 'admin.php' ), true ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a row of the door table leads to a denied item for this request.
	 *
	 * @param array<string, mixed>  $row       The row.
	 * @param array<string, string> $request   The request's arguments.
	 * @param string                $post_type The screen's post type ('' when unknown).
	 * @param string                $taxonomy  The screen's taxonomy ('' when unknown).
	 */
	private function row_denied( array $row, array $request, string $post_type, string $taxonomy ): bool {
		foreach ( $this->targets( $row, $request, $post_type, $taxonomy ) as $target ) {
			if ( isset( $target['page'] ) ? $this->is_page_denied( $target['page'], 'options-general.php' ) : $this->matches( $target[0], $target[1], true ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The items a row leads to for this request: [file, args] pairs, or ['page' => name]
	 * for a plugin page.
	 *
	 * @param array<string, mixed>  $row       The row.
	 * @param array<string, string> $request   The request's arguments.
	 * @param string                $post_type The screen's post type ('' when unknown).
	 * @param string                $taxonomy  The screen's taxonomy ('' when unknown).
	 * @return array<int, array<int|string, mixed>>
	 */
	public static function targets( array $row, array $request, string $post_type = '', string $taxonomy = '' ): array {
		$items = (array) $row['items'];
		switch ( $row['by'] ) {
			case 'post_type':
				return self::post_type_targets( $items, '' !== $post_type ? $post_type : ( $request['post_type'] ?? 'post' ) );
			case 'post':
				$post = get_post( self::id_arg( $row, $request ) );
				return self::post_type_targets( $items, $post ? $post->post_type : ( '' !== $post_type ? $post_type : 'post' ) );
			case 'revision':
				$revision = get_post( self::id_arg( $row, $request ) );
				$parent   = $revision ? get_post( 'revision' === $revision->post_type ? $revision->post_parent : $revision->ID ) : null;
				return self::post_type_targets( $items, $parent ? $parent->post_type : 'post' );
			case 'taxonomy':
				$taxonomy = '' !== $taxonomy ? $taxonomy : ( $request['taxonomy'] ?? 'post_tag' );
				return array( array( 'edit-tags.php', array( 'taxonomy' => $taxonomy ) ) );
			case 'option_page':
				return array( self::option_page_target( (string) ( $request['option_page'] ?? '' ) ) );
			default:
				return array_map( array( self::class, 'split' ), $items );
		}
	}

	/**
	 * The screens a post type's request leads to: `FILE?post_type=X` for each file
	 * (`FILE` for posts; upload.php for attachments).
	 *
	 * @param string[] $files     Files from the row.
	 * @param string   $post_type The post type.
	 * @return array<int, array{0: string, 1: array<string, string>}>
	 */
	private static function post_type_targets( array $files, string $post_type ): array {
		if ( 'attachment' === $post_type ) {
			return array( array( 'upload.php', array() ) );
		}
		$targets = array();
		foreach ( $files as $file ) {
			$targets[] = array( $file, array( 'post_type' => '' === $post_type ? 'post' : $post_type ) );
		}
		return $targets;
	}

	/**
	 * The screen a settings group posted to options.php belongs to: a core group's
	 * settings screen; the plugin page of the same name when the menu has one (plugins
	 * usually name their group after their page); else Settings (also for the "All
	 * Settings" screen, options.php without a group).
	 *
	 * @param string $group The `option_page` field.
	 * @return array<int|string, mixed>
	 */
	private static function option_page_target( string $group ) {
		if ( isset( Menu_Door_Table::OPTION_PAGES[ $group ] ) ) {
			return array( Menu_Door_Table::OPTION_PAGES[ $group ], array() );
		}
		if ( '' !== $group && self::menu_has_page( $group ) ) {
			return array( 'page' => $group );
		}
		return array( 'options-general.php', array() );
	}

	/**
	 * Whether wp-admin's menu (still complete until the menu is printed) has a page slug.
	 *
	 * @param string $slug A page name.
	 */
	private static function menu_has_page( string $slug ): bool {
		foreach ( (array) ( $GLOBALS['menu'] ?? array() ) as $item ) {
			if ( is_array( $item ) && isset( $item[2] ) && $slug === $item[2] ) {
				return true;
			}
		}
		foreach ( (array) ( $GLOBALS['submenu'] ?? array() ) as $children ) {
			foreach ( (array) $children as $child ) {
				if ( is_array( $child ) && isset( $child[2] ) && $slug === $child[2] ) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * The first ID argument of a row the request carries (0 when none).
	 *
	 * @param array<string, mixed>  $row     The row.
	 * @param array<string, string> $request The request's arguments.
	 */
	private static function id_arg( array $row, array $request ): int {
		foreach ( (array) ( $row['args'] ?? array() ) as $name ) {
			if ( isset( $request[ $name ] ) && ctype_digit( $request[ $name ] ) ) {
				return (int) $request[ $name ];
			}
		}
		return 0;
	}

	/**
	 * Whether a screen (file and arguments) is a denied item.
	 *
	 * @param string               $file   The screen's file.
	 * @param array<string, mixed> $args   Its arguments: a door-table target's, or the request's.
	 * @param bool                 $mapped Whether $args come from the door table (a denied slug then
	 *                                     matches only without arguments of its own beyond type and taxonomy).
	 */
	private function matches( string $file, array $args, bool $mapped ): bool {
		foreach ( array_keys( $this->denied ) as $slug ) {
			list( $slug_file, $slug_args ) = self::split( (string) $slug );
			if ( $slug_file === $file && ! isset( $slug_args['page'] ) && self::args_match( $file, $slug_args, $args, $mapped ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a denied slug's arguments match a screen's. edit.php and post-new.php compare
	 * post types (none means `post`), edit-tags.php taxonomies (none means any);
	 * customize.php's `return` is ignored; other arguments must be equal.
	 *
	 * @param string               $file      The file.
	 * @param array<string, mixed> $slug_args The denied slug's arguments.
	 * @param array<string, mixed> $args      The screen's.
	 * @param bool                 $mapped    Whether $args come from the door table.
	 */
	private static function args_match( string $file, array $slug_args, array $args, bool $mapped ): bool {
		if ( in_array( $file, array( 'edit.php', 'post-new.php' ), true ) ) {
			if ( ( $slug_args['post_type'] ?? 'post' ) !== ( $args['post_type'] ?? 'post' ) ) {
				return false;
			}
			unset( $slug_args['post_type'] );
		}
		if ( 'edit-tags.php' === $file ) {
			if ( isset( $slug_args['taxonomy'] ) && $slug_args['taxonomy'] !== ( $args['taxonomy'] ?? 'post_tag' ) ) {
				return false;
			}
			unset( $slug_args['taxonomy'], $slug_args['post_type'] );
		}
		unset( $slug_args['return'] );
		if ( $mapped ) {
			return ! $slug_args;
		}
		foreach ( $slug_args as $name => $value ) {
			if ( ! is_string( $value ) || ! isset( $args[ $name ] ) || $args[ $name ] !== $value ) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The request's arguments that are strings, unslashed: the query, then the posted
	 * fields the door table reads (settings group, post ID), which a form posts.
	 *
	 * @return array<string, string>
	 */
	public static function request(): array {
		$request = array();
		// phpcs:disable WordPress.Security.NonceVerification -- read only, to identify the screen before it runs.
		foreach ( array( wp_unslash( $_POST ), wp_unslash( $_GET ) ) as $source ) {
			foreach ( (array) $source as $name => $value ) {
				if ( is_string( $value ) ) {
					$request[ (string) $name ] = $value;
				}
			}
		}
		// phpcs:enable
		return $request;
	}

	/**
	 * A slug's file and query arguments.
	 *
	 * @param string $slug A slug, entities decoded.
	 * @return array{0: string, 1: array<string, mixed>}
	 */
	public static function split( string $slug ): array {
		$parts = explode( '?', $slug, 2 );
		$args  = array();
		if ( isset( $parts[1] ) ) {
			wp_parse_str( $parts[1], $args );
		}
		return array( $parts[0], $args );
	}
}
