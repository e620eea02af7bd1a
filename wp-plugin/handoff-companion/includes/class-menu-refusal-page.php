<?php
/**
 * The page a denied screen answers with.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

defined( 'ABSPATH' ) || exit;

/**
 * The 403 page of a denied screen (what happened, the way back, whom to ask) and the
 * developer's contacts, which the "Start here" panel shows too: the profile's own, or
 * the intake's support contacts and hours that came with the handbook (Site_Contacts).
 */
final class Menu_Refusal_Page {

	/**
	 * Sends the 403 page and stops.
	 *
	 * @param array<string, mixed> $profile The profile (for the contacts).
	 */
	public static function refuse( array $profile ): void {
		wp_die(
			self::html( $profile ), // Built from escaped parts.
			esc_html__( 'Not part of your menu', 'handoff-companion' ),
			array(
				'response'  => 403,
				'back_link' => false,
			)
		);
	}

	/**
	 * The 403 page's content.
	 *
	 * @param array<string, mixed> $profile The profile.
	 */
	public static function html( array $profile ): string {
		return '<h1>' . esc_html__( 'This screen is not available', 'handoff-companion' ) . '</h1>'
			. '<p>' . esc_html__( "This screen is not part of your site's simplified menu.", 'handoff-companion' ) . '</p>'
			. '<p><a href="' . esc_url( admin_url() ) . '">' . esc_html__( 'Go to the dashboard', 'handoff-companion' ) . '</a></p>'
			. self::contacts_html( $profile, __( 'If you need it, ask:', 'handoff-companion' ) );
	}

	/**
	 * The contacts as an HTML list, every part escaped; '' when there are none. The
	 * profile's own Start here contacts when it names some, else the site's (Site_Contacts:
	 * the intake's, sent with the handbook).
	 *
	 * @param array<string, mixed> $profile The profile.
	 * @param string               $intro   A sentence before the list ('' for none).
	 */
	public static function contacts_html( array $profile, string $intro ): string {
		$contacts = $profile['dashboard']['start_here']['contacts'] ?? array();
		$contacts = is_array( $contacts ) ? array_values( array_filter( $contacts, 'is_array' ) ) : array();
		if ( ! $contacts ) {
			return Site_Contacts::html( Site_Contacts::get(), $intro );
		}
		$html  = '' === $intro ? '' : '<p>' . esc_html( $intro ) . '</p>';
		$html .= '<ul class="handoff-contacts">';
		foreach ( $contacts as $contact ) {
			$who = '<strong>' . esc_html( (string) ( $contact['name'] ?? '' ) ) . '</strong>';
			if ( ! empty( $contact['role'] ) ) {
				$who .= ' (' . esc_html( (string) $contact['role'] ) . ')';
			}
			$parts = array( $who );
			foreach ( array( Site_Contacts::email_link( (string) ( $contact['email'] ?? '' ) ), Site_Contacts::phone_link( (string) ( $contact['phone'] ?? '' ) ) ) as $link ) {
				if ( '' !== $link ) {
					$parts[] = $link;
				}
			}
			$html .= '<li>' . implode( ' &middot; ', $parts ) . '</li>';
		}
		return $html . '</ul>';
	}
}
