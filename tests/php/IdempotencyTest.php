<?php
/**
 * Tests of the idempotency keys of the bridge's writes.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Handbook_Store;
use Handoff\Companion\Idempotency;
use Handoff\Companion\Menu_Profile_Store;
use Handoff\Companion\Options;

/**
 * A write sent again with its key gets the first answer and is not applied again; the
 * key with another request is refused (422) and changes nothing; a bad key is refused
 * (400); refusals are not remembered; the keys are kept in one option, not autoloaded,
 * at most Idempotency::MAX_KEYS of them.
 */
class IdempotencyTest extends Handoff_Test_Case {

	private const ROUTE = '/handoff/v1/menu-profile';

	/**
	 * A valid profile.
	 *
	 * @param string $name Its name.
	 * @return array<string, mixed>
	 */
	private static function profile( string $name = 'Editors' ): array {
		return array(
			'schema_version' => 1,
			'name'           => $name,
			'targets'        => array( 'roles' => array( 'editor' ) ),
			'menu'           => array(
				array(
					'slug'  => 'plugins.php',
					'state' => 'denied',
				),
			),
		);
	}

	/**
	 * The bridge user is signed in; WordPress's XML-RPC server is loaded.
	 */
	protected function setUp(): void {
		parent::setUp();
		$this->start_xmlrpc();
	}

	/**
	 * A REST request with a JSON body and an Idempotency-Key header, dispatched here.
	 *
	 * @param string      $method HTTP method.
	 * @param string      $route  Route.
	 * @param mixed       $body   The body (encoded as JSON), or null for none.
	 * @param string|null $key    The key, or null for none.
	 * @param array       $query  Query parameters.
	 */
	private function send( string $method, string $route, $body, ?string $key, array $query = array() ): WP_REST_Response {
		$request = new WP_REST_Request( $method, $route );
		if ( null !== $body ) {
			$request->set_header( 'Content-Type', 'application/json' );
			$request->set_body( is_string( $body ) ? $body : (string) wp_json_encode( $body ) );
		}
		if ( null !== $key ) {
			$request->set_header( 'Idempotency-Key', $key );
		}
		$request->set_query_params( $query );
		return rest_do_request( $request );
	}

	/**
	 * PUT of a profile with a key.
	 *
	 * @param array<string, mixed> $profile  The profile.
	 * @param int                  $replaces The version it replaces.
	 * @param string|null          $key      The key.
	 */
	private function put( array $profile, int $replaces, ?string $key ): WP_REST_Response {
		return $this->send(
			'PUT',
			self::ROUTE,
			array(
				'profile'          => $profile,
				'replaces_version' => $replaces,
			),
			$key
		);
	}

	/**
	 * The menu profile's rows and the keys' option, to compare before and after.
	 *
	 * @return array<int, array<string, string>>
	 */
	private function written(): array {
		global $wpdb;
		// phpcs:ignore WordPress.DB -- a fixed query of the test.
		return $wpdb->get_results( $wpdb->prepare( "SELECT option_name, option_value FROM {$wpdb->options} WHERE option_name IN ( %s, %s, %s, %s, %s ) ORDER BY option_name", Options::MENU, Options::MENU_HISTORY, Options::HANDBOOK, Options::HANDBOOK_META, Options::WRITE_KEYS ), ARRAY_A );
	}

	/**
	 * A PUT sent again with its key: the same answer, one version, one history entry.
	 */
	public function test_a_repeated_put_is_applied_once(): void {
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$first = $this->put( self::profile(), 0, 'job-1-site-a' );
		$this->assertSame( 200, $first->get_status() );
		$before = $this->written();

		$again = $this->put( self::profile(), 0, 'job-1-site-a' );
		$this->assertSame( 200, $again->get_status() );
		$this->assertSame( $this->rest_data( $first ), $this->rest_data( $again ), 'The first answer, again.' );
		$this->assertSame( $before, $this->written(), 'Nothing was written the second time.' );
		$this->assertSame( 1, ( new Menu_Profile_Store() )->current()['version'] );

		// A retry that read the version again after the first try landed is the same write.
		$reread = $this->put( self::profile(), 1, 'job-1-site-a' );
		$this->assertSame( $this->rest_data( $first ), $this->rest_data( $reread ) );
		$this->assertSame( 1, ( new Menu_Profile_Store() )->current()['version'] );

		$other = $this->put( self::profile(), 1, 'job-1-site-b' );
		$this->assertSame( 2, $this->rest_data( $other )['version'], 'Another key is another write.' );
		$this->assertCount( 1, ( new Menu_Profile_Store() )->history() );
	}

	/**
	 * A key sent with another profile (or for another operation): 422, nothing changed.
	 */
	public function test_a_key_reused_for_another_request_is_refused(): void {
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$this->put( self::profile(), 0, 'key-1' );
		$before = $this->site_state();

		$reused = $this->put( self::profile( 'Other' ), 1, 'key-1' );
		$this->assertSame( 422, $reused->get_status() );
		$data = $this->rest_data( $reused );
		$this->assertSame( 'handoff_idempotency_key_reused', $data['code'] );
		$this->assertStringContainsString( 'key-1', $data['message'] );
		$this->assertSame( 'key-1', $data['data']['key'] );

		$delete = $this->send( 'DELETE', self::ROUTE, null, 'key-1', array( 'replaces_version' => '1' ) );
		$this->assertSame( 422, $delete->get_status(), 'The key of a PUT does not serve a DELETE.' );
		$this->assertSame( $before, $this->site_state(), 'Nothing changed.' );
	}

	/**
	 * Keys that are not 1 to 100 letters, digits, '.', '_', ':' or '-': 400, nothing changed.
	 */
	public function test_bad_keys_are_refused(): void {
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$before = $this->site_state();
		foreach ( array( str_repeat( 'k', Idempotency::MAX_LENGTH + 1 ), 'a key', 'ключ', "k\n", 'k/1', '<k>' ) as $key ) {
			$response = $this->put( self::profile(), 0, $key );
			$this->assertSame( 400, $response->get_status(), $key );
			$this->assertSame( 'handoff_invalid_idempotency_key', $this->rest_data( $response )['code'], $key );
		}
		$this->assertSame( $before, $this->site_state(), 'Nothing changed.' );
		$this->assertSame( 200, $this->put( self::profile(), 0, str_repeat( 'k', Idempotency::MAX_LENGTH ) )->get_status() );
	}

	/**
	 * A refused write is not remembered: its key may carry the corrected write.
	 */
	public function test_refusals_are_not_remembered(): void {
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$conflict = $this->put( self::profile(), 7, 'key-2' );
		$this->assertSame( 409, $conflict->get_status() );
		$this->assertFalse( get_option( Options::WRITE_KEYS ), 'No key stored for a refusal.' );
		$this->assertSame( 1, $this->rest_data( $this->put( self::profile(), 0, 'key-2' ) )['version'] );
	}

	/**
	 * Rollback and DELETE sent twice with their keys: each applied once.
	 */
	public function test_rollback_and_delete_are_applied_once(): void {
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$this->put( self::profile( 'One' ), 0, null );
		$this->put( self::profile( 'Two' ), 1, null );

		$body     = array(
			'to_version'       => 0,
			'replaces_version' => 2,
		);
		$rollback = $this->rest_data( $this->send( 'POST', self::ROUTE . '/rollback', $body, 'rb-1' ) );
		$this->assertSame( 3, $rollback['version'] );
		$this->assertSame( $rollback, $this->rest_data( $this->send( 'POST', self::ROUTE . '/rollback', array( 'to_version' => 0, 'replaces_version' => 3 ), 'rb-1' ) ) );
		$this->assertSame( 3, ( new Menu_Profile_Store() )->current()['version'], 'Rolled back once.' );

		$delete = $this->rest_data( $this->send( 'DELETE', self::ROUTE, null, 'del-1', array( 'replaces_version' => '3' ) ) );
		$this->assertSame( 4, $delete['version'] );
		$this->assertSame( $delete, $this->rest_data( $this->send( 'DELETE', self::ROUTE, null, 'del-1', array( 'replaces_version' => '4' ) ) ) );
		$this->assertSame( 4, ( new Menu_Profile_Store() )->current()['version'], 'Removed once.' );
	}

	/**
	 * Handbook publish and unpublish sent twice with their keys: the first answers, one write.
	 */
	public function test_handbook_writes_are_applied_once(): void {
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$document = HandbookApiTest::document();
		$first    = $this->send( 'PUT', '/handoff/v1/handbook', $document, 'hb-1' );
		$this->assertSame( 200, $first->get_status() );
		$stored = get_option( Options::HANDBOOK );
		update_option( Options::HANDBOOK_META, str_replace( '"published":true', '"published":true,"seen":1', (string) get_option( Options::HANDBOOK_META ) ) );
		$meta = get_option( Options::HANDBOOK_META );

		$again = $this->send( 'PUT', '/handoff/v1/handbook', $document, 'hb-1' );
		$this->assertSame( $this->rest_data( $first ), $this->rest_data( $again ) );
		$this->assertSame( $stored, get_option( Options::HANDBOOK ) );
		$this->assertSame( $meta, get_option( Options::HANDBOOK_META ), 'Not published again.' );

		$changed = $this->send( 'PUT', '/handoff/v1/handbook', HandbookApiTest::document( array( 'title' => 'Another title' ) ), 'hb-1' );
		$this->assertSame( 422, $changed->get_status() );
		$this->assertSame( 'Handbook of Sandbox Client Co.', Handbook_Store::handbook()['title'] );

		$removed = $this->rest_data( $this->send( 'DELETE', '/handoff/v1/handbook', null, 'hb-2' ) );
		$this->assertTrue( $removed['removed'] );
		$this->assertSame( $removed, $this->rest_data( $this->send( 'DELETE', '/handoff/v1/handbook', null, 'hb-2' ) ), 'The first answer: it was removed.' );
		$this->assertFalse( Handbook_Store::is_published() );
	}

	/**
	 * Over XML-RPC the key is the methods' last argument, with the same rules.
	 */
	public function test_xmlrpc_writes_take_a_key(): void {
		$connection = $this->connect_bridge();
		$login      = $connection['login'];
		$password   = $connection['password'];
		$server     = $GLOBALS['wp_xmlrpc_server'];
		$profile    = (string) wp_json_encode( self::profile() );

		$first = $server->call( 'handoff.menuProfile.put', array( $login, $password, $profile, 0, 'x-1' ) );
		$this->assertSame( 1, $first['version'] );
		$this->assertSame( $first, $server->call( 'handoff.menuProfile.put', array( $login, $password, $profile, 1, 'x-1' ) ) );
		$this->assertSame( 1, ( new Menu_Profile_Store() )->current()['version'] );

		$reused = $server->call( 'handoff.menuProfile.put', array( $login, $password, (string) wp_json_encode( self::profile( 'Other' ) ), 1, 'x-1' ) );
		$this->assert_fault( $reused, 422, 'handoff_idempotency_key_reused: ' );
		$bad = $server->call( 'handoff.menuProfile.delete', array( $login, $password, 1, 'not a key' ) );
		$this->assert_fault( $bad, 400, 'handoff_invalid_idempotency_key: ' );

		$published = $server->call( 'handoff.handbook.publish', array( $login, $password, wp_json_encode( HandbookApiTest::document() ), 'x-2' ) );
		$this->assertSame( $published, $server->call( 'handoff.handbook.publish', array( $login, $password, wp_json_encode( HandbookApiTest::document() ), 'x-2' ) ) );
		$unpublished = $server->call( 'handoff.handbook.unpublish', array( $login, $password, 'x-3' ) );
		$this->assertTrue( $unpublished['removed'] );
		$this->assertSame( $unpublished, $server->call( 'handoff.handbook.unpublish', array( $login, $password, 'x-3' ) ) );
		$this->assertSame( 1, ( new Menu_Profile_Store() )->current()['version'], 'Refusals changed nothing.' );
	}

	/**
	 * The last MAX_KEYS keys are kept, newest first, in one option that is not autoloaded;
	 * an older key is forgotten (and would be applied again).
	 */
	public function test_the_last_keys_are_kept_in_one_option_not_autoloaded(): void {
		global $wpdb;
		$applied = 0;
		$write   = static function () use ( &$applied ) {
			++$applied;
			return array( 'n' => $applied );
		};
		for ( $n = 0; $n < Idempotency::MAX_KEYS + 2; $n++ ) {
			Idempotency::once( "k-{$n}", 'test', $write );
		}
		$this->assertSame( Idempotency::MAX_KEYS + 2, $applied );
		$keys = Idempotency::read();
		$this->assertCount( Idempotency::MAX_KEYS, $keys );
		$this->assertSame( 'k-' . ( Idempotency::MAX_KEYS + 1 ), $keys[0]['key'], 'Newest first.' );
		$this->assertSame( array( 'n' => 3 ), Idempotency::once( 'k-2', 'test', $write ), 'A kept key: its answer.' );
		Idempotency::once( 'k-0', 'test', $write );
		$this->assertSame( Idempotency::MAX_KEYS + 3, $applied, 'A forgotten key is applied again.' );
		$this->assertSame( array( 'n' => 9 ), Idempotency::once( null, 'test', static fn() => array( 'n' => 9 ) ), 'No key: always applied.' );

		// phpcs:ignore WordPress.DB -- a fixed query of the test.
		$autoload = $wpdb->get_var( $wpdb->prepare( "SELECT autoload FROM {$wpdb->options} WHERE option_name = %s", Options::WRITE_KEYS ) );
		$this->assertSame( self::stored_autoload( false ), $autoload );
		$this->assertContains( Options::WRITE_KEYS, Options::all(), 'Uninstall removes it.' );
	}
}
