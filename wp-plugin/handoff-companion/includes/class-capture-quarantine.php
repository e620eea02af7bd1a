<?php
/**
 * What other plugins' code may do while the menu snapshot runs it.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use WP_Error;
use WP_Hook;

defined( 'ABSPATH' ) || exit;

/**
 * The menu snapshot fires every plugin's `admin_menu` callbacks for a user holding every
 * capability some role has. Plugins commonly save their settings there, behind
 * current_user_can( 'manage_options' ), from $_POST. Between enter() and leave():
 *
 * - no request input is visible: $_GET, $_POST, $_REQUEST, $_FILES and $_COOKIE are empty,
 *   the request is a GET with no query, body or request headers (but Host), and
 *   $HTTP_RAW_POST_DATA and php://input are empty (Empty_Input_Stream);
 * - the database is read-only: any statement but SELECT, SHOW, DESCRIBE and EXPLAIN becomes
 *   '' in the `query` filter, and wpdb::query() returns false for an empty query without
 *   sending it;
 * - outgoing HTTP (wp_remote_*), mail (wp_mail) and redirects (wp_redirect) fail, and the
 *   sites' own handlers of `pre_http_request` and `pre_wp_mail` are set aside, so none of
 *   them sends anything either.
 *
 * Each blocked attempt is named in warnings(). leave() restores everything; callers call it
 * in `finally`. Input PHP keeps on its own (filter_input()) cannot be hidden: the doors
 * refuse requests carrying any (Input_Allowlist). What remains possible is in docs/plugin.md.
 */
final class Capture_Quarantine {

	/**
	 * The error code of a blocked HTTP request.
	 */
	public const BLOCKED = 'handoff_capture_blocked';

	/**
	 * The request headers kept: what WordPress builds URLs from.
	 */
	private const KEPT_HEADERS = array( 'HTTP_HOST' );

	/**
	 * Other request facts removed from $_SERVER.
	 */
	private const REMOVED_SERVER_KEYS = array( 'CONTENT_TYPE', 'CONTENT_LENGTH', 'PHP_AUTH_USER', 'PHP_AUTH_PW', 'PHP_AUTH_DIGEST', 'REDIRECT_HTTP_AUTHORIZATION', 'REDIRECT_QUERY_STRING' );

	/**
	 * Hooks whose handlers would send something: set aside while quarantined, so that the
	 * site's mail or HTTP plugins cannot send before our refusal is seen.
	 */
	private const SET_ASIDE_HOOKS = array( 'pre_http_request', 'pre_wp_mail' );

	/**
	 * How many quarantines are open: only the outermost one changes and restores anything.
	 *
	 * @var int
	 */
	private static int $open = 0;

	/**
	 * Whether this quarantine is entered, and whether it is the outermost one.
	 *
	 * @var bool
	 */
	private bool $entered = false;

	/**
	 * Whether this quarantine changed (and so restores) the request.
	 *
	 * @var bool
	 */
	private bool $outermost = false;

	/**
	 * The superglobals, $_SERVER and $HTTP_RAW_POST_DATA as they were.
	 *
	 * @var array<string, mixed>
	 */
	private array $saved = array();

	/**
	 * The set-aside hooks, by name (null: there was none).
	 *
	 * @var array<string, WP_Hook|null>
	 */
	private array $saved_hooks = array();

	/**
	 * Whether the php:// wrapper was replaced.
	 *
	 * @var bool
	 */
	private bool $wrapper_replaced = false;

	/**
	 * What was blocked, in words, once each.
	 *
	 * @var string[]
	 */
	private array $warnings = array();

	/**
	 * Hides request input and blocks writes, HTTP, mail and redirects.
	 */
	public function enter(): void {
		if ( $this->entered ) {
			return;
		}
		$this->entered   = true;
		$this->outermost = 0 === self::$open++;
		if ( ! $this->outermost ) {
			return;
		}
		$this->hide_input();
		$this->wrapper_replaced = Empty_Input_Stream::install();
		add_filter( 'query', array( $this, 'filter_query' ), PHP_INT_MAX );
		add_filter( 'wp_redirect', array( $this, 'refuse_redirect' ), PHP_INT_MAX );
		foreach ( self::SET_ASIDE_HOOKS as $hook ) {
			$this->saved_hooks[ $hook ] = $GLOBALS['wp_filter'][ $hook ] ?? null;
			unset( $GLOBALS['wp_filter'][ $hook ] );
		}
		add_filter( 'pre_http_request', array( $this, 'refuse_http' ), PHP_INT_MAX, 3 );
		add_filter( 'pre_wp_mail', array( $this, 'refuse_mail' ), PHP_INT_MAX );
	}

	/**
	 * Puts back everything enter() changed.
	 */
	public function leave(): void {
		if ( ! $this->entered ) {
			return;
		}
		$this->entered = false;
		--self::$open;
		if ( ! $this->outermost ) {
			return;
		}
		remove_filter( 'query', array( $this, 'filter_query' ), PHP_INT_MAX );
		remove_filter( 'wp_redirect', array( $this, 'refuse_redirect' ), PHP_INT_MAX );
		foreach ( $this->saved_hooks as $hook => $saved ) {
			if ( $saved instanceof WP_Hook ) {
				$GLOBALS['wp_filter'][ $hook ] = $saved;
			} else {
				unset( $GLOBALS['wp_filter'][ $hook ] );
			}
		}
		$this->saved_hooks = array();
		if ( $this->wrapper_replaced ) {
			Empty_Input_Stream::uninstall();
			$this->wrapper_replaced = false;
		}
		$this->restore_input();
	}

	/**
	 * What was blocked, in words, once each.
	 *
	 * @return string[]
	 */
	public function warnings(): array {
		return $this->warnings;
	}

	/**
	 * The `query` filter: statements that read pass, every other one becomes ''.
	 *
	 * @param mixed $query The statement.
	 * @return mixed
	 */
	public function filter_query( $query ) {
		if ( ! is_string( $query ) || '' === $query || self::reads_only( $query ) ) {
			return $query;
		}
		$this->warn( sprintf( 'A database write was blocked while the menu was built (%s).', self::kind( $query ) ) );
		return '';
	}

	/**
	 * The `pre_http_request` filter: every request fails without being sent.
	 *
	 * @param mixed                $preempt Unused: nothing goes out, whatever came before.
	 * @param array<string, mixed> $args    The request's arguments.
	 * @param string               $url     The URL.
	 */
	public function refuse_http( $preempt, $args, $url ): WP_Error {
		$host = wp_parse_url( (string) $url, PHP_URL_HOST );
		$this->warn( sprintf( 'An outgoing HTTP request was blocked while the menu was built (%s).', is_string( $host ) ? $host : 'no host' ) );
		return new WP_Error( self::BLOCKED, 'Outgoing HTTP is blocked while the Handoff menu snapshot is built.' );
	}

	/**
	 * The `pre_wp_mail` filter: wp_mail() returns false, nothing is sent.
	 *
	 * @param mixed $short_circuit Unused.
	 */
	public function refuse_mail( $short_circuit ): bool {
		$this->warn( 'An email was blocked while the menu was built.' );
		return false;
	}

	/**
	 * The `wp_redirect` filter: no Location header (a redirect would replace our answer).
	 *
	 * @param mixed $location Unused.
	 */
	public function refuse_redirect( $location ): bool {
		$this->warn( 'A redirect was blocked while the menu was built.' );
		return false;
	}

	/**
	 * Whether a statement only reads: SELECT, SHOW, DESCRIBE/DESC or EXPLAIN first, minus
	 * the forms of those that write (files with INTO OUTFILE/DUMPFILE; EXPLAIN ANALYZE,
	 * which runs the statement). Anything else — a leading comment too — counts as a write.
	 *
	 * @param string $query The statement.
	 */
	public static function reads_only( string $query ): bool {
		if ( ! preg_match( '/^\s*\(?\s*(SELECT|SHOW|DESCRIBE|DESC|EXPLAIN)\b/i', $query ) ) {
			return false;
		}
		return ! preg_match( '/\bINTO\s+(OUTFILE|DUMPFILE)\b/i', $query )
			&& ! preg_match( '/^\s*(EXPLAIN|DESCRIBE|DESC)\s+ANALY[SZ]E\b/i', $query );
	}

	/**
	 * A statement's kind for a warning: its first word, upper case.
	 *
	 * @param string $query The statement.
	 */
	private static function kind( string $query ): string {
		return preg_match( '/^\s*\(?\s*([A-Za-z]+)/', $query, $match ) ? strtoupper( $match[1] ) : 'unrecognised';
	}

	/**
	 * Records a warning once.
	 *
	 * @param string $warning The words.
	 */
	private function warn( string $warning ): void {
		if ( ! in_array( $warning, $this->warnings, true ) ) {
			$this->warnings[] = $warning;
		}
	}

	/**
	 * Empties the request input and makes the request a bare GET.
	 */
	private function hide_input(): void {
		// phpcs:disable WordPress.Security.NonceVerification -- saved and emptied, never read.
		$this->saved = array(
			'_GET'     => $_GET,
			'_POST'    => $_POST,
			'_REQUEST' => $_REQUEST,
			'_FILES'   => $_FILES,
			'_COOKIE'  => $_COOKIE,
			'_SERVER'  => $_SERVER,
			'raw'      => array_key_exists( 'HTTP_RAW_POST_DATA', $GLOBALS ) ? array( $GLOBALS['HTTP_RAW_POST_DATA'] ) : array(),
		);
		// phpcs:enable
		$_GET     = array();
		$_POST    = array();
		$_REQUEST = array();
		$_FILES   = array();
		$_COOKIE  = array();
		unset( $GLOBALS['HTTP_RAW_POST_DATA'] );
		foreach ( array_keys( $_SERVER ) as $key ) {
			$header = 0 === strpos( (string) $key, 'HTTP_' ) && ! in_array( $key, self::KEPT_HEADERS, true );
			if ( $header || in_array( $key, self::REMOVED_SERVER_KEYS, true ) ) {
				unset( $_SERVER[ $key ] );
			}
		}
		$_SERVER['REQUEST_METHOD'] = 'GET';
		if ( isset( $_SERVER['QUERY_STRING'] ) ) {
			$_SERVER['QUERY_STRING'] = '';
		}
		if ( isset( $_SERVER['REQUEST_URI'] ) && is_string( $_SERVER['REQUEST_URI'] ) ) {
			$_SERVER['REQUEST_URI'] = explode( '?', $_SERVER['REQUEST_URI'], 2 )[0];
		}
	}

	/**
	 * Puts the request input back as it was.
	 */
	private function restore_input(): void {
		$_GET     = $this->saved['_GET'];
		$_POST    = $this->saved['_POST'];
		$_REQUEST = $this->saved['_REQUEST'];
		$_FILES   = $this->saved['_FILES'];
		$_COOKIE  = $this->saved['_COOKIE'];
		$_SERVER  = $this->saved['_SERVER'];
		if ( $this->saved['raw'] ) {
			$GLOBALS['HTTP_RAW_POST_DATA'] = $this->saved['raw'][0];
		} else {
			unset( $GLOBALS['HTTP_RAW_POST_DATA'] );
		}
		$this->saved = array();
	}
}
