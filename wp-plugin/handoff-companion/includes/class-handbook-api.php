<?php
/**
 * The Site Handbook services behind the REST routes and the XML-RPC methods.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use stdClass;
use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Publish, read the status of, and unpublish the handbook. Callers have passed
 * Bridge_Access::check(). Answers are arrays, or WP_Error with the status: 400
 * `handoff_invalid_handbook` (`errors`: `[{"path", "message"}]`), 413
 * `handoff_handbook_too_large` (`size`, `limit`), 500 `handoff_handbook_not_stored`,
 * 400 `handoff_invalid_idempotency_key`, 422 `handoff_idempotency_key_reused`.
 *
 * Publish and unpublish take an optional idempotency key (Idempotency): sent again with
 * the same document, the first answer comes back and nothing is stored again.
 */
final class Handbook_Api {

	/**
	 * JSON text longer than this (2 MiB) is refused before it is decoded.
	 */
	public const MAX_BYTES = 2097152;

	/**
	 * The handbook's languages.
	 */
	public const LANGUAGES = array( 'en', 'vi', 'zh' );

	/**
	 * Longest title, in characters.
	 */
	public const MAX_TITLE = 200;

	/**
	 * The keys of a handbook document, all required.
	 */
	private const KEYS = array( 'title', 'language', 'html', 'hash' );

	/**
	 * The optional key: the developer's contacts from the intake (Site_Contacts).
	 */
	private const CONTACTS = 'contacts';

	/**
	 * Publish (REST PUT, handoff.handbook.publish): validates, filters and stores the
	 * handbook; `{"published_at", "hash", "size", "sections"}` (size: bytes of the stored
	 * HTML; sections: how many chapters its contents list).
	 *
	 * @param mixed $document        The document: JSON text, or decoded (stdClass).
	 * @param mixed $idempotency_key The write's idempotency key, or null.
	 * @return array{published_at: int, hash: string, size: int, sections: int}|WP_Error
	 */
	public static function publish( $document, $idempotency_key = null ) {
		$key = Idempotency::key_arg( $idempotency_key );
		if ( $key instanceof WP_Error ) {
			return $key;
		}
		if ( is_string( $document ) ) {
			if ( strlen( $document ) > self::MAX_BYTES ) {
				return self::too_large( strlen( $document ) );
			}
			$decoded = json_decode( $document, false );
			if ( null === $decoded && JSON_ERROR_NONE !== json_last_error() ) {
				return self::invalid( array( self::error( '', 'the handbook is not valid JSON: ' . json_last_error_msg() ) ) );
			}
			$document = $decoded;
		}
		if ( ! $document instanceof stdClass ) {
			return self::invalid( array( self::error( '', 'the handbook must be a JSON object: {"title", "language", "html", "hash"}' ) ) );
		}
		return Idempotency::once(
			$key,
			'handbook.publish:' . Menu_Profile_Store::hash( $document ),
			static function () use ( $document ) {
				return self::store( $document );
			}
		);
	}

	/**
	 * Validates, filters and stores a decoded document.
	 *
	 * @param stdClass $document The decoded document.
	 * @return array{published_at: int, hash: string, size: int, sections: int}|WP_Error
	 */
	private static function store( stdClass $document ) {
		$errors   = array();
		$handbook = self::validate( $document, $errors );
		if ( $errors ) {
			return self::invalid( $errors );
		}
		$stored = Handbook_Store::publish( $handbook, (string) wp_get_current_user()->user_login );
		if ( $stored instanceof WP_Error ) {
			return $stored;
		}
		// Replaced by every publish: a document without contacts removes the old ones.
		Site_Contacts::store( $handbook['contacts'] );
		return array(
			'published_at' => $stored['published_at'],
			'hash'         => $stored['hash'],
			'size'         => strlen( $stored['html'] ),
			'sections'     => count( $stored['sections'] ),
		);
	}

	/**
	 * Status (REST GET, handoff.handbook.status): what is published and whether the client
	 * has opened it. No HTML: that stays on the site. Nothing is null: absent values are
	 * '', 0, [] or `{}`.
	 *
	 * @return array<string, mixed>
	 */
	public static function status(): array {
		$handbook  = Handbook_Store::is_published() ? Handbook_Store::handbook() : null;
		$views     = Handbook_Store::views();
		$first     = $views['first_view'];
		$published = null !== $handbook;
		return array(
			'published'       => $published,
			'title'           => $published ? $handbook['title'] : '',
			'language'        => $published ? $handbook['language'] : '',
			'hash'            => $published ? $handbook['hash'] : '',
			'published_at'    => $published ? $handbook['published_at'] : 0,
			'published_by'    => $published ? $handbook['published_by'] : '',
			'sections'        => $published ? $handbook['sections'] : array(),
			'first_view'      => null === $first ? new stdClass() : array(
				'user_login' => $first['user_login'],
				'at'         => $first['at'],
			),
			'views_by_client' => $views['views_by_client'],
		);
	}

	/**
	 * Unpublish (REST DELETE, handoff.handbook.unpublish): removes the handbook, its meta
	 * and its view record; the menu item and the dashboard widget go with them.
	 * `{"published": false, "removed": bool}` (removed: whether there was one).
	 *
	 * @param mixed $idempotency_key The write's idempotency key, or null.
	 * @return array{published: bool, removed: bool}|WP_Error
	 */
	public static function unpublish( $idempotency_key = null ) {
		$key = Idempotency::key_arg( $idempotency_key );
		if ( $key instanceof WP_Error ) {
			return $key;
		}
		return Idempotency::once(
			$key,
			'handbook.unpublish',
			static function () {
				return array(
					'published' => false,
					'removed'   => Handbook_Store::unpublish(),
				);
			}
		);
	}

	/**
	 * The 400 error for a refused handbook or request.
	 *
	 * @param array<int, array{path: string, message: string}> $errors What is wrong, where.
	 */
	public static function invalid( array $errors ): WP_Error {
		return new WP_Error(
			'handoff_invalid_handbook',
			__( 'The handbook was refused: nothing was changed.', 'handoff-companion' ),
			array(
				'status' => 400,
				'errors' => array_values( $errors ),
			)
		);
	}

	/**
	 * The 413 error.
	 *
	 * @param int $size Bytes received.
	 */
	public static function too_large( int $size ): WP_Error {
		return new WP_Error(
			'handoff_handbook_too_large',
			sprintf(
				/* translators: 1: size in bytes, 2: the limit in bytes. */
				__( 'The handbook is %1$d bytes of JSON; the limit is %2$d.', 'handoff-companion' ),
				$size,
				self::MAX_BYTES
			),
			array(
				'status' => 413,
				'size'   => $size,
				'limit'  => self::MAX_BYTES,
			)
		);
	}

	/**
	 * Checks every field and prepares the HTML; problems are added to $errors.
	 *
	 * @param stdClass                                         $document The decoded document.
	 * @param array<int, array{path: string, message: string}> $errors   Collected errors.
	 * @return array{title: string, language: string, html: string, hash: string, sections: array<int, array{id: string, title: string}>, contacts: array<string, string>}
	 */
	private static function validate( stdClass $document, array &$errors ): array {
		foreach ( array_keys( get_object_vars( $document ) ) as $key ) {
			if ( ! in_array( (string) $key, self::KEYS, true ) && self::CONTACTS !== (string) $key ) {
				$errors[] = self::error( (string) $key, 'is not an allowed key here' );
			}
		}
		foreach ( self::KEYS as $key ) {
			if ( ! property_exists( $document, $key ) ) {
				$errors[] = self::error( $key, 'is required' );
			} elseif ( ! is_string( $document->$key ) ) {
				$errors[] = self::error( $key, 'must be a string' );
			}
		}
		$title    = is_string( $document->title ?? null ) ? $document->title : '';
		$language = is_string( $document->language ?? null ) ? $document->language : '';
		$html     = is_string( $document->html ?? null ) ? $document->html : '';
		$hash     = is_string( $document->hash ?? null ) ? $document->hash : '';

		if ( is_string( $document->title ?? null ) ) {
			$length = mb_strlen( $title, 'UTF-8' );
			if ( '' === trim( $title ) ) {
				$errors[] = self::error( 'title', 'must not be empty' );
			} elseif ( $length > self::MAX_TITLE ) {
				$errors[] = self::error( 'title', 'must be at most ' . self::MAX_TITLE . ' characters, not ' . $length );
			}
			if ( false !== strpbrk( $title, '<>' ) ) {
				$errors[] = self::error( 'title', 'must not contain < or >' );
			}
			if ( preg_match( '/[\x00-\x1F\x7F]/', $title ) ) {
				$errors[] = self::error( 'title', 'must not contain control characters (line breaks, tabs…)' );
			}
		}
		if ( is_string( $document->language ?? null ) && ! in_array( $language, self::LANGUAGES, true ) ) {
			$errors[] = self::error( 'language', 'must be one of ' . implode( ', ', self::LANGUAGES ) );
		}
		if ( is_string( $document->hash ?? null ) && ! preg_match( '/^[0-9a-f]{64}$/D', $hash ) ) {
			$errors[] = self::error( 'hash', 'must be 64 lowercase hexadecimal characters (a SHA-256)' );
		}
		$contacts = property_exists( $document, self::CONTACTS ) ? Site_Contacts::validate( $document->{self::CONTACTS}, $errors ) : array();
		$prepared = array(
			'html'     => '',
			'sections' => array(),
		);
		if ( is_string( $document->html ?? null ) ) {
			if ( '' === trim( $html ) ) {
				$errors[] = self::error( 'html', 'must not be empty' );
			} elseif ( ! $errors ) {
				$prepared = Handbook_Html::prepare( $html );
				if ( $prepared['depth'] > Handbook_Html::MAX_DEPTH ) {
					$errors[] = self::error( 'html', 'nests elements ' . $prepared['depth'] . ' deep; at most ' . Handbook_Html::MAX_DEPTH . ' may be open at once (an unclosed tag counts until the end)' );
				} elseif ( '' === Handbook_Html::text( $prepared['html'] ) ) {
					$errors[] = self::error( 'html', 'has no text left once filtered (scripts, forms, frames and event attributes are removed)' );
				}
			}
		}
		return array(
			'title'    => $title,
			'language' => $language,
			'html'     => $prepared['html'],
			'hash'     => $hash,
			'sections' => $prepared['sections'],
			'contacts' => $contacts,
		);
	}

	/**
	 * One error.
	 *
	 * @param string $path    Where.
	 * @param string $message What.
	 * @return array{path: string, message: string}
	 */
	private static function error( string $path, string $message ): array {
		return array(
			'path'    => $path,
			'message' => $message,
		);
	}
}
