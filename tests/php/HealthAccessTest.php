<?php
/**
 * Tests of who may read the health answer, over REST and XML-RPC, and of what reading it
 * costs.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Bridge_Access;
use Handoff\Companion\Xmlrpc_Methods;

/**
 * GET /handoff/v1/health and handoff.health: the bridge user only, GET only, read only,
 * quick.
 */
class HealthAccessTest extends Handoff_Test_Case {

	/**
	 * Loads WordPress's XML-RPC server, as xmlrpc.php does, and accepts Application Passwords
	 * (WordPress does in an XML-RPC request).
	 */
	protected function setUp(): void {
		parent::setUp();
		$this->start_xmlrpc();
	}



	/**
	 * The route is GET only and guarded by the bridge's check; the method is registered.
	 */
	public function test_the_route_and_the_method_are_registered(): void {
		$routes = rest_get_server()->get_routes( 'handoff/v1' );
		$this->assertArrayHasKey( '/handoff/v1/health', $routes );
		$this->assertCount( 1, $routes['/handoff/v1/health'] );
		$this->assertSame( array( 'GET' => true ), $routes['/handoff/v1/health'][0]['methods'] );
		$this->assertSame( array( Bridge_Access::class, 'check' ), $routes['/handoff/v1/health'][0]['permission_callback'] );
		$this->assertSame( array( Xmlrpc_Methods::class, 'health' ), $GLOBALS['wp_xmlrpc_server']->methods['handoff.health'] );
	}

	/**
	 * Nobody signed in: 401 handoff_unauthenticated.
	 */
	public function test_anonymous_gets_401(): void {
		$response = $this->rest( 'GET', '/handoff/v1/health' );
		$data     = $this->rest_data( $response );
		$this->assertSame( 401, $response->get_status() );
		$this->assertSame( 'handoff_unauthenticated', $data['code'] );
		$this->assertArrayNotHasKey( 'facts', $data );
	}

	/**
	 * Signed-in roles other than the bridge.
	 *
	 * @return array<string, array{0: string}>
	 */
	public function forbidden_roles(): array {
		return array(
			'subscriber'    => array( 'subscriber' ),
			'editor'        => array( 'editor' ),
			'administrator' => array( 'administrator' ),
		);
	}

	/**
	 * Signed in without the capability — administrators included: 403 handoff_forbidden.
	 *
	 * @dataProvider forbidden_roles
	 *
	 * @param string $role The role.
	 */
	public function test_other_users_get_403( string $role ): void {
		$this->log_in_as( $role );
		$response = $this->rest( 'GET', '/handoff/v1/health' );
		$data     = $this->rest_data( $response );
		$this->assertSame( 403, $response->get_status() );
		$this->assertSame( 'handoff_forbidden', $data['code'] );
		$this->assertSame( array( 'status' => 403 ), $data['data'] );
	}

	/**
	 * The bridge user gets 200 and the answer.
	 */
	public function test_the_bridge_user_gets_200(): void {
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$response = $this->rest( 'GET', '/handoff/v1/health' );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( array( 'generated_at', 'facts' ), array_keys( $this->rest_data( $response ) ) );
	}

	/**
	 * Other methods.
	 *
	 * @return array<string, array{0: string}>
	 */
	public function other_methods(): array {
		return array(
			'POST'   => array( 'POST' ),
			'PUT'    => array( 'PUT' ),
			'PATCH'  => array( 'PATCH' ),
			'DELETE' => array( 'DELETE' ),
		);
	}

	/**
	 * Nothing but GET, even for the bridge user: 404 rest_no_route.
	 *
	 * @dataProvider other_methods
	 *
	 * @param string $method The HTTP method.
	 */
	public function test_other_methods_are_not_served( string $method ): void {
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$response = $this->rest( $method, '/handoff/v1/health' );
		$this->assertSame( 404, $response->get_status() );
		$this->assertSame( 'rest_no_route', $this->rest_data( $response )['code'] );
	}

	/**
	 * XML-RPC: wrong or missing credentials are WordPress's 403, other users
	 * handoff_forbidden, bad parameters 400.
	 */
	public function test_xmlrpc_refuses_everyone_but_the_bridge(): void {
		$connection = $this->connect_bridge();
		$this->assert_fault( Xmlrpc_Methods::health( array( '', '' ) ), 403, 'Incorrect username or password.' );
		$this->new_xmlrpc_server();
		$this->assert_fault( Xmlrpc_Methods::health( array( $connection['login'], strrev( $connection['password'] ) ) ), 403, 'Incorrect username or password.' );
		foreach ( array( 'subscriber', 'editor', 'administrator' ) as $role ) {
			$user    = $this->create_user( $role );
			$created = WP_Application_Passwords::create_new_application_password( $user->ID, array( 'name' => 'Some app' ) );
			$this->new_xmlrpc_server();
			$this->assert_fault( Xmlrpc_Methods::health( array( $user->user_login, $created[0] ) ), 403, 'handoff_forbidden: ' );
		}
		$this->new_xmlrpc_server();
		$this->assert_fault( Xmlrpc_Methods::health( array( $connection['login'] ) ), 400, 'handoff_bad_request: ' );
	}

	/**
	 * XML-RPC: the bridge user gets the REST answer, and it crosses XML-RPC unchanged (an
	 * empty first view as a struct).
	 */
	public function test_xmlrpc_answers_the_bridge(): void {
		$connection = $this->connect_bridge();
		$answer     = $GLOBALS['wp_xmlrpc_server']->call( 'handoff.health', array( $connection['login'], $connection['password'] ) );

		$this->assertIsArray( $answer );
		$this->assertSame( array( 'generated_at', 'facts' ), array_keys( $answer ) );
		$this->assert_no_null( $answer );
		$value   = new IXR_Value( $answer );
		$xml     = $value->getXml();
		$message = new IXR_Message( '<?xml version="1.0"?><methodResponse><params><param><value>' . $xml . '</value></param></params></methodResponse>' );
		$this->assertTrue( $message->parse() );
		$parsed = $message->params[0];
		$this->assertSame( json_decode( wp_json_encode( $answer ), true ), $parsed );
		$this->assertStringContainsString( '<name>first_view</name><value><struct>', preg_replace( '/\s+/', '', $xml ) );
	}

	/**
	 * Reading the answer writes nothing: no row of the site changes, transients included,
	 * and no writing statement is sent.
	 */
	public function test_reading_writes_nothing(): void {
		global $wpdb;
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$this->rest( 'GET', '/handoff/v1/health' ); // Anything a first request does once.
		$counts = function () use ( $wpdb ) {
			$counts = array();
			foreach ( array( $wpdb->options, $wpdb->posts, $wpdb->postmeta, $wpdb->users, $wpdb->usermeta, $wpdb->comments, $wpdb->terms ) as $table ) {
				$counts[ $table ] = $wpdb->get_var( "CHECKSUM TABLE {$table}", 1 ); // phpcs:ignore WordPress.DB -- fixed tables of the harness.
			}
			return $counts;
		};
		$statements = array();
		add_filter(
			'query',
			static function ( $query ) use ( &$statements ) {
				$statements[] = $query;
				return $query;
			},
			PHP_INT_MAX
		);
		wp_cache_flush();
		$before_state = $this->site_state();
		$before       = $counts();

		$response = $this->rest( 'GET', '/handoff/v1/health' );

		$this->assertSame( 200, $response->get_status() );
		$writes = preg_grep( '/^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|ALTER|DROP|TRUNCATE)\b/i', $statements );
		$this->assertSame( array(), array_values( $writes ) );
		$this->assertSame( $before, $counts() );
		$this->assertSame( $before_state, $this->site_state() );
	}

	/**
	 * The whole answer takes under 2 seconds on the sandbox (median of 3).
	 */
	public function test_the_answer_is_quick(): void {
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$times = array();
		for ( $i = 0; $i < 3; $i++ ) {
			wp_cache_flush();
			$start = microtime( true );
			$this->assertSame( 200, $this->rest( 'GET', '/handoff/v1/health' )->get_status() );
			$times[] = microtime( true ) - $start;
		}
		sort( $times );
		$this->assertLessThan( 2.0, $times[1], 'Seconds: ' . implode( ', ', $times ) );
	}
}
