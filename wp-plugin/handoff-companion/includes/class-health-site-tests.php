<?php
/**
 * WordPress's Site Health direct tests, run for the health answer.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use Throwable;
use WP_Error;
use WP_Site_Health;

defined( 'ABSPATH' ) || exit;

/**
 * Runs the Site Health *direct* tests (those wp-admin runs while the Site Health screen
 * loads; the async ones are left out) and keeps, for each, its id, status, label and badge.
 *
 * While the tests run:
 *
 * - HTTP requests to any host but the site's own are refused at once (`handoff_offline`),
 *   so a site without a way out, or a slow API, never makes the answer hang; requests to
 *   the site itself (the REST API loopback) go through, with their timeout capped;
 * - statements that would write to the database (INSERT, UPDATE, DELETE, REPLACE and
 *   schema changes) are dropped before they reach it: some tests cache or store what they
 *   found, and the health answer writes nothing;
 * - whatever a test prints is discarded, and a test that throws is reported as such
 *   instead of ending the answer.
 */
final class Health_Site_Tests {

	/**
	 * Seconds a request to the site itself may take while the tests run.
	 */
	public const LOOPBACK_TIMEOUT = 5;

	/**
	 * The statements dropped while the tests run.
	 */
	private const WRITE_STATEMENT = '/^\s*(?:\/\*.*?\*\/\s*)*(?:INSERT|UPDATE|DELETE|REPLACE|CREATE|ALTER|DROP|TRUNCATE|RENAME)\b/is';

	/**
	 * The results of the direct tests, in the order WordPress lists them.
	 *
	 * @return array<int, array{test: string, status: string, label: string, badge: string}>
	 */
	public static function run(): array {
		self::load();
		$health  = WP_Site_Health::get_instance();
		$results = array();
		self::guard( true );
		try {
			$tests = WP_Site_Health::get_tests();
			foreach ( (array) ( $tests['direct'] ?? array() ) as $id => $test ) {
				$callback = self::callback( $health, is_array( $test ) ? $test : array() );
				if ( null !== $callback ) {
					$results[] = self::perform( (string) $id, is_array( $test ) ? $test : array(), $callback );
				}
			}
		} finally {
			self::guard( false );
		}
		return $results;
	}

	/**
	 * Loads what the tests need: the Site Health class and the wp-admin functions they call
	 * (update checks from their transients, the plugin list, PHP version checks).
	 */
	private static function load(): void {
		if ( ! class_exists( 'WP_Site_Health' ) ) {
			require_once ABSPATH . 'wp-admin/includes/class-wp-site-health.php';
		}
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		require_once ABSPATH . 'wp-admin/includes/update.php';
		require_once ABSPATH . 'wp-admin/includes/misc.php';
		require_once ABSPATH . 'wp-admin/includes/file.php';
	}

	/**
	 * What to call for a test, as WordPress decides it: a `get_test_{name}` method of
	 * WP_Site_Health when the test names one, else the test's callable. Null when neither.
	 *
	 * @param WP_Site_Health       $health The Site Health instance.
	 * @param array<string, mixed> $test   The test as get_tests() lists it.
	 * @return callable|null
	 */
	private static function callback( WP_Site_Health $health, array $test ) {
		$function = $test['test'] ?? null;
		if ( is_string( $function ) ) {
			$method = 'get_test_' . $function;
			if ( method_exists( $health, $method ) && is_callable( array( $health, $method ) ) ) {
				return array( $health, $method );
			}
		}
		return is_callable( $function ) ? $function : null;
	}

	/**
	 * Runs one test and shapes its result. A test that throws or answers no result is
	 * reported as `recommended`, with a label saying so.
	 *
	 * @param string               $id       The test's key in get_tests().
	 * @param array<string, mixed> $test     The test as get_tests() lists it.
	 * @param callable             $callback What runs it.
	 * @return array{test: string, status: string, label: string, badge: string}
	 */
	private static function perform( string $id, array $test, callable $callback ): array {
		$name   = self::text( $test['label'] ?? '' );
		$name   = '' === $name ? $id : $name;
		$level  = ob_get_level();
		$result = null;
		$error  = '';
		ob_start();
		try {
			/** This filter is documented in wp-admin/includes/class-wp-site-health.php */
			$result = apply_filters( 'site_status_test_result', call_user_func( $callback ) );
		} catch ( Throwable $thrown ) {
			$error = get_class( $thrown ) . ': ' . $thrown->getMessage();
		} finally {
			while ( ob_get_level() > $level ) {
				ob_end_clean();
			}
		}
		if ( '' !== $error || ! is_array( $result ) ) {
			/* translators: 1: the test's name, 2: the error. */
			$label = sprintf( __( '%1$s: the test stopped with an error (%2$s)', 'handoff-companion' ), $name, self::text( $error ) );
			if ( '' === $error ) {
				/* translators: %s: the test's name. */
				$label = sprintf( __( '%s: the test gave no result', 'handoff-companion' ), $name );
			}
			return array(
				'test'   => $id,
				'status' => 'recommended',
				'label'  => $label,
				'badge'  => '',
			);
		}
		$badge = $result['badge'] ?? array();
		$label = self::text( $result['label'] ?? '' );
		return array(
			'test'   => is_string( $result['test'] ?? null ) && '' !== $result['test'] ? $result['test'] : $id,
			'status' => is_string( $result['status'] ?? null ) ? $result['status'] : '',
			'label'  => '' === $label ? $name : $label,
			'badge'  => is_array( $badge ) ? self::text( $badge['label'] ?? '' ) : '',
		);
	}

	/**
	 * A label as plain text: no markup, entities decoded, whitespace collapsed.
	 *
	 * @param mixed $value The label.
	 */
	private static function text( $value ): string {
		if ( ! is_scalar( $value ) ) {
			return '';
		}
		$text = html_entity_decode( wp_strip_all_tags( (string) $value ), ENT_QUOTES | ENT_HTML5, 'UTF-8' );
		return trim( (string) preg_replace( '/\s+/u', ' ', $text ) );
	}

	/**
	 * Adds (true) or removes (false) the filters that keep the tests offline, quick and
	 * read only.
	 *
	 * @param bool $on Whether to add them.
	 */
	private static function guard( bool $on ): void {
		$filters = array(
			array( 'pre_http_request', 'offline', 10, 3 ),
			array( 'http_request_args', 'cap_timeout', PHP_INT_MAX, 2 ),
			array( 'query', 'drop_writes', PHP_INT_MAX, 1 ),
		);
		foreach ( $filters as list( $hook, $method, $priority, $args ) ) {
			if ( $on ) {
				add_filter( $hook, array( self::class, $method ), $priority, $args );
			} else {
				remove_filter( $hook, array( self::class, $method ), $priority );
			}
		}
	}

	/**
	 * Refuses a request to any host but the site's own (pre_http_request).
	 *
	 * @param false|array|WP_Error $response What answers the request so far (false: nothing yet).
	 * @param array<string, mixed> $args     The request's arguments.
	 * @param string               $url      The URL.
	 * @return false|array|WP_Error
	 */
	public static function offline( $response, $args, $url ) {
		if ( false !== $response || self::is_own_url( (string) $url ) ) {
			return $response;
		}
		return new WP_Error( 'handoff_offline', __( 'Requests to other hosts are not made while the Handoff health answer is built.', 'handoff-companion' ) );
	}

	/**
	 * Caps the timeout of the requests that go through (to the site itself) (http_request_args).
	 *
	 * @param array<string, mixed> $args The request's arguments.
	 * @param string               $url  The URL.
	 * @return array<string, mixed>
	 */
	public static function cap_timeout( $args, $url ) {
		$args = (array) $args;
		if ( self::is_own_url( (string) $url ) ) {
			$args['timeout'] = min( (float) ( $args['timeout'] ?? self::LOOPBACK_TIMEOUT ), self::LOOPBACK_TIMEOUT );
		}
		return $args;
	}

	/**
	 * Drops a statement that would write to the database (query).
	 *
	 * @param string $query The statement.
	 * @return string The statement, or '' (which wpdb does not run).
	 */
	public static function drop_writes( $query ) {
		return is_string( $query ) && preg_match( self::WRITE_STATEMENT, $query ) ? '' : $query;
	}

	/**
	 * Whether a URL points at the site itself (the host of its home or site URL).
	 *
	 * @param string $url The URL.
	 */
	public static function is_own_url( string $url ): bool {
		$host = strtolower( (string) wp_parse_url( $url, PHP_URL_HOST ) );
		if ( '' === $host ) {
			return false;
		}
		$own = array(
			strtolower( (string) wp_parse_url( home_url(), PHP_URL_HOST ) ),
			strtolower( (string) wp_parse_url( site_url(), PHP_URL_HOST ) ),
		);
		return in_array( $host, $own, true );
	}
}
