<?php
/**
 * Where the Site Handbook is kept on the site.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use WP_Error;
use WP_User;

defined( 'ABSPATH' ) || exit;

/**
 * Three options, each holding JSON text (every non-ASCII character escaped, so the text
 * survives any database character set):
 *
 * - Options::HANDBOOK (not autoloaded; read by the handbook's screen and the API):
 *   `{"title", "language", "html", "hash", "published_at", "published_by", "sections": [{"id", "title"}]}`;
 * - Options::HANDBOOK_META (autoloaded and tiny, so every wp-admin page knows without a
 *   query whether to show the handbook): `{"published": true, "title", "hash", "published_at"}`;
 * - Options::HANDBOOK_VIEWS (not autoloaded): `{"first_view": {"user_id", "user_login", "at"}, "views_by_client": N}`
 *   (`first_view` absent until a client opens the handbook).
 *
 * Views are counted for clients only (users who cannot manage_options, never the bridge
 * user), at most once an hour per user: the user meta Options::HANDBOOK_LAST_VIEW holds
 * when that user's last view was counted, so an ordinary page view writes nothing.
 * Unpublishing removes all three options, the contacts that came with the handbook
 * (Site_Contacts) and that user meta.
 */
final class Handbook_Store {

	/**
	 * Seconds during which further views by the same user are not counted.
	 */
	public const VIEW_INTERVAL = HOUR_IN_SECONDS;

	/**
	 * Whether a handbook is published, from the autoloaded meta option that WordPress has
	 * already loaded: never a query.
	 */
	public static function is_published(): bool {
		return null !== self::meta();
	}

	/**
	 * The autoloaded meta (`published`, `title`, `hash`, `published_at`), or null when no
	 * handbook is published. Never a query.
	 *
	 * @return array{published: bool, title: string, hash: string, published_at: int}|null
	 */
	public static function meta(): ?array {
		$options = wp_load_alloptions();
		if ( ! isset( $options[ Options::HANDBOOK_META ] ) || ! is_string( $options[ Options::HANDBOOK_META ] ) ) {
			return null;
		}
		$meta = json_decode( $options[ Options::HANDBOOK_META ], true );
		if ( ! is_array( $meta ) || true !== ( $meta['published'] ?? null ) ) {
			return null;
		}
		return array(
			'published'    => true,
			'title'        => is_string( $meta['title'] ?? null ) ? $meta['title'] : '',
			'hash'         => is_string( $meta['hash'] ?? null ) ? $meta['hash'] : '',
			'published_at' => is_int( $meta['published_at'] ?? null ) ? $meta['published_at'] : 0,
		);
	}

	/**
	 * The published handbook, or null.
	 *
	 * @return array{title: string, language: string, html: string, hash: string, published_at: int, published_by: string, sections: array<int, array{id: string, title: string}>}|null
	 */
	public static function handbook(): ?array {
		$raw  = get_option( Options::HANDBOOK, '' );
		$data = is_string( $raw ) && '' !== $raw ? json_decode( $raw, true ) : null;
		if ( ! is_array( $data ) || ! is_string( $data['html'] ?? null ) ) {
			return null;
		}
		$sections = array();
		foreach ( is_array( $data['sections'] ?? null ) ? $data['sections'] : array() as $section ) {
			if ( is_array( $section ) && is_string( $section['id'] ?? null ) && is_string( $section['title'] ?? null ) ) {
				$sections[] = array(
					'id'    => $section['id'],
					'title' => $section['title'],
				);
			}
		}
		return array(
			'title'        => is_string( $data['title'] ?? null ) ? $data['title'] : '',
			'language'     => is_string( $data['language'] ?? null ) ? $data['language'] : '',
			'html'         => $data['html'],
			'hash'         => is_string( $data['hash'] ?? null ) ? $data['hash'] : '',
			'published_at' => is_int( $data['published_at'] ?? null ) ? $data['published_at'] : 0,
			'published_by' => is_string( $data['published_by'] ?? null ) ? $data['published_by'] : '',
			'sections'     => $sections,
		);
	}

	/**
	 * The view record: `first_view` (`user_id`, `user_login`, `at`) or null, and
	 * `views_by_client`.
	 *
	 * @return array{first_view: array{user_id: int, user_login: string, at: int}|null, views_by_client: int}
	 */
	public static function views(): array {
		$raw   = get_option( Options::HANDBOOK_VIEWS, '' );
		$data  = is_string( $raw ) && '' !== $raw ? json_decode( $raw, true ) : null;
		$data  = is_array( $data ) ? $data : array();
		$first = $data['first_view'] ?? null;
		return array(
			'first_view'      => is_array( $first ) && is_int( $first['at'] ?? null ) ? array(
				'user_id'    => (int) ( $first['user_id'] ?? 0 ),
				'user_login' => (string) ( $first['user_login'] ?? '' ),
				'at'         => $first['at'],
			) : null,
			'views_by_client' => is_int( $data['views_by_client'] ?? null ) ? max( 0, $data['views_by_client'] ) : 0,
		);
	}

	/**
	 * Stores a validated, prepared handbook: the content first, then the meta that makes
	 * it visible. The view record is kept.
	 *
	 * @param array{title: string, language: string, html: string, hash: string, sections: array<int, array{id: string, title: string}>} $handbook The handbook.
	 * @param string                                                                                                                      $login    Login of the user publishing.
	 * @return array{title: string, language: string, html: string, hash: string, published_at: int, published_by: string, sections: array<int, array{id: string, title: string}>}|WP_Error
	 */
	public static function publish( array $handbook, string $login ) {
		$entry = array(
			'title'        => $handbook['title'],
			'language'     => $handbook['language'],
			'html'         => $handbook['html'],
			'hash'         => $handbook['hash'],
			'published_at' => time(),
			'published_by' => $login,
			'sections'     => $handbook['sections'],
		);
		$stored = self::write( Options::HANDBOOK, $entry, false );
		if ( $stored instanceof WP_Error ) {
			return $stored;
		}
		$meta   = array(
			'published'    => true,
			'title'        => $entry['title'],
			'hash'         => $entry['hash'],
			'published_at' => $entry['published_at'],
		);
		$stored = self::write( Options::HANDBOOK_META, $meta, true );
		return $stored instanceof WP_Error ? $stored : $entry;
	}

	/**
	 * Removes the handbook, its meta, its view record and every user's view timestamp.
	 * Returns whether a handbook was published.
	 */
	public static function unpublish(): bool {
		$was = self::is_published() || false !== get_option( Options::HANDBOOK, false );
		delete_option( Options::HANDBOOK_META );
		delete_option( Options::HANDBOOK );
		delete_option( Options::HANDBOOK_VIEWS );
		delete_option( Options::CONTACTS ); // They came with the handbook.
		delete_metadata( 'user', 0, Options::HANDBOOK_LAST_VIEW, '', true );
		return $was;
	}

	/**
	 * Whether a user's views count as a client's: not an administrator (manage_options),
	 * not the bridge user.
	 *
	 * @param WP_User $user The user.
	 */
	public static function is_client( WP_User $user ): bool {
		return $user->exists() && ! $user->has_cap( 'manage_options' ) && ! $user->has_cap( Capabilities::BRIDGE_CAP );
	}

	/**
	 * Counts a view of the handbook's screen: a client's first view is recorded once, and
	 * `views_by_client` grows by one at most once per user per VIEW_INTERVAL. Within the
	 * interval nothing is read or written; administrators and the bridge user are not
	 * counted. Returns whether anything was written.
	 *
	 * @param WP_User  $user The user viewing.
	 * @param int|null $now  The time (Unix seconds); null: now.
	 */
	public static function record_view( WP_User $user, ?int $now = null ): bool {
		if ( ! self::is_client( $user ) ) {
			return false;
		}
		$now  = $now ?? time();
		$last = (int) get_user_meta( $user->ID, Options::HANDBOOK_LAST_VIEW, true );
		if ( $last > 0 && $now - $last < self::VIEW_INTERVAL && $now >= $last ) {
			return false;
		}
		$views = self::views();
		if ( null === $views['first_view'] ) {
			$views['first_view'] = array(
				'user_id'    => (int) $user->ID,
				'user_login' => (string) $user->user_login,
				'at'         => $now,
			);
		}
		++$views['views_by_client'];
		update_user_meta( $user->ID, Options::HANDBOOK_LAST_VIEW, $now );
		self::write( Options::HANDBOOK_VIEWS, $views, false );
		return true;
	}

	/**
	 * Writes an option as JSON text; a database that refuses the value is an error.
	 *
	 * @param string               $name     Option name.
	 * @param array<string, mixed> $value    The value.
	 * @param bool                 $autoload Whether WordPress loads it on every request.
	 * @return true|WP_Error
	 */
	private static function write( string $name, array $value, bool $autoload ) {
		global $wpdb;
		$json = wp_json_encode( $value, JSON_UNESCAPED_SLASHES );
		if ( ! is_string( $json ) ) {
			return self::not_stored( $name, 'the value could not be encoded as JSON' );
		}
		$wpdb->last_error = '';
		update_option( $name, $json, $autoload );
		if ( '' !== $wpdb->last_error ) {
			return self::not_stored( $name, $wpdb->last_error );
		}
		return true;
	}

	/**
	 * The 500 error for a write the database refused.
	 *
	 * @param string $name   Option name.
	 * @param string $reason What went wrong.
	 */
	private static function not_stored( string $name, string $reason ): WP_Error {
		return new WP_Error(
			'handoff_handbook_not_stored',
			sprintf(
				/* translators: 1: an option name, 2: the database's error. */
				__( 'The handbook could not be stored in the option %1$s: %2$s', 'handoff-companion' ),
				$name,
				$reason
			),
			array( 'status' => 500 )
		);
	}
}
