<?php
/**
 * Tests of the REST routes handoff/v1/status and handoff/v1/inventory.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Bridge_Access;
use Handoff\Companion\Capabilities;
use Handoff\Companion\Rest_Controller;

/**
 * Who may read what, and what the status document says. The inventory's content is in
 * InventoryTest (it builds the admin menu, which needs a process of its own).
 */
class RestControllerTest extends Handoff_Test_Case {

	/**
	 * The routes of the bridge.
	 *
	 * @return array<string, array{0: string}>
	 */
	public function routes(): array {
		return array(
			'status'    => array( '/handoff/v1/status' ),
			'inventory' => array( '/handoff/v1/inventory' ),
		);
	}

	/**
	 * Every route with every signed-in role that is not the bridge.
	 *
	 * @return array<string, array{0: string, 1: string}>
	 */
	public function routes_and_forbidden_roles(): array {
		$cases = array();
		foreach ( $this->routes() as $name => list( $route ) ) {
			foreach ( array( 'subscriber', 'contributor', 'author', 'editor', 'administrator' ) as $role ) {
				$cases[ "{$name} as {$role}" ] = array( $route, $role );
			}
		}
		return $cases;
	}

	/**
	 * /status and /inventory are GET only; every route of the namespace is guarded by the
	 * bridge's permission check.
	 */
	public function test_every_route_is_guarded_and_status_and_inventory_are_get_only(): void {
		$server = rest_get_server();
		$this->assertContains( Rest_Controller::NAMESPACE, $server->get_namespaces() );
		$routes = $server->get_routes( Rest_Controller::NAMESPACE );
		$this->assertArrayHasKey( '/handoff/v1/status', $routes );
		$this->assertArrayHasKey( '/handoff/v1/inventory', $routes );
		foreach ( array( '/handoff/v1/status', '/handoff/v1/inventory' ) as $route ) {
			$this->assertCount( 1, $routes[ $route ] );
			$this->assertSame( array( 'GET' => true ), $routes[ $route ][0]['methods'] );
		}
		unset( $routes['/handoff/v1'] ); // The namespace index, WordPress's own.
		foreach ( $routes as $route => $handlers ) {
			foreach ( $handlers as $handler ) {
				$this->assertSame( array( Bridge_Access::class, 'check' ), $handler['permission_callback'], "{$route} " . implode( ',', array_keys( $handler['methods'] ) ) . ' is guarded.' );
			}
		}
	}

	/**
	 * Nobody signed in: 401 handoff_unauthenticated, saying no Authorization header arrived.
	 *
	 * @dataProvider routes
	 *
	 * @param string $route The route.
	 */
	public function test_anonymous_gets_401( string $route ): void {
		$response = $this->rest( 'GET', $route );
		$data     = $this->rest_data( $response );

		$this->assertSame( 401, $response->get_status() );
		$this->assertSame( 'handoff_unauthenticated', $data['code'] );
		$this->assertSame(
			array(
				'status'               => 401,
				'authorization_header' => false,
			),
			$data['data']
		);
		$this->assertNotSame( '', $data['message'] );
	}

	/**
	 * Ways an Authorization header reaches PHP.
	 *
	 * @return array<string, array{0: string, 1: string}>
	 */
	public function authorization_headers(): array {
		return array(
			'HTTP_AUTHORIZATION'          => array( 'HTTP_AUTHORIZATION', 'Basic aGFuZG9mZjp4' ),
			'REDIRECT_HTTP_AUTHORIZATION' => array( 'REDIRECT_HTTP_AUTHORIZATION', 'Basic aGFuZG9mZjp4' ),
			'PHP_AUTH_USER'               => array( 'PHP_AUTH_USER', 'handoff-bridge' ),
			'PHP_AUTH_USER empty'         => array( 'PHP_AUTH_USER', '' ),
		);
	}

	/**
	 * When credentials reached PHP but signed nobody in, the 401 says so.
	 *
	 * @dataProvider authorization_headers
	 *
	 * @param string $name  The $_SERVER key.
	 * @param string $value Its value.
	 */
	public function test_the_401_says_whether_an_authorization_header_arrived( string $name, string $value ): void {
		$_SERVER[ $name ] = $value;
		$data             = $this->rest_data( $this->rest( 'GET', '/handoff/v1/status' ) );
		$this->assertSame( 'handoff_unauthenticated', $data['code'] );
		$this->assertTrue( $data['data']['authorization_header'] );
	}

	/**
	 * An empty Authorization header counts as none.
	 */
	public function test_an_empty_authorization_header_counts_as_none(): void {
		$_SERVER['HTTP_AUTHORIZATION'] = '';
		$data                          = $this->rest_data( $this->rest( 'GET', '/handoff/v1/status' ) );
		$this->assertFalse( $data['data']['authorization_header'] );
	}

	/**
	 * Signed in without the capability — administrators included: 403 handoff_forbidden.
	 *
	 * @dataProvider routes_and_forbidden_roles
	 *
	 * @param string $route The route.
	 * @param string $role  The role.
	 */
	public function test_signed_in_users_without_the_capability_get_403( string $route, string $role ): void {
		$this->log_in_as( $role );
		$response = $this->rest( 'GET', $route );
		$data     = $this->rest_data( $response );

		$this->assertSame( 403, $response->get_status() );
		$this->assertSame( 'handoff_forbidden', $data['code'] );
		$this->assertSame( array( 'status' => 403 ), $data['data'] );
	}

	/**
	 * A bridge user whose role was changed loses access at once.
	 */
	public function test_a_bridge_user_moved_to_another_role_gets_403(): void {
		$user = $this->connect_bridge()['user'];
		$user->set_role( 'subscriber' );
		wp_set_current_user( $user->ID );
		$this->assertSame( 403, $this->rest( 'GET', '/handoff/v1/status' )->get_status() );
	}

	/**
	 * The bridge user reads /status.
	 */
	public function test_the_bridge_user_reads_the_status(): void {
		$user = $this->connect_bridge()['user'];
		wp_set_current_user( $user->ID );

		$response = $this->rest( 'GET', '/handoff/v1/status' );

		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 'rest', $this->rest_data( $response )['transport'] );
	}

	/**
	 * The status document has the documented keys, types and values.
	 */
	public function test_the_status_document_is_as_documented(): void {
		$user = $this->connect_bridge()['user'];
		wp_set_current_user( $user->ID );
		$before = time();

		$status = $this->rest_data( $this->rest( 'GET', '/handoff/v1/status' ) );

		$this->assertSame(
			array( 'plugin_version', 'wordpress_version', 'php_version', 'home_url', 'site_url', 'rest_url', 'admin_ajax_url', 'environment_type', 'is_ssl', 'multisite', 'time', 'timezone', 'user', 'transport' ),
			array_keys( $status )
		);
		$this->assertSame( HANDOFF_COMPANION_VERSION, $status['plugin_version'] );
		$this->assertSame( get_bloginfo( 'version' ), $status['wordpress_version'] );
		$this->assertSame( PHP_VERSION, $status['php_version'] );
		$this->assertSame( home_url(), $status['home_url'] );
		$this->assertSame( site_url(), $status['site_url'] );
		$this->assertSame( rest_url(), $status['rest_url'] );
		$this->assertSame( home_url( '/wp-admin/admin-ajax.php' ), $status['admin_ajax_url'] );
		$this->assertSame( 'local', $status['environment_type'] );
		$this->assertFalse( $status['is_ssl'] );
		$this->assertFalse( $status['multisite'] );
		$this->assertIsInt( $status['time'] );
		$this->assertGreaterThanOrEqual( $before, $status['time'] );
		$this->assertLessThanOrEqual( time(), $status['time'] );
		$this->assertIsString( $status['timezone'] );
		$this->assertNotSame( '', $status['timezone'] );
		$this->assertSame(
			array(
				'id'    => $user->ID,
				'login' => 'handoff-bridge',
			),
			$status['user']
		);
		$this->assertSame( 'rest', $status['transport'] );
		$this->assert_no_null( $status );
	}

	/**
	 * The timezone follows the site's setting.
	 */
	public function test_the_status_timezone_follows_the_site(): void {
		update_option( 'timezone_string', 'Europe/Berlin' );
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$this->assertSame( 'Europe/Berlin', $this->rest_data( $this->rest( 'GET', '/handoff/v1/status' ) )['timezone'] );
	}

	/**
	 * Methods other than GET.
	 *
	 * @return array<string, array{0: string, 1: string}>
	 */
	public function other_methods(): array {
		$cases = array();
		foreach ( $this->routes() as $name => list( $route ) ) {
			foreach ( array( 'POST', 'PUT', 'PATCH', 'DELETE' ) as $method ) {
				$cases[ "{$method} {$name}" ] = array( $method, $route );
			}
		}
		return $cases;
	}

	/**
	 * Nothing but GET is served, even to the bridge user.
	 *
	 * @dataProvider other_methods
	 *
	 * @param string $method The HTTP method.
	 * @param string $route  The route.
	 */
	public function test_other_methods_are_not_served( string $method, string $route ): void {
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$response = $this->rest( $method, $route );
		$data     = $this->rest_data( $response );

		$this->assertContains( $response->get_status(), array( 404, 405 ) );
		if ( 404 === $response->get_status() ) {
			$this->assertSame( 'rest_no_route', $data['code'] );
		}
		$this->assertArrayNotHasKey( 'plugin_version', $data );
		$this->assertArrayNotHasKey( 'schema_version', $data );
	}

	/**
	 * An unknown route in the namespace is a plain 404.
	 */
	public function test_an_unknown_route_is_404(): void {
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$response = $this->rest( 'GET', '/handoff/v1/users' );
		$this->assertSame( 404, $response->get_status() );
		$this->assertSame( 'rest_no_route', $this->rest_data( $response )['code'] );
	}

	/**
	 * Parameters cannot make the route answer for someone else.
	 */
	public function test_routes_have_no_arguments_to_abuse(): void {
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$response = $this->rest( 'GET', '/handoff/v1/status', array( 'context' => 'edit', 'user' => 1 ) );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 'handoff-bridge', $this->rest_data( $response )['user']['login'] );
	}

	/**
	 * A role the filter granted the capability to can read the status.
	 */
	public function test_a_role_granted_by_the_filter_is_allowed(): void {
		add_filter(
			'handoff_companion_bridge_roles',
			static function ( $roles ) {
				return array_merge( $roles, array( 'author' ) );
			}
		);
		Capabilities::install();
		$author = $this->log_in_as( 'author' );

		$status = $this->rest_data( $this->rest( 'GET', '/handoff/v1/status' ) );
		$this->assertSame( $author->user_login, $status['user']['login'] );
	}
}
