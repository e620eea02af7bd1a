<?php
/**
 * Where the menu profile is kept on the site.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use stdClass;
use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Two options, each holding JSON text:
 *
 * - Options::MENU (autoloaded, so applying the profile costs no query): the active entry,
 *   `{"version", "hash", "profile", "applied_at", "applied_by"}`;
 * - Options::MENU_HISTORY (not autoloaded, read by the API only): the last 10 earlier
 *   entries, newest first.
 *
 * Every write names the version it replaces (0: no profile ever) and is refused with a
 * 409 error naming the current version otherwise. Versions only grow: a rollback stores
 * the old profile again as a new version, and a removal is a version too (with `{}` as
 * the profile and '' as the hash). A write checks and changes
 * both options under a database lock, so two writers never both succeed against the same
 * version. Profiles are validated before they get here; nothing is written on refusal.
 *
 * Entries are stored as JSON so that `{}` and `[]` in a profile survive: read them with
 * current() / history() (objects as stdClass) or active_profile() (associative arrays).
 */
final class Menu_Profile_Store {

	/**
	 * How many earlier entries the history keeps.
	 */
	public const HISTORY_SIZE = 10;

	/**
	 * Flags of the canonical JSON: no whitespace, UTF-8 and slashes unescaped. U+2028 and
	 * U+2029 are left unescaped too, as every other character, so that the text is the one
	 * Python's json.dumps( sort_keys=True, separators=( ',', ':' ), ensure_ascii=False ) writes.
	 */
	private const CANONICAL_FLAGS = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_LINE_TERMINATORS;

	/**
	 * Seconds to wait for another write to finish.
	 */
	private const LOCK_TIMEOUT = 10;

	/**
	 * The canonical JSON of a decoded value: object keys sorted (recursively, by byte,
	 * which for UTF-8 is code point order), lists in their order, no whitespace.
	 *
	 * @param mixed $value A value decoded with json_decode( $json, false ).
	 */
	public static function canonical_json( $value ): string {
		return (string) wp_json_encode( self::sorted( $value ), self::CANONICAL_FLAGS );
	}

	/**
	 * The hash the backend computes too: SHA-256 (hex) of the canonical JSON.
	 *
	 * @param mixed $profile The profile, decoded with json_decode( $json, false ).
	 */
	public static function hash( $profile ): string {
		return hash( 'sha256', self::canonical_json( $profile ) );
	}

	/**
	 * The active profile for applying it, as associative arrays, or null when there is
	 * none. Reads the autoloaded options WordPress already holds: never a query.
	 *
	 * @return array<string, mixed>|null
	 */
	public static function active_profile(): ?array {
		$options = wp_load_alloptions();
		if ( ! isset( $options[ Options::MENU ] ) || ! is_string( $options[ Options::MENU ] ) ) {
			return null;
		}
		$entry = json_decode( $options[ Options::MENU ], true );
		if ( ! is_array( $entry ) || ! is_array( $entry['profile'] ?? null ) || ! $entry['profile'] ) {
			return null;
		}
		return $entry['profile'];
	}

	/**
	 * The active entry (profile objects as stdClass), or null when there is none.
	 *
	 * @return array{version: int, hash: string, profile: stdClass, applied_at: int, applied_by: string}|null
	 */
	public function current(): ?array {
		return self::decode_entry( get_option( Options::MENU, '' ) );
	}

	/**
	 * The earlier entries, newest first.
	 *
	 * @return array<int, array{version: int, hash: string, profile: stdClass, applied_at: int, applied_by: string}>
	 */
	public function history(): array {
		return self::decode_history( get_option( Options::MENU_HISTORY, '' ) );
	}

	/**
	 * The history entry with a version number; 0 means the newest. Null when absent.
	 *
	 * @param int $version A version number, or 0.
	 * @return array{version: int, hash: string, profile: stdClass, applied_at: int, applied_by: string}|null
	 */
	public function find( int $version ): ?array {
		foreach ( $this->history() as $entry ) {
			if ( 0 === $version || $entry['version'] === $version ) {
				return $entry;
			}
		}
		return null;
	}

	/**
	 * Stores a (validated) profile as a new version; the active one goes to the history.
	 *
	 * @param stdClass $profile          The profile.
	 * @param int      $replaces_version The version the writer saw: must be the current one.
	 * @param string   $applied_by       Login of the user writing.
	 * @return array{version: int, hash: string, profile: stdClass, applied_at: int, applied_by: string}|WP_Error
	 */
	public function put( stdClass $profile, int $replaces_version, string $applied_by ) {
		return $this->locked(
			function () use ( $profile, $replaces_version, $applied_by ) {
				$current  = self::decode_entry( $this->read_fresh( Options::MENU ) );
				$conflict = self::conflict( $current, $replaces_version );
				if ( $conflict ) {
					return $conflict;
				}
				$history = self::decode_history( $this->read_fresh( Options::MENU_HISTORY ) );
				$entry   = array(
					'version'    => self::next_version( $current, $history ),
					'hash'       => self::hash( $profile ),
					'profile'    => $profile,
					'applied_at' => time(),
					'applied_by' => $applied_by,
				);
				if ( $current && ! self::is_removal( $current ) ) {
					$this->write_history( $current, $history );
				}
				update_option( Options::MENU, self::encode( $entry ), true );
				return $entry;
			}
		);
	}

	/**
	 * Removes the active profile: the full menu for everyone. The removal is itself a new
	 * version, with no profile (`{}`) and no hash, so version numbers keep growing and a
	 * writer that read the removed version gets a 409; the removed entry goes to the
	 * history, from where a rollback can bring it back. Removing when there is no profile
	 * changes nothing.
	 *
	 * @param int    $replaces_version The version the writer saw: must be the current one.
	 * @param string $applied_by       Login of the user removing.
	 * @return array{version: int, deleted_version: int}|WP_Error The version now, and the one removed (0: none).
	 */
	public function delete( int $replaces_version, string $applied_by ) {
		return $this->locked(
			function () use ( $replaces_version, $applied_by ) {
				$current  = self::decode_entry( $this->read_fresh( Options::MENU ) );
				$conflict = self::conflict( $current, $replaces_version );
				if ( $conflict ) {
					return $conflict;
				}
				if ( ! $current || self::is_removal( $current ) ) {
					return array(
						'version'         => $current ? $current['version'] : 0,
						'deleted_version' => 0,
					);
				}
				$history = self::decode_history( $this->read_fresh( Options::MENU_HISTORY ) );
				$removal = array(
					'version'    => self::next_version( $current, $history ),
					'hash'       => '',
					'profile'    => new stdClass(),
					'applied_at' => time(),
					'applied_by' => $applied_by,
				);
				$this->write_history( $current, $history );
				update_option( Options::MENU, self::encode( $removal ), true );
				return array(
					'version'         => $removal['version'],
					'deleted_version' => $current['version'],
				);
			}
		);
	}

	/**
	 * Whether an entry records a removal (no profile) rather than a profile.
	 *
	 * @param array<string, mixed> $entry An entry.
	 */
	public static function is_removal( array $entry ): bool {
		return ! get_object_vars( $entry['profile'] );
	}

	/**
	 * The 409 error when the writer did not see the current version, else null.
	 *
	 * @param array<string, mixed>|null $current          The active entry.
	 * @param int                       $replaces_version The version the writer names.
	 */
	private static function conflict( ?array $current, int $replaces_version ): ?WP_Error {
		$current_version = $current ? (int) $current['version'] : 0;
		if ( $current_version === $replaces_version ) {
			return null;
		}
		return new WP_Error(
			'handoff_version_conflict',
			sprintf(
				/* translators: 1: the version on the site, 2: the version the write names. */
				__( 'The menu profile on the site is version %1$d, not %2$d: it was changed since it was read. Read it again and retry.', 'handoff-companion' ),
				$current_version,
				$replaces_version
			),
			array(
				'status'           => 409,
				'current_version'  => $current_version,
				'replaces_version' => $replaces_version,
			)
		);
	}

	/**
	 * One more than every version the site has used.
	 *
	 * @param array<string, mixed>|null         $current The active entry.
	 * @param array<int, array<string, mixed>> $history The earlier entries.
	 */
	private static function next_version( ?array $current, array $history ): int {
		$highest = $current ? (int) $current['version'] : 0;
		foreach ( $history as $entry ) {
			$highest = max( $highest, (int) $entry['version'] );
		}
		return $highest + 1;
	}

	/**
	 * Puts an entry at the top of the history, keeping the last HISTORY_SIZE.
	 *
	 * @param array<string, mixed>             $entry   The entry leaving the active option.
	 * @param array<int, array<string, mixed>> $history The history so far.
	 */
	private function write_history( array $entry, array $history ): void {
		array_unshift( $history, $entry );
		update_option( Options::MENU_HISTORY, self::encode( array_slice( $history, 0, self::HISTORY_SIZE ) ), false );
	}

	/**
	 * Runs a read-check-write under a database lock named after this site's tables, so
	 * two writes never both pass the version check. Without the lock (a database that
	 * lacks GET_LOCK, or a timeout) the write runs anyway.
	 *
	 * @param callable $write The read-check-write.
	 * @return mixed What $write returns.
	 */
	private function locked( callable $write ) {
		global $wpdb;
		$name   = substr( $wpdb->prefix . Options::MENU, 0, 64 );
		$locked = '1' === (string) $wpdb->get_var( $wpdb->prepare( 'SELECT GET_LOCK( %s, %d )', $name, self::LOCK_TIMEOUT ) );
		try {
			return $write();
		} finally {
			if ( $locked ) {
				$wpdb->query( $wpdb->prepare( 'SELECT RELEASE_LOCK( %s )', $name ) );
			}
		}
	}

	/**
	 * An option's value as the database has it now (not as a cache may remember it).
	 *
	 * @param string $name Option name.
	 */
	private function read_fresh( string $name ): string {
		global $wpdb;
		$value = $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s LIMIT 1", $name ) );
		return is_string( $value ) ? $value : '';
	}

	/**
	 * JSON text for an option: every non-ASCII character escaped, so the text survives
	 * any database character set.
	 *
	 * @param mixed $value An entry or a list of entries.
	 */
	private static function encode( $value ): string {
		return (string) wp_json_encode( $value, JSON_UNESCAPED_SLASHES );
	}

	/**
	 * An entry from an option's JSON text, or null.
	 *
	 * @param mixed $raw The option's value.
	 * @return array{version: int, hash: string, profile: stdClass, applied_at: int, applied_by: string}|null
	 */
	private static function decode_entry( $raw ): ?array {
		if ( ! is_string( $raw ) || '' === $raw ) {
			return null;
		}
		return self::entry( json_decode( $raw, false ) );
	}

	/**
	 * The history from an option's JSON text.
	 *
	 * @param mixed $raw The option's value.
	 * @return array<int, array{version: int, hash: string, profile: stdClass, applied_at: int, applied_by: string}>
	 */
	private static function decode_history( $raw ): array {
		$list    = is_string( $raw ) && '' !== $raw ? json_decode( $raw, false ) : array();
		$history = array();
		foreach ( is_array( $list ) ? $list : array() as $item ) {
			$entry = self::entry( $item );
			if ( $entry ) {
				$history[] = $entry;
			}
		}
		return $history;
	}

	/**
	 * A decoded entry with its types checked, or null.
	 *
	 * @param mixed $data A JSON object decoded as stdClass.
	 * @return array{version: int, hash: string, profile: stdClass, applied_at: int, applied_by: string}|null
	 */
	private static function entry( $data ): ?array {
		if ( ! $data instanceof stdClass || ! isset( $data->version, $data->profile ) || ! is_int( $data->version ) || ! $data->profile instanceof stdClass ) {
			return null;
		}
		return array(
			'version'    => $data->version,
			'hash'       => is_string( $data->hash ?? null ) ? $data->hash : self::hash( $data->profile ),
			'profile'    => $data->profile,
			'applied_at' => is_int( $data->applied_at ?? null ) ? $data->applied_at : 0,
			'applied_by' => is_string( $data->applied_by ?? null ) ? $data->applied_by : '',
		);
	}

	/**
	 * A decoded value with every object's keys sorted.
	 *
	 * @param mixed $value A decoded value.
	 * @return mixed
	 */
	private static function sorted( $value ) {
		if ( $value instanceof stdClass ) {
			$members = get_object_vars( $value );
			ksort( $members, SORT_STRING );
			$sorted = new stdClass();
			foreach ( $members as $name => $member ) {
				$sorted->{$name} = self::sorted( $member );
			}
			return $sorted;
		}
		if ( is_array( $value ) ) {
			return array_map( array( self::class, 'sorted' ), $value );
		}
		return $value;
	}
}
