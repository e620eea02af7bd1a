<?php
/**
 * Which REST routes of core lead to a menu item.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

defined( 'ABSPATH' ) || exit;

/**
 * Maps a REST route to the menu item that governs it: a post type's or taxonomy's
 * routes (found by `rest_namespace` and `rest_base`), and core's other routes
 * (Menu_Door_Table::REST_ROUTES). Plugins' routes are not mapped: the capabilities
 * their permission checks ask for are withheld or not (Menu_Enforcement_Report says).
 */
final class Menu_Rest_Doors {

	/**
	 * Whether a request to a route is refused for a plan.
	 *
	 * @param Menu_Lock_Plan $plan    The user's plan.
	 * @param string         $route   The route (`/wp/v2/posts/5`).
	 * @param string         $method  The HTTP method.
	 * @param string         $context The `context` argument ('' when none).
	 */
	public static function refuses( Menu_Lock_Plan $plan, string $route, string $method, string $context ): bool {
		if ( ! $plan->denied ) {
			return false;
		}
		$door = self::door( $route );
		if ( null === $door ) {
			return false;
		}
		if ( 'writes' === $door['refuses'] && in_array( strtoupper( $method ), array( 'GET', 'HEAD' ), true ) && 'edit' !== $context ) {
			return false;
		}
		return ( new Menu_Screen_Guard( $plan->denied ) )->any_denied( $door['items'] );
	}

	/**
	 * The item(s) a route leads to and which requests are refused, or null.
	 *
	 * @param string $route A route.
	 * @return array{items: string[], refuses: string, prefix: string}|null
	 */
	public static function door( string $route ): ?array {
		$route = '/' . trim( $route, '/' );
		foreach ( self::doors() as $prefix => $door ) {
			if ( $route === $prefix || 0 === strpos( $route, $prefix . '/' ) ) {
				return $door;
			}
		}
		return null;
	}

	/**
	 * Every mapped route prefix → its door (the user's own account first: it stays open).
	 *
	 * @return array<string, array{items: string[], refuses: string, prefix: string}>
	 */
	public static function doors(): array {
		$doors = array();
		foreach ( Menu_Door_Table::REST_ALWAYS_OPEN as $open ) {
			$doors[ '/wp/v2/' . $open ] = self::door_of( '/wp/v2/' . $open, array(), 'writes' );
		}
		foreach ( get_post_types( array( 'show_in_rest' => true ), 'objects' ) as $type ) {
			$items  = 'attachment' === $type->name ? array( 'upload.php' ) : array( 'post' === $type->name ? 'edit.php' : 'edit.php?post_type=' . $type->name );
			$prefix = '/' . ( $type->rest_namespace ? $type->rest_namespace : 'wp/v2' ) . '/' . ( $type->rest_base ? $type->rest_base : $type->name );
			$doors[ $prefix ] = self::door_of( $prefix, $items, 'writes' );
		}
		foreach ( get_taxonomies( array( 'show_in_rest' => true ), 'objects' ) as $taxonomy ) {
			$namespace        = isset( $taxonomy->rest_namespace ) && $taxonomy->rest_namespace ? $taxonomy->rest_namespace : 'wp/v2';
			$prefix           = '/' . $namespace . '/' . ( $taxonomy->rest_base ? $taxonomy->rest_base : $taxonomy->name );
			$doors[ $prefix ] = self::door_of( $prefix, array( 'edit-tags.php?taxonomy=' . $taxonomy->name ), 'writes' );
		}
		foreach ( Menu_Door_Table::REST_ROUTES as $base => $row ) {
			$prefix = '/wp/v2/' . $base;
			if ( ! isset( $doors[ $prefix ] ) ) {
				$doors[ $prefix ] = self::door_of( $prefix, $row['items'], $row['refuses'] );
			}
		}
		return $doors;
	}

	/**
	 * One door.
	 *
	 * @param string   $prefix  The route prefix.
	 * @param string[] $items   The items governing it.
	 * @param string   $refuses `all` or `writes`.
	 * @return array{items: string[], refuses: string, prefix: string}
	 */
	private static function door_of( string $prefix, array $items, string $refuses ): array {
		return array(
			'items'   => $items,
			'refuses' => $refuses,
			'prefix'  => $prefix,
		);
	}
}
