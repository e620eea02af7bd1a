<?php
/**
 * What the site's content still carries from its build: sample content, placeholder text
 * and links to development hosts.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

defined( 'ABSPATH' ) || exit;

/**
 * The `sample_content` and `local_urls` facts of the health answer. Every query is bounded
 * (a LIMIT, and a fixed number of batches) and reads only.
 */
final class Health_Content_Scan {

	/**
	 * How many items `lorem_ipsum` and `local_urls.in_content` list at most.
	 */
	public const ITEM_LIMIT = 20;

	/**
	 * Candidate rows read per batch while looking for development links.
	 */
	private const BATCH_SIZE = 100;

	/**
	 * Batches read at most: links to the site's own host match the search too (a site still
	 * on `client.local` links to itself everywhere) and are skipped in PHP.
	 */
	private const MAX_BATCHES = 10;

	/**
	 * Longest URL reported (longer ones are cut).
	 */
	private const URL_MAX = 255;

	/**
	 * Text a development link contains (searched with LIKE, then checked in PHP).
	 */
	private const NEEDLES = array( '//localhost', '//127.', '.local', '.test', '.invalid', '//staging.', '//dev.' );

	/**
	 * Options that hold text a person or a theme wrote (the theme's options are added).
	 */
	private const TEXT_OPTIONS = array(
		'blogdescription',
		'widget_text',
		'widget_block',
		'widget_custom_html',
		'widget_media_image',
		'widget_media_gallery',
		'widget_media_video',
		'widget_media_audio',
		'widget_rss',
		'sidebars_widgets',
	);

	/**
	 * Post types whose items are not content: revisions, media, menu items (their custom
	 * links are searched on their own), customizer drafts, oEmbed caches, privacy requests.
	 */
	private const NOT_CONTENT = array( 'revision', 'attachment', 'nav_menu_item', 'customize_changeset', 'oembed_cache', 'user_request' );

	/**
	 * What WordPress's installation created and nobody removed, and placeholder text.
	 *
	 * @return array{hello_world: bool, sample_page: bool, default_comment: bool, lorem_ipsum: array<int, array{id: int, title: string}>}
	 */
	public static function sample_content(): array {
		global $wpdb;
		$hello   = get_post( 1 );
		// The English texts of the installer, and their translations on this site: core's
		// own strings, looked up with translate() so that the plugin's .pot does not take them.
		$titles  = array( 'Hello world!', translate( 'Hello world!', 'default' ) );
		$page    = array( 'Sample Page', translate( 'Sample Page', 'default' ) );
		$author  = array( 'A WordPress Commenter', translate( 'A WordPress Commenter', 'default' ) );
		$page_id = $wpdb->get_var( // phpcs:ignore WordPress.DB -- one bounded read.
			$wpdb->prepare(
				"SELECT ID FROM {$wpdb->posts} WHERE post_type = 'page' AND post_status = 'publish' AND post_title IN (%s, %s) LIMIT 1",
				$page[0],
				$page[1]
			)
		);
		$comment = $wpdb->get_var( // phpcs:ignore WordPress.DB -- one bounded read.
			$wpdb->prepare(
				"SELECT comment_ID FROM {$wpdb->comments} WHERE ( comment_author IN (%s, %s) OR comment_author_email = %s ) AND comment_approved NOT IN ('trash', 'spam') LIMIT 1",
				$author[0],
				$author[1],
				'wapuu@wordpress.example'
			)
		);
		return array(
			'hello_world'     => $hello instanceof \WP_Post && 'post' === $hello->post_type && 'publish' === $hello->post_status && in_array( $hello->post_title, $titles, true ),
			'sample_page'     => null !== $page_id,
			'default_comment' => null !== $comment,
			'lorem_ipsum'     => self::lorem_ipsum(),
		);
	}

	/**
	 * Published items containing "lorem ipsum" (any case) in their title or content: one
	 * query, at most ITEM_LIMIT, by ID.
	 *
	 * @return array<int, array{id: int, title: string}>
	 */
	private static function lorem_ipsum(): array {
		global $wpdb;
		$types  = self::content_types();
		$needle = '%' . $wpdb->esc_like( 'lorem ipsum' ) . '%';
		$rows   = $wpdb->get_results( // phpcs:ignore WordPress.DB -- one bounded read; placeholders built below.
			$wpdb->prepare(
				"SELECT ID, post_title FROM {$wpdb->posts} WHERE post_status = 'publish' AND post_type IN (" . self::placeholders( $types ) . ') AND ( LOWER( post_title ) LIKE %s OR LOWER( post_content ) LIKE %s ) ORDER BY ID LIMIT %d',
				array_merge( $types, array( $needle, $needle, self::ITEM_LIMIT ) )
			)
		);
		$items  = array();
		foreach ( (array) $rows as $row ) {
			$items[] = array(
				'id'    => (int) $row->ID,
				'title' => (string) $row->post_title,
			);
		}
		return $items;
	}

	/**
	 * The site's addresses and the development links left in content and options.
	 *
	 * @return array{home: string, site: string, in_content: array<int, array{id: int, title: string, url: string}>, in_options: string[]}
	 */
	public static function local_urls(): array {
		return array(
			'home'       => home_url(),
			'site'       => site_url(),
			'in_content' => self::in_content(),
			'in_options' => self::in_options(),
		);
	}

	/**
	 * Published items whose content (or, for menu items, custom link) points at a
	 * development host: at most ITEM_LIMIT, content items by ID first.
	 *
	 * @return array<int, array{id: int, title: string, url: string}>
	 */
	private static function in_content(): array {
		global $wpdb;
		$types = self::content_types();
		$likes = self::likes( 'post_content' );
		$found = array();
		$after = 0;
		for ( $batch = 0; $batch < self::MAX_BATCHES && count( $found ) < self::ITEM_LIMIT; $batch++ ) {
			$rows = $wpdb->get_results( // phpcs:ignore WordPress.DB -- bounded batches; placeholders built here.
				$wpdb->prepare(
					"SELECT ID, post_title, post_content FROM {$wpdb->posts} WHERE post_status = 'publish' AND post_type IN (" . self::placeholders( $types ) . ") AND ID > %d AND ( {$likes['sql']} ) ORDER BY ID LIMIT %d",
					array_merge( $types, array( $after ), $likes['values'], array( self::BATCH_SIZE ) )
				)
			);
			foreach ( (array) $rows as $row ) {
				$after = (int) $row->ID;
				$url   = self::local_url( (string) $row->post_content );
				if ( '' !== $url && count( $found ) < self::ITEM_LIMIT ) {
					$found[] = array(
						'id'    => (int) $row->ID,
						'title' => (string) $row->post_title,
						'url'   => $url,
					);
				}
			}
			if ( count( (array) $rows ) < self::BATCH_SIZE ) {
				break;
			}
		}
		if ( count( $found ) >= self::ITEM_LIMIT ) {
			return $found;
		}
		$likes = self::likes( 'm.meta_value' );
		$rows  = $wpdb->get_results( // phpcs:ignore WordPress.DB -- one bounded read.
			$wpdb->prepare(
				"SELECT p.ID, p.post_title, m.meta_value FROM {$wpdb->posts} p INNER JOIN {$wpdb->postmeta} m ON m.post_id = p.ID AND m.meta_key = '_menu_item_url' WHERE p.post_type = 'nav_menu_item' AND p.post_status = 'publish' AND ( {$likes['sql']} ) ORDER BY p.ID LIMIT %d",
				array_merge( $likes['values'], array( self::BATCH_SIZE ) )
			)
		);
		foreach ( (array) $rows as $row ) {
			$url = self::local_url( (string) $row->meta_value );
			if ( '' !== $url && count( $found ) < self::ITEM_LIMIT ) {
				$found[] = array(
					'id'    => (int) $row->ID,
					'title' => (string) $row->post_title,
					'url'   => $url,
				);
			}
		}
		return $found;
	}

	/**
	 * Names of the text-holding options (widgets, the tagline, the active theme's
	 * settings) that contain a development link: one query.
	 *
	 * @return string[]
	 */
	private static function in_options(): array {
		global $wpdb;
		$names = array_values( array_unique( array_merge( self::TEXT_OPTIONS, array( 'theme_mods_' . get_stylesheet(), 'theme_mods_' . get_template() ) ) ) );
		$rows  = $wpdb->get_results( // phpcs:ignore WordPress.DB -- one bounded read; placeholders built here.
			$wpdb->prepare(
				"SELECT option_name, option_value FROM {$wpdb->options} WHERE option_name IN (" . self::placeholders( $names ) . ')',
				$names
			)
		);
		$found = array();
		foreach ( (array) $rows as $row ) {
			if ( '' !== self::local_url( (string) $row->option_value ) ) {
				$found[ (string) $row->option_name ] = true;
			}
		}
		return array_values( array_filter( $names, static fn( $name ) => isset( $found[ $name ] ) ) );
	}

	/**
	 * The first link in a text that points at a development host — `localhost`,
	 * `127.0.0.1` (any 127.x address), a `.local`, `.test` or `.invalid` name, or a
	 * `staging.` or `dev.` host — other than the site's own; '' when there is none. JSON
	 * escaped slashes (`http:\/\/…`) count too.
	 *
	 * @param string $text The text (HTML, JSON or serialized PHP).
	 */
	public static function local_url( string $text ): string {
		if ( '' === $text || ! preg_match_all( '~(?:https?:)?//(?:[^\s/?#@"\'<>]+@)?([a-z0-9.-]+)(?::(\d+))?[^\s"\'<>\\\\)\]]*~i', str_replace( '\\/', '/', $text ), $matches, PREG_SET_ORDER ) ) {
			return '';
		}
		foreach ( $matches as $match ) {
			$host = strtolower( rtrim( $match[1], '.' ) );
			if ( self::is_development_host( $host ) && ! self::is_own( $host, $match[2] ?? '' ) ) {
				return substr( rtrim( $match[0], '.,;:!?' ), 0, self::URL_MAX );
			}
		}
		return '';
	}

	/**
	 * Whether a host name is one used for development.
	 *
	 * @param string $host The host, lowercase.
	 */
	private static function is_development_host( string $host ): bool {
		return 'localhost' === $host
			|| (bool) preg_match( '/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/', $host )
			|| (bool) preg_match( '/\.(?:localhost|local|test|invalid)$/', $host )
			|| (bool) preg_match( '/^(?:staging|dev)\.[a-z0-9-]/', $host );
	}

	/**
	 * Whether a link's host and port are the site's own (home URL): same host, and either
	 * no port in the link or the home URL's port.
	 *
	 * @param string $host The link's host, lowercase.
	 * @param string $port The link's port, '' when it names none.
	 */
	private static function is_own( string $host, string $port ): bool {
		$home = wp_parse_url( home_url() );
		if ( ! is_array( $home ) || strtolower( (string) ( $home['host'] ?? '' ) ) !== $host ) {
			return false;
		}
		if ( '' === $port ) {
			return true;
		}
		$own_port = isset( $home['port'] ) ? (int) $home['port'] : ( 'https' === ( $home['scheme'] ?? '' ) ? 443 : 80 );
		return (int) $port === $own_port;
	}

	/**
	 * An OR of LIKE conditions on a column, one per needle, with their values.
	 *
	 * @param string $column The column.
	 * @return array{sql: string, values: string[]}
	 */
	private static function likes( string $column ): array {
		global $wpdb;
		$sql    = array();
		$values = array();
		foreach ( self::NEEDLES as $needle ) {
			$sql[]    = "{$column} LIKE %s";
			$values[] = '%' . $wpdb->esc_like( $needle ) . '%';
		}
		return array(
			'sql'    => implode( ' OR ', $sql ),
			'values' => $values,
		);
	}

	/**
	 * The registered post types whose items are content.
	 *
	 * @return string[]
	 */
	private static function content_types(): array {
		return array_values( array_diff( array_map( 'strval', get_post_types() ), self::NOT_CONTENT ) );
	}

	/**
	 * `%s, %s, …` for a list of values.
	 *
	 * @param array<int, mixed> $values The values.
	 */
	private static function placeholders( array $values ): string {
		return implode( ', ', array_fill( 0, max( 1, count( $values ) ), '%s' ) );
	}
}
