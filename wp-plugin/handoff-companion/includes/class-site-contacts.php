<?php
/**
 * The developer's contacts and support terms, as the intake gives them.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use stdClass;

defined( 'ABSPATH' ) || exit;

/**
 * Whom the client asks for help, and when: the backend sends them from the intake with
 * the handbook (its optional `contacts` object), and the 403 page and the "Start here"
 * panel show them, unless the menu profile names its own contacts. They belong to the
 * site, not to a profile, so they are kept in their own small autoloaded option
 * (Options::CONTACTS): showing them costs no query.
 *
 * Accepted as the intake accepts them (the same lengths and patterns), so that every valid
 * intake can be published; shown more strictly: a link only for an address is_email()
 * accepts, a phone number of digits, and an http(s) website. Everything else is text.
 */
final class Site_Contacts {

	/**
	 * Each field with its longest length, in characters.
	 */
	public const FIELDS = array(
		'name'          => 200,
		'person'        => 200,
		'email'         => 200,
		'phone'         => 40,
		'website'       => 500,
		'hours'         => 200,
		'response_time' => 200,
		'channel'       => 200,
	);

	/**
	 * Patterns a field must match, as the intake's schema has them.
	 */
	private const PATTERNS = array(
		'email'   => array( '/^[^@\s<>]+@[^@\s<>]+$/D', 'must be an e-mail address' ),
		'phone'   => array( '/^[0-9 +().-]*$/D', 'must be a phone number (digits, spaces and + ( ) . -)' ),
		'website' => array( '#^https?://[^\s<>"]+$#D', 'must be an http:// or https:// address' ),
	);

	/**
	 * A phone number that becomes a tel: link: an optional +, then digits with single
	 * spaces, dots, dashes or brackets between them, 5 to 20 digits in all.
	 */
	private const TEL_PATTERN = '/^\+?\(?[0-9]+(?:[ .-]?\(?[0-9]+\)?)*$/D';

	/**
	 * Checks a document's `contacts` object; problems are added to $errors as
	 * `{"path": "contacts.email", "message"}`.
	 *
	 * @param mixed                                            $value  The decoded value.
	 * @param array<int, array{path: string, message: string}> $errors Collected errors.
	 * @return array<string, string> The contacts, trimmed, without empty fields.
	 */
	public static function validate( $value, array &$errors ): array {
		if ( ! $value instanceof stdClass ) {
			$errors[] = self::error( 'contacts', 'must be an object: {"name", "person", "email", "phone", "website", "hours", "response_time", "channel"}' );
			return array();
		}
		$contacts = array();
		foreach ( get_object_vars( $value ) as $key => $field ) {
			$key  = (string) $key;
			$path = 'contacts.' . $key;
			if ( ! isset( self::FIELDS[ $key ] ) ) {
				$errors[] = self::error( $path, 'is not an allowed key here' );
				continue;
			}
			if ( ! is_string( $field ) ) {
				$errors[] = self::error( $path, 'must be a string' );
				continue;
			}
			$field  = trim( $field );
			$length = mb_strlen( $field, 'UTF-8' );
			if ( $length > self::FIELDS[ $key ] ) {
				$errors[] = self::error( $path, 'must be at most ' . self::FIELDS[ $key ] . ' characters, not ' . $length );
			} elseif ( preg_match( '/[\x00-\x1F\x7F]/', $field ) || ! wp_check_invalid_utf8( $field ) ) {
				$errors[] = self::error( $path, 'must be text on one line, without control characters' );
			} elseif ( isset( self::PATTERNS[ $key ] ) && '' !== $field && ! preg_match( self::PATTERNS[ $key ][0], $field ) ) {
				$errors[] = self::error( $path, self::PATTERNS[ $key ][1] );
			} elseif ( '' !== $field ) {
				$contacts[ $key ] = $field;
			}
		}
		return $contacts;
	}

	/**
	 * The stored contacts ([] for none), from the autoloaded option: never a query.
	 *
	 * @return array<string, string>
	 */
	public static function get(): array {
		$options = wp_load_alloptions();
		$raw     = $options[ Options::CONTACTS ] ?? null;
		$data    = is_string( $raw ) ? json_decode( $raw, true ) : null;
		$found   = array();
		foreach ( is_array( $data ) ? $data : array() as $key => $value ) {
			if ( isset( self::FIELDS[ $key ] ) && is_string( $value ) && '' !== $value ) {
				$found[ $key ] = $value;
			}
		}
		return $found;
	}

	/**
	 * Replaces the stored contacts; [] removes the option.
	 *
	 * @param array<string, string> $contacts Validated contacts.
	 * @return bool Whether the option holds them now.
	 */
	public static function store( array $contacts ): bool {
		if ( ! $contacts ) {
			delete_option( Options::CONTACTS );
			return true;
		}
		$json = (string) wp_json_encode( $contacts );
		// Autoloaded: the 403 page and "Start here" read it without a query.
		return get_option( Options::CONTACTS ) === $json || update_option( Options::CONTACTS, $json, true );
	}

	/**
	 * The contacts as an HTML list, every value escaped; '' when there are none.
	 *
	 * @param array<string, string> $contacts The contacts.
	 * @param string                $intro    A sentence before the list ('' for none).
	 */
	public static function html( array $contacts, string $intro ): string {
		$items = array();
		$who   = isset( $contacts['name'] ) ? '<strong>' . esc_html( $contacts['name'] ) . '</strong>' : '';
		if ( isset( $contacts['person'] ) ) {
			$who .= ( '' === $who ? '' : ' &middot; ' ) . esc_html( $contacts['person'] );
		}
		if ( '' !== $who ) {
			$items[] = $who;
		}
		$links = array(
			'email'   => array( __( 'E-mail:', 'handoff-companion' ), self::email_link( $contacts['email'] ?? '' ) ),
			'phone'   => array( __( 'Phone:', 'handoff-companion' ), self::phone_link( $contacts['phone'] ?? '' ) ),
			'website' => array( __( 'Website:', 'handoff-companion' ), self::website_link( $contacts['website'] ?? '' ) ),
		);
		foreach ( $links as $label_and_link ) {
			if ( '' !== $label_and_link[1] ) {
				$items[] = esc_html( $label_and_link[0] ) . ' ' . $label_and_link[1];
			}
		}
		$terms = array(
			'hours'         => __( 'Support hours:', 'handoff-companion' ),
			'response_time' => __( 'Response time:', 'handoff-companion' ),
			'channel'       => __( 'How to ask for help:', 'handoff-companion' ),
		);
		foreach ( $terms as $key => $label ) {
			if ( isset( $contacts[ $key ] ) ) {
				$items[] = esc_html( $label ) . ' ' . esc_html( $contacts[ $key ] );
			}
		}
		if ( ! $items ) {
			return '';
		}
		$html = '' === $intro ? '' : '<p>' . esc_html( $intro ) . '</p>';
		return $html . '<ul class="handoff-contacts"><li>' . implode( '</li><li>', $items ) . '</li></ul>';
	}

	/**
	 * A mailto: link when is_email() accepts the address, the address as text otherwise.
	 *
	 * @param string $email The address.
	 */
	public static function email_link( string $email ): string {
		if ( '' === $email ) {
			return '';
		}
		if ( ! is_email( $email ) ) {
			return esc_html( $email );
		}
		return '<a href="' . esc_url( 'mailto:' . $email, array( 'mailto' ) ) . '">' . esc_html( $email ) . '</a>';
	}

	/**
	 * A tel: link (digits and a leading +) for a plain phone number, text otherwise.
	 *
	 * @param string $phone The number as written.
	 */
	public static function phone_link( string $phone ): string {
		if ( '' === $phone ) {
			return '';
		}
		$digits = (string) preg_replace( '/[^0-9]/', '', $phone );
		if ( ! preg_match( self::TEL_PATTERN, $phone ) || strlen( $digits ) < 5 || strlen( $digits ) > 20 ) {
			return esc_html( $phone );
		}
		$number = ( '+' === $phone[0] ? '+' : '' ) . $digits;
		return '<a href="' . esc_url( 'tel:' . $number, array( 'tel' ) ) . '">' . esc_html( $phone ) . '</a>';
	}

	/**
	 * A link for an http(s) address, text otherwise.
	 *
	 * @param string $url The address.
	 */
	public static function website_link( string $url ): string {
		if ( '' === $url ) {
			return '';
		}
		$href = preg_match( self::PATTERNS['website'][0], $url ) ? esc_url( $url, array( 'http', 'https' ) ) : '';
		if ( '' === $href ) {
			return esc_html( $url );
		}
		return '<a href="' . $href . '" rel="noopener noreferrer">' . esc_html( $url ) . '</a>';
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
