<?php
/**
 * Idempotency keys of the backend's writes.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * The backend sends every write (menu profile put, rollback and delete; handbook publish
 * and unpublish) with a key, the same on every retry of one logical write. The last
 * MAX_KEYS keys are kept with the request they came with (a fingerprint: the operation and
 * what it writes) and the answer given: a key seen again with the same request gets that
 * answer and nothing is applied again; with another request it is refused (422) and
 * nothing changes. Writes without a key are applied as before.
 *
 * The keys live in Options::WRITE_KEYS, not autoloaded, read and written only by a write
 * that carries a key, under a database lock, so two copies of one request arriving at
 * once are applied once. Refused writes (WP_Error) are not remembered: nothing was
 * applied, so a retry may apply. docs/bridge-protocol.md describes the protocol.
 */
final class Idempotency {

	/**
	 * How many keys are remembered.
	 */
	public const MAX_KEYS = 50;

	/**
	 * Longest key, in characters.
	 */
	public const MAX_LENGTH = 100;

	/**
	 * Seconds to wait for another write with a key to finish.
	 */
	private const LOCK_TIMEOUT = 10;

	/**
	 * A key argument checked: null for none (absent or ''), the key, or a 400 error.
	 * Keys are 1 to MAX_LENGTH characters among letters, digits, '.', '_', ':' and '-'.
	 *
	 * @param mixed $value The header's or argument's value.
	 * @return string|WP_Error|null
	 */
	public static function key_arg( $value ) {
		if ( null === $value || '' === $value ) {
			return null;
		}
		if ( is_string( $value ) && strlen( $value ) <= self::MAX_LENGTH && preg_match( '/^[A-Za-z0-9._:-]+$/D', $value ) ) {
			return $value;
		}
		return new WP_Error(
			'handoff_invalid_idempotency_key',
			sprintf(
				/* translators: %d: the longest key. */
				__( 'The idempotency key must be 1 to %d letters, digits, ".", "_", ":" or "-": nothing was changed.', 'handoff-companion' ),
				self::MAX_LENGTH
			),
			array( 'status' => 400 )
		);
	}

	/**
	 * Runs a write once per key: the first time its answer is remembered; again with the
	 * same request, the remembered answer comes back and `$write` does not run; with
	 * another request, a 422 error and `$write` does not run. Without a key `$write` runs.
	 *
	 * @param string|null $key     The key, checked by key_arg(); null: none.
	 * @param string      $request What the write is: its operation and what it writes.
	 * @param callable    $write   Applies the write; returns the answer array or WP_Error.
	 * @return array<string, mixed>|WP_Error
	 */
	public static function once( ?string $key, string $request, callable $write ) {
		if ( null === $key ) {
			return $write();
		}
		$fingerprint = hash( 'sha256', $request );
		return self::locked(
			function () use ( $key, $fingerprint, $write ) {
				$seen = self::read();
				foreach ( $seen as $entry ) {
					if ( $entry['key'] === $key ) {
						return $entry['request'] === $fingerprint ? $entry['answer'] : self::reused( $key );
					}
				}
				$answer = $write();
				if ( is_array( $answer ) ) {
					array_unshift(
						$seen,
						array(
							'key'     => $key,
							'request' => $fingerprint,
							'answer'  => $answer,
							'at'      => time(),
						)
					);
					update_option( Options::WRITE_KEYS, (string) wp_json_encode( array_slice( $seen, 0, self::MAX_KEYS ), JSON_UNESCAPED_SLASHES ), false );
				}
				return $answer;
			}
		);
	}

	/**
	 * The remembered keys, newest first, as the database has them now.
	 *
	 * @return array<int, array{key: string, request: string, answer: array<string, mixed>, at: int}>
	 */
	public static function read(): array {
		global $wpdb;
		$raw  = $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s LIMIT 1", Options::WRITE_KEYS ) );
		$list = is_string( $raw ) && '' !== $raw ? json_decode( $raw, true ) : array();
		$seen = array();
		foreach ( is_array( $list ) ? $list : array() as $entry ) {
			if ( is_array( $entry ) && is_string( $entry['key'] ?? null ) && is_string( $entry['request'] ?? null ) && is_array( $entry['answer'] ?? null ) ) {
				$seen[] = array(
					'key'     => $entry['key'],
					'request' => $entry['request'],
					'answer'  => $entry['answer'],
					'at'      => is_int( $entry['at'] ?? null ) ? $entry['at'] : 0,
				);
			}
		}
		return $seen;
	}

	/**
	 * The 422 error for a key sent again with another request.
	 *
	 * @param string $key The key.
	 */
	private static function reused( string $key ): WP_Error {
		return new WP_Error(
			'handoff_idempotency_key_reused',
			sprintf(
				/* translators: %s: the idempotency key. */
				__( 'The idempotency key %s was used before for another request: nothing was changed. Send a new key with a new write.', 'handoff-companion' ),
				$key
			),
			array(
				'status' => 422,
				'key'    => $key,
			)
		);
	}

	/**
	 * Runs a check-write-remember under a database lock named after the keys' option.
	 * Without the lock (a database that lacks GET_LOCK, or a timeout) it runs anyway, as
	 * the menu profile's own lock does.
	 *
	 * @param callable $run The check-write-remember.
	 * @return mixed What $run returns.
	 */
	private static function locked( callable $run ) {
		global $wpdb;
		$name   = substr( $wpdb->prefix . Options::WRITE_KEYS, 0, 64 );
		$locked = '1' === (string) $wpdb->get_var( $wpdb->prepare( 'SELECT GET_LOCK( %s, %d )', $name, self::LOCK_TIMEOUT ) );
		try {
			return $run();
		} finally {
			if ( $locked ) {
				$wpdb->query( $wpdb->prepare( 'SELECT RELEASE_LOCK( %s )', $name ) );
			}
		}
	}
}
