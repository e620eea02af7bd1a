<?php
/**
 * The reasoning behind each door of the enforcement report.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

defined( 'ABSPATH' ) || exit;

/**
 * Says, for one denied item and one target, whether each door is `closed`, `open` or
 * `unknown`, and why — from what the guards do (Menu_Screen_Guard, Menu_Capability_Guard,
 * Menu_Rest_Doors, Menu_Door_Table) and what the target's plan withholds.
 */
final class Menu_Enforcement_Doors {

	/**
	 * The five doors of an item.
	 *
	 * @param array<string, mixed>                                          $item     The planned item.
	 * @param Menu_Lock_Plan                                                $plan     The target's plan.
	 * @param array<int, array{capability: string, kept_by: string[]}>     $shared   Capabilities it needs that stay.
	 * @param string[]                                                      $withheld Capabilities it needs that are withheld.
	 * @param array<int, array{route: string, allowed: bool|null, caps: string[], error: string}> $probes Plugins' routes probed.
	 * @return array<string, array{status: string, reason: string}>
	 */
	public static function for_item( array $item, Menu_Lock_Plan $plan, array $shared, array $withheld, array $probes ): array {
		$screen = self::door( 'closed', 'page' === self::kind( $item['slug'] ) ? 'refused (403) when wp-admin builds the menu, before the page\'s own admin_init handlers' : 'refused (403) by the screen guard, with every core screen that shows or changes it (Menu_Door_Table)' );
		if ( ! $item['opens'] ) {
			$none = self::door( 'closed', sprintf( 'this target cannot open it even without the profile (no `%s`)', $item['capability'] ) );
			return array(
				'screen'     => $screen,
				'rest'       => $none,
				'admin_ajax' => $none,
				'admin_post' => $none,
				'xmlrpc'     => $none,
			);
		}
		$kind = self::kind( $item['slug'] );
		$open = self::open_reason( $shared );
		return array(
			'screen'     => $screen,
			'rest'       => self::rest( $item, $kind, $withheld, $open, $probes ),
			'admin_ajax' => 'page' === $kind ? self::by_caps( $item, $withheld, $open, 'an admin-ajax handler' ) : self::door( 'closed', 'core\'s admin-ajax actions for it are refused before their handlers (Menu_Door_Table), and object capabilities are denied' . ( $open ? '; a plugin\'s own action that checks only ' . $open : '' ) ),
			'admin_post' => self::by_caps( $item, $withheld, $open, 'an admin-post handler' ),
			'xmlrpc'     => self::xmlrpc( $item, $kind, $plan, $withheld, $open ),
		);
	}

	/**
	 * What kind of item a slug is: post_type, taxonomy, comments, settings, core or page.
	 *
	 * @param string $slug The slug.
	 */
	public static function kind( string $slug ): string {
		list( $file, $args ) = Menu_Screen_Guard::split( $slug );
		if ( isset( $args['page'] ) || ! preg_match( '/\.php$/', $file ) ) {
			return 'page';
		}
		if ( in_array( $file, array( 'edit.php', 'post-new.php', 'upload.php', 'media-new.php' ), true ) ) {
			return 'post_type';
		}
		if ( 'edit-tags.php' === $file ) {
			return 'taxonomy';
		}
		if ( 'edit-comments.php' === $file ) {
			return 'comments';
		}
		return 0 === strpos( $file, 'options-' ) ? 'settings' : 'core';
	}

	/**
	 * The REST door.
	 *
	 * @param array<string, mixed> $item     The planned item.
	 * @param string               $kind     Its kind.
	 * @param string[]             $withheld Withheld capabilities it needs.
	 * @param string               $open     Why a shared capability keeps doors open ('' when none).
	 * @param array<int, array{route: string, allowed: bool|null, caps: string[], error: string}> $probes Plugins' routes probed.
	 * @return array{status: string, reason: string}
	 */
	private static function rest( array $item, string $kind, array $withheld, string $open, array $probes ): array {
		$guard = new Menu_Screen_Guard( array( $item['slug'] => true ) );
		foreach ( Menu_Rest_Doors::doors() as $prefix => $door ) {
			if ( $door['items'] && $guard->any_denied( $door['items'] ) ) {
				return self::door( 'closed', sprintf( '%s: %s refused%s', $prefix, 'all' === $door['refuses'] ? 'every request' : 'writes and context=edit', 'post_type' === $kind ? '; edit, delete, publish and private reads of its items denied by object' : '' ) );
			}
		}
		if ( 'page' !== $kind && ! $open ) {
			return self::door( 'closed', $withheld ? self::withheld_reason( $withheld ) : 'no REST route of WordPress leads to it' );
		}
		$mine     = array();
		$unprobed = array();
		foreach ( $probes as $probe ) {
			if ( null === $probe['allowed'] && ! array_intersect( $probe['caps'], $item['caps'] ) ) {
				$unprobed[] = $probe['route'] . ' (' . $probe['error'] . ')';
			} elseif ( array_intersect( $probe['caps'], $item['caps'] ) ) {
				$mine[] = $probe;
			}
		}
		$allowed = array_filter( $mine, static fn ( $probe ) => true === $probe['allowed'] );
		if ( $allowed ) {
			return self::door( 'open', sprintf( '%s still answer%s: %s', implode( ', ', array_column( $allowed, 'route' ) ), 1 === count( $allowed ) ? 's' : '', $open ? $open : 'its permission check passes' ) );
		}
		if ( $mine ) {
			return self::door( 'closed', sprintf( '%s refused: %s', implode( ', ', array_column( $mine, 'route' ) ), $withheld ? self::withheld_reason( $withheld ) : 'its permission check fails' ) );
		}
		if ( $unprobed ) {
			return self::door( 'unknown', 'no REST route was seen asking for ' . self::caps_text( $item['caps'] ) . '; these routes\' permission checks could not be run without arguments: ' . implode( '; ', array_slice( $unprobed, 0, 5 ) ) );
		}
		return self::door( 'closed', 'no REST route asks for ' . self::caps_text( $item['caps'] ) );
	}

	/**
	 * The XML-RPC door.
	 *
	 * @param array<string, mixed> $item     The planned item.
	 * @param string               $kind     Its kind.
	 * @param Menu_Lock_Plan       $plan     The plan.
	 * @param string[]             $withheld Withheld capabilities it needs.
	 * @param string               $open     Why a shared capability keeps doors open.
	 * @return array{status: string, reason: string}
	 */
	private static function xmlrpc( array $item, string $kind, Menu_Lock_Plan $plan, array $withheld, string $open ): array {
		if ( 'post_type' === $kind ) {
			return self::door( 'closed', 'wp.editPost, wp.deletePost and wp.getPost check edit_post / delete_post, denied by object; wp.newPost checks create_posts, refused' );
		}
		if ( 'comments' === $kind ) {
			return $plan->comments_denied && ! $open ? self::door( 'closed', 'wp.editComment and wp.deleteComment check edit_comment, denied by object; ' . self::withheld_reason( $withheld ) ) : self::door( 'closed', 'wp.editComment and wp.deleteComment check edit_comment, denied by object; approved comments stay readable, as on the site' );
		}
		if ( 'page' === $kind ) {
			$methods = array_filter( array_keys( (array) apply_filters( 'xmlrpc_methods', array() ) ), static fn ( $name ) => 0 !== strpos( (string) $name, 'handoff.' ) );
			if ( ! $methods ) {
				return self::door( 'closed', 'no XML-RPC method besides WordPress\'s own, which have none for a plugin page' );
			}
			return self::by_caps( $item, $withheld, $open, 'a plugin\'s XML-RPC method (' . implode( ', ', array_slice( $methods, 0, 5 ) ) . ')' );
		}
		return self::by_caps( $item, $withheld, $open, 'an XML-RPC method' );
	}

	/**
	 * A door closed only by withheld capabilities.
	 *
	 * @param array<string, mixed> $item     The planned item.
	 * @param string[]             $withheld Withheld capabilities it needs.
	 * @param string               $open     Why a shared capability keeps doors open.
	 * @param string               $what     What would still run.
	 * @return array{status: string, reason: string}
	 */
	private static function by_caps( array $item, array $withheld, string $open, string $what ): array {
		if ( $open ) {
			return self::door( 'open', sprintf( '%s that checks only %s still runs', $what, $open ) );
		}
		if ( $withheld ) {
			return self::door( 'closed', self::withheld_reason( $withheld ) );
		}
		return self::door( 'unknown', sprintf( 'the menu names no capability for it, so none can be withheld; %s decides by its own checks', $what ) );
	}

	/**
	 * Why shared capabilities keep doors open: "`edit_posts` also opens Posts, which this
	 * profile shows"; '' when nothing is shared.
	 *
	 * @param array<int, array{capability: string, kept_by: string[]}> $shared Shared capabilities.
	 */
	private static function open_reason( array $shared ): string {
		$parts = array();
		foreach ( $shared as $entry ) {
			$parts[] = $entry['kept_by']
				? sprintf( '`%s`, which also opens %s (not denied by this profile)', $entry['capability'], implode( ', ', array_slice( $entry['kept_by'], 0, 3 ) ) )
				: sprintf( '`%s`, which every user keeps', $entry['capability'] );
		}
		return implode( '; ', $parts );
	}

	/**
	 * "`upload_files` is withheld from this target".
	 *
	 * @param string[] $withheld Capabilities.
	 */
	private static function withheld_reason( array $withheld ): string {
		return self::caps_text( $withheld ) . ' withheld: whatever checks ' . ( 1 === count( $withheld ) ? 'it' : 'them' ) . ' refuses';
	}

	/**
	 * Capabilities as text.
	 *
	 * @param string[] $caps Capabilities.
	 */
	private static function caps_text( array $caps ): string {
		return $caps ? '`' . implode( '`, `', $caps ) . '`' : 'no capability';
	}

	/**
	 * One door.
	 *
	 * @param string $status closed, open or unknown.
	 * @param string $reason Why.
	 * @return array{status: string, reason: string}
	 */
	private static function door( string $status, string $reason ): array {
		return array(
			'status' => $status,
			'reason' => $reason,
		);
	}
}
