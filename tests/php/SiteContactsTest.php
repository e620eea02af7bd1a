<?php
/**
 * Tests of the developer's contacts the handbook brings, on the 403 page and "Start here".
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Handbook_Api;
use Handoff\Companion\Menu_Dashboard;
use Handoff\Companion\Menu_Refusal_Page;
use Handoff\Companion\Options;
use Handoff\Companion\Site_Contacts;

require_once __DIR__ . '/HandbookApiTest.php'; // Its document() is shared.

/**
 * The handbook document's optional `contacts` (the intake's developer and support terms):
 * validated like the intake, kept in a small autoloaded option, shown on the 403 page and
 * in "Start here" with mailto:/tel:/http(s) links only, every value as text.
 */
class SiteContactsTest extends Handoff_Test_Case {

	/**
	 * Contacts as the backend sends them from a complete intake.
	 *
	 * @param array<string, string> $changes Fields to replace.
	 * @return array<string, string>
	 */
	private static function contacts( array $changes = array() ): array {
		return array_merge(
			array(
				'name'          => 'Smith & Sons Web',
				'person'        => 'Jo Smith',
				'email'         => 'help@agency.example',
				'phone'         => '+44 (0)20 7946 0000',
				'website'       => 'https://agency.example/support',
				'hours'         => 'Mon–Fri 9:00–17:00',
				'response_time' => 'one working day',
				'channel'       => 'e-mail first, phone when urgent',
			),
			$changes
		);
	}

	/**
	 * A profile whose "Start here" panel names no contacts of its own.
	 *
	 * @param array<string, mixed> $start_here Start here's fields.
	 * @return array<string, mixed>
	 */
	private static function profile( array $start_here = array() ): array {
		return array(
			'dashboard' => array(
				'start_here' => array_merge(
					array(
						'title' => 'Start here',
						'text'  => 'Edit your pages under Pages.',
					),
					$start_here
				),
			),
		);
	}

	/**
	 * PUT /handoff/v1/handbook as the bridge user.
	 *
	 * @param array<string, mixed> $document The document.
	 */
	private function publish( array $document ): WP_REST_Response {
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$request = new WP_REST_Request( 'PUT', '/handoff/v1/handbook' );
		$request->set_header( 'Content-Type', 'application/json' );
		$request->set_body( (string) wp_json_encode( $document ) );
		return rest_do_request( $request );
	}

	/**
	 * The stored contacts as the database holds them (the row, and whether it is autoloaded).
	 *
	 * @return array{0: string|null, 1: string|null}
	 */
	private static function stored_row(): array {
		global $wpdb;
		$row = $wpdb->get_row( $wpdb->prepare( "SELECT option_value, autoload FROM {$wpdb->options} WHERE option_name = %s", Options::CONTACTS ) ); // phpcs:ignore WordPress.DB -- the test reads the row itself.
		return $row ? array( $row->option_value, $row->autoload ) : array( null, null );
	}

	/**
	 * A handbook with contacts stores them, trimmed, in an autoloaded option; the next
	 * publish without contacts removes them, and so does unpublishing.
	 */
	public function test_the_handbook_brings_the_contacts_into_an_autoloaded_option(): void {
		$response = $this->publish( HandbookApiTest::document( array( 'contacts' => self::contacts( array( 'person' => '  Jo Smith ' ) ) ) ) );

		$this->assertSame( 200, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$this->assertSame( self::contacts(), Site_Contacts::get() );
		list( $value, $autoload ) = self::stored_row();
		$this->assertSame( self::contacts(), json_decode( (string) $value, true ) );
		$this->assertSame( self::stored_autoload( true ), $autoload );

		$this->assertSame( 200, $this->publish( HandbookApiTest::document() )->get_status() );
		$this->assertSame( array(), Site_Contacts::get() );
		$this->assertSame( array( null, null ), self::stored_row() );

		$this->publish( HandbookApiTest::document( array( 'contacts' => self::contacts() ) ) );
		$request = new WP_REST_Request( 'DELETE', '/handoff/v1/handbook' );
		$this->assertSame( 200, rest_do_request( $request )->get_status() );
		$this->assertSame( array( null, null ), self::stored_row() );
		$this->assertContains( Options::CONTACTS, Options::all(), 'Uninstall removes it too.' );
	}

	/**
	 * Contacts the intake would not accept are refused with their place, and nothing is
	 * stored: not the handbook, not the contacts.
	 */
	public function test_bad_contacts_are_refused_with_their_place(): void {
		$cases = array(
			'not an object'   => array( 'help@agency.example', 'contacts', 'must be an object' ),
			'a list'          => array( array( 'help@agency.example' ), 'contacts', 'must be an object' ),
			'an unknown key'  => array( array( 'address' => 'Main St' ), 'contacts.address', 'not an allowed key' ),
			'a number'        => array( array( 'phone' => 123456 ), 'contacts.phone', 'must be a string' ),
			'too long'        => array( array( 'hours' => str_repeat( 'é', 201 ) ), 'contacts.hours', 'at most 200 characters, not 201' ),
			'a line break'    => array( array( 'name' => "Smith\nSons" ), 'contacts.name', 'control characters' ),
			'not an e-mail'   => array( array( 'email' => 'help at agency' ), 'contacts.email', 'must be an e-mail address' ),
			'markup e-mail'   => array( array( 'email' => '<a>@agency.example' ), 'contacts.email', 'must be an e-mail address' ),
			'a phone word'    => array( array( 'phone' => 'call 555' ), 'contacts.phone', 'must be a phone number' ),
			'a script link'   => array( array( 'website' => 'javascript:alert(1)' ), 'contacts.website', 'http:// or https://' ),
			'a data link'     => array( array( 'website' => 'data:text/html,<b>x</b>' ), 'contacts.website', 'http:// or https://' ),
			'a quote in link' => array( array( 'website' => 'https://agency.example/"onmouseover="x' ), 'contacts.website', 'http:// or https://' ),
		);
		foreach ( $cases as $what => list( $contacts, $path, $message ) ) {
			$response = $this->publish( HandbookApiTest::document( array( 'contacts' => $contacts ) ) );
			$data     = $this->rest_data( $response );
			$this->assertSame( 400, $response->get_status(), $what );
			$this->assertSame( 'handoff_invalid_handbook', $data['code'], $what );
			$this->assertSame( array( $path ), array_column( $data['data']['errors'], 'path' ), $what );
			$this->assertStringContainsString( $message, $data['data']['errors'][0]['message'], $what );
		}
		$this->assertFalse( get_option( Options::HANDBOOK ), 'No handbook was stored.' );
		$this->assertSame( array( null, null ), self::stored_row(), 'No contacts were stored.' );
	}

	/**
	 * The 403 page names the site's contacts and support terms when the profile has none:
	 * mailto:, tel: and https links, labels before the hours, response time and channel.
	 */
	public function test_the_refusal_page_names_the_site_contacts_and_hours(): void {
		$this->assertStringNotContainsString( 'handoff-contacts', Menu_Refusal_Page::html( self::profile() ), 'No contacts yet.' );
		Site_Contacts::store( self::contacts() );

		$html = Menu_Refusal_Page::html( self::profile() );

		$this->assertStringContainsString( '<p>If you need it, ask:</p><ul class="handoff-contacts">', $html );
		$this->assertStringContainsString( '<strong>Smith &amp; Sons Web</strong> &middot; Jo Smith', $html );
		$this->assertStringContainsString( 'E-mail: <a href="mailto:help@agency.example">help@agency.example</a>', $html );
		$this->assertStringContainsString( 'Phone: <a href="tel:+4402079460000">+44 (0)20 7946 0000</a>', $html );
		$this->assertStringContainsString( 'Website: <a href="https://agency.example/support" rel="noopener noreferrer">https://agency.example/support</a>', $html );
		$this->assertStringContainsString( '<li>Support hours: Mon–Fri 9:00–17:00</li>', $html );
		$this->assertStringContainsString( '<li>Response time: one working day</li>', $html );
		$this->assertStringContainsString( '<li>How to ask for help: e-mail first, phone when urgent</li>', $html );
	}

	/**
	 * "Start here" shows the site's contacts too, after its own text.
	 */
	public function test_start_here_shows_the_site_contacts(): void {
		Site_Contacts::store( self::contacts() );
		ob_start();
		( new Menu_Dashboard( self::profile() ) )->render_start_here();
		$html = (string) ob_get_clean();

		$this->assertStringContainsString( '<p>Edit your pages under Pages.</p>', $html );
		$this->assertStringContainsString( '<p>Need help? Ask:</p>', $html );
		$this->assertStringContainsString( '<a href="mailto:help@agency.example">', $html );
		$this->assertStringContainsString( 'Support hours: Mon–Fri 9:00–17:00', $html );
		$this->assertLessThan( strpos( $html, 'handoff-contacts' ), strpos( $html, 'Edit your pages' ) );
	}

	/**
	 * A profile's own "Start here" contacts take the place of the site's, on both.
	 */
	public function test_a_profiles_own_contacts_take_the_place_of_the_sites(): void {
		Site_Contacts::store( self::contacts() );
		$profile = self::profile(
			array(
				'contacts' => array(
					array(
						'name'  => 'Help desk',
						'email' => 'desk@agency.example',
					),
				),
			)
		);

		$html = Menu_Refusal_Page::html( $profile );

		$this->assertStringContainsString( '<strong>Help desk</strong> &middot; <a href="mailto:desk@agency.example">desk@agency.example</a>', $html );
		$this->assertStringNotContainsString( 'help@agency.example', $html );
		$this->assertStringNotContainsString( 'Support hours', $html );
	}

	/**
	 * Hostile values, even written straight into the option, stay text: no element, no
	 * attribute, and the only links are mailto:, tel: and http(s) ones.
	 */
	public function test_hostile_contact_values_stay_text(): void {
		$hostile = array(
			'name'          => '<script>alert(1)</script>',
			'person'        => '"><img src=x onerror=alert(2)>',
			'email'         => 'javascript:alert(3)//@x.example',
			'phone'         => '+1 555" onclick="alert(4)',
			'website'       => 'javascript:alert(5)',
			'hours'         => '<b onmouseover=alert(6)>9–5</b>',
			'response_time' => '</li></ul><a href="javascript:alert(7)">x</a>',
			'channel'       => '&lt;already escaped&gt;',
		);
		update_option( Options::CONTACTS, wp_json_encode( $hostile ), true );

		foreach ( array( Menu_Refusal_Page::html( self::profile() ), Site_Contacts::html( $hostile, 'Ask:' ) ) as $html ) {
			$this->assertStringNotContainsString( '<script', $html );
			$this->assertStringNotContainsString( '<img', $html );
			$this->assertStringNotContainsString( '<b ', $html );
			$this->assertStringNotContainsString( 'onclick="', $html );
			$this->assertStringNotContainsString( 'href="javascript', $html );
			$this->assertStringContainsString( '&lt;script&gt;alert(1)&lt;/script&gt;', $html );
			$this->assertStringNotContainsString( '<already', $html, 'Entities stay entities (esc_html), never markup.' );
			preg_match_all( '/href="([^"]*)"/', $html, $links );
			foreach ( $links[1] as $href ) {
				$this->assertMatchesRegularExpression( '#^(https?://|mailto:|tel:)#', $href );
			}
			$this->assertSame( 1, substr_count( $html, '<ul' ), 'The list is not closed early.' );
		}
	}

	/**
	 * Links are made only where the value is what it claims: is_email() for an address,
	 * a plain phone number of 5 to 20 digits, an http(s) address.
	 *
	 * @dataProvider links
	 *
	 * @param string $field    The field.
	 * @param string $value    Its value.
	 * @param string $expected The HTML the value becomes.
	 */
	public function test_links_only_for_valid_values( string $field, string $value, string $expected ): void {
		$html = Site_Contacts::html( array( $field => $value ), '' );
		$this->assertStringContainsString( $expected, $html );
	}

	/**
	 * Values and what they become.
	 *
	 * @return array<string, array{0: string, 1: string, 2: string}>
	 */
	public function links(): array {
		return array(
			'an e-mail'                 => array( 'email', 'a.b+c@agency.example', '<a href="mailto:a.b+c@agency.example">a.b+c@agency.example</a>' ),
			'an e-mail without a dot'   => array( 'email', 'help@localhost', 'E-mail: help@localhost</li>' ),
			'a phone'                   => array( 'phone', '028 3822 1234', '<a href="tel:02838221234">028 3822 1234</a>' ),
			'a phone with a +'          => array( 'phone', '+84 28 3822 1234', '<a href="tel:+842838221234">' ),
			'too few digits'            => array( 'phone', '1234', 'Phone: 1234</li>' ),
			'a + in the middle'         => array( 'phone', '555+1234', 'Phone: 555+1234</li>' ),
			'only punctuation'          => array( 'phone', '+() -', 'Phone: +() -</li>' ),
			'an http website'           => array( 'website', 'http://agency.example', '<a href="http://agency.example" rel="noopener noreferrer">' ),
			'a website of another kind' => array( 'website', 'ftp://agency.example', 'Website: ftp://agency.example</li>' ),
		);
	}
}
