<?php
/**
 * What "denied" closes, door by door, for a profile on this site.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use Throwable;
use WP_REST_Request;

defined( 'ABSPATH' ) || exit;

/**
 * For every denied item and each target (every targeted role, every targeted login): the
 * screen, REST, admin-ajax, admin-post and XML-RPC doors, each `closed`, `open` or
 * `unknown` with the reason — computed from the site's real capabilities (Menu_Lock_Plan
 * on the captured menu), its registered post types and taxonomies, and its REST routes:
 * plugins' routes are probed by running their permission callbacks, with no arguments,
 * as a user holding the target's capabilities less the withheld ones, and recording the
 * capabilities they ask for. Where that tells nothing the answer is `unknown`, with why.
 * Writes nothing; the probe's only effect is calling permission callbacks.
 */
final class Menu_Enforcement_Report {

	/**
	 * Namespaces whose routes Menu_Rest_Doors maps, or that are not a door to a menu item.
	 */
	private const MAPPED_NAMESPACES = array( 'wp/v2', 'wp-site-health/v1', 'wp-block-editor/v1', 'oembed/1.0', 'handoff/v1' );

	/**
	 * The profile.
	 *
	 * @var array<string, mixed>
	 */
	private array $profile;

	/**
	 * The menu tree.
	 *
	 * @var array<int, array<string, mixed>>
	 */
	private array $tree;

	/**
	 * Plugins' REST routes as probed per target: target → list of [route, methods, allowed|null, caps asked].
	 *
	 * @var array<string, array<int, array{route: string, allowed: bool|null, caps: string[], error: string}>>
	 */
	private array $probes = array();

	/**
	 * Sets up a report.
	 *
	 * @param array<string, mixed>             $profile The profile, decoded as associative arrays.
	 * @param array<int, array<string, mixed>> $tree    The captured menu tree.
	 */
	public function __construct( array $profile, array $tree ) {
		$this->profile = $profile;
		$this->tree    = $tree;
	}

	/**
	 * The report: `{"items": [{"slug", "parent", "targets": [{"target", "opens_without_profile",
	 * "withheld", "shared", "doors": {"screen", "rest", "admin_ajax", "admin_post",
	 * "xmlrpc"}}]}]}`, each door `{"status", "reason"}`.
	 *
	 * @return array<string, mixed>
	 */
	public function build(): array {
		$targets = $this->targets();
		$plans   = array();
		foreach ( $targets as $name => $allcaps ) {
			$plans[ $name ] = Menu_Lock_Plan::build( $this->profile, $this->tree, $allcaps );
		}
		$items = array();
		foreach ( Menu_Item_States::of( $this->profile, $this->tree ) as $index => $item ) {
			if ( 'denied' !== $item['state'] ) {
				continue;
			}
			$rows = array();
			foreach ( $plans as $name => $plan ) {
				$rows[] = $this->row( (string) $name, $plan, $plan->items[ $index ], $targets[ $name ] );
			}
			$items[] = array(
				'slug'    => $item['slug'],
				'parent'  => $item['parent'],
				'targets' => $rows,
			);
		}
		return array( 'items' => $items );
	}

	/**
	 * The targets and their capabilities: `role:NAME` per targeted role, `user:LOGIN` per
	 * targeted login (their roles' capabilities).
	 *
	 * @return array<string, array<string, bool>>
	 */
	private function targets(): array {
		$targets = array();
		foreach ( (array) ( $this->profile['targets']['roles'] ?? array() ) as $role_name ) {
			$role = is_string( $role_name ) ? get_role( $role_name ) : null;
			if ( $role ) {
				$targets[ 'role:' . $role_name ] = array_filter( (array) $role->capabilities );
			}
		}
		foreach ( (array) ( $this->profile['targets']['users'] ?? array() ) as $login ) {
			$user = is_string( $login ) ? get_user_by( 'login', $login ) : false;
			if ( $user ) {
				$targets[ 'user:' . $login ] = array_filter( (array) $user->allcaps );
			}
		}
		return $targets;
	}

	/**
	 * One denied item for one target.
	 *
	 * @param string                $target  The target's name.
	 * @param Menu_Lock_Plan        $plan    The target's plan.
	 * @param array<string, mixed>  $item    The item, as planned.
	 * @param array<string, bool>   $allcaps The target's capabilities.
	 * @return array<string, mixed>
	 */
	private function row( string $target, Menu_Lock_Plan $plan, array $item, array $allcaps ): array {
		$held     = array_values( array_filter( $item['caps'], static fn ( $cap ) => ! empty( $allcaps[ $cap ] ) ) );
		$withheld = array_values( array_filter( $held, static fn ( $cap ) => isset( $plan->withheld[ $cap ] ) ) );
		$shared   = array();
		foreach ( array_diff( $held, $withheld ) as $cap ) {
			$shared[] = array(
				'capability' => $cap,
				'kept_by'    => $plan->kept_by( $cap ),
			);
		}
		$doors = Menu_Enforcement_Doors::for_item( $item, $plan, $shared, $withheld, $this->rest_probe( $target, $allcaps, $plan ) );
		return array(
			'target'                => $target,
			'opens_without_profile' => (bool) $item['opens'],
			'withheld'              => $withheld,
			'shared'                => $shared,
			'doors'                 => $doors,
		);
	}

	/**
	 * Plugins' REST routes probed as the target (once per target).
	 *
	 * @param string              $target  The target's name.
	 * @param array<string, bool> $allcaps The target's capabilities.
	 * @param Menu_Lock_Plan      $plan    The target's plan.
	 * @return array<int, array{route: string, allowed: bool|null, caps: string[], error: string}>
	 */
	private function rest_probe( string $target, array $allcaps, Menu_Lock_Plan $plan ): array {
		if ( isset( $this->probes[ $target ] ) ) {
			return $this->probes[ $target ];
		}
		$simulated = array_merge( $allcaps, array_fill_keys( array_keys( $plan->withheld ), false ) );
		$asked     = array();
		$recorder  = static function ( $caps, $primitive ) use ( &$asked, $simulated ) {
			foreach ( (array) $primitive as $cap ) {
				$asked[] = (string) $cap;
			}
			return $simulated;
		};
		$results   = array();
		add_filter( 'user_has_cap', $recorder, PHP_INT_MAX, 2 );
		try {
			foreach ( rest_get_server()->get_routes() as $route => $handlers ) {
				$namespace = explode( '/', trim( (string) $route, '/' ) );
				if ( count( $namespace ) < 2 || in_array( $namespace[0] . '/' . $namespace[1], self::MAPPED_NAMESPACES, true ) ) {
					continue;
				}
				foreach ( (array) $handlers as $handler ) {
					$asked     = array();
					$results[] = self::probe( (string) $route, is_array( $handler ) ? $handler : array(), $asked );
				}
			}
		} finally {
			remove_filter( 'user_has_cap', $recorder, PHP_INT_MAX );
		}
		$this->probes[ $target ] = $results;
		return $results;
	}

	/**
	 * Runs one handler's permission callback; what it answered and asked for.
	 *
	 * @param string               $route   The route.
	 * @param array<string, mixed> $handler The handler.
	 * @param string[]             $asked   The capabilities asked (filled while it runs).
	 * @return array{route: string, allowed: bool|null, caps: string[], error: string}
	 */
	private static function probe( string $route, array $handler, array &$asked ): array {
		$callback = $handler['permission_callback'] ?? null;
		$methods  = array_keys( array_filter( (array) ( $handler['methods'] ?? array() ) ) );
		$label    = implode( ',', $methods ) . ' ' . $route;
		if ( null === $callback ) {
			return array( 'route' => $label, 'allowed' => true, 'caps' => array(), 'error' => '' );
		}
		if ( ! is_callable( $callback ) ) {
			return array( 'route' => $label, 'allowed' => null, 'caps' => array(), 'error' => 'its permission_callback is not callable' );
		}
		try {
			$answer = call_user_func( $callback, new WP_REST_Request( (string) ( $methods[0] ?? 'GET' ), $route ) );
		} catch ( Throwable $error ) {
			return array( 'route' => $label, 'allowed' => null, 'caps' => array_values( array_unique( $asked ) ), 'error' => 'its permission_callback failed without arguments: ' . $error->getMessage() );
		}
		return array( 'route' => $label, 'allowed' => true === $answer, 'caps' => array_values( array_unique( $asked ) ), 'error' => '' );
	}
}
