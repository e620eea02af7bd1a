<?php
/**
 * Tests of the menu profile's REST routes and XML-RPC methods.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Menu_Profile_Store;
use Handoff\Companion\Xmlrpc_Methods;

/**
 * GET/PUT/DELETE /handoff/v1/menu-profile, POST /handoff/v1/menu-profile/rollback and
 * handoff.menuProfile.get/put/rollback/delete: the bridge user only (401/403 otherwise),
 * the contract's answers and errors, JSON bodies with objects kept as objects.
 */
class MenuProfileApiTest extends Handoff_Test_Case {

	private const ROUTE = '/handoff/v1/menu-profile';

	/**
	 * A valid profile (as decoded JSON, with an empty object).
	 *
	 * @param string $name Its name.
	 * @return array<string, mixed>
	 */
	private static function profile( string $name = 'Editors' ): array {
		return array(
			'schema_version' => 1,
			'name'           => $name,
			'targets'        => array( 'roles' => array( 'editor' ) ),
			'exempt_users'   => array( 'admin' ),
			'menu'           => array(
				array(
					'slug'  => 'index.php',
					'state' => 'visible',
				),
				array(
					'slug'  => 'plugins.php',
					'state' => 'denied',
				),
			),
			'admin_bar'      => new stdClass(),
			'custom_links'   => array(),
		);
	}

	/**
	 * Loads WordPress's XML-RPC server, as xmlrpc.php does, and accepts Application
	 * Passwords (WordPress does in an XML-RPC request).
	 */
	protected function setUp(): void {
		parent::setUp();
		$this->start_xmlrpc();
	}


	/**
	 * XML without the whitespace between tags.
	 *
	 * @param mixed $value A value to send over XML-RPC.
	 */
	private static function xml( $value ): string {
		return (string) preg_replace( '/>\s+</', '><', ( new IXR_Value( $value ) )->getXml() );
	}

	/**
	 * A REST request with a raw JSON body, dispatched in this process.
	 *
	 * @param string      $method HTTP method.
	 * @param string      $route  Route.
	 * @param string|null $body   JSON text, or null for none.
	 * @param array       $query  Query parameters.
	 */
	private function send( string $method, string $route, ?string $body = null, array $query = array() ): WP_REST_Response {
		$request = new WP_REST_Request( $method, $route );
		if ( null !== $body ) {
			$request->set_header( 'Content-Type', 'application/json' );
			$request->set_body( $body );
		}
		$request->set_query_params( $query );
		return rest_do_request( $request );
	}

	/**
	 * A PUT body.
	 *
	 * @param mixed $profile          The profile.
	 * @param int   $replaces_version The version it replaces.
	 */
	private static function put_body( $profile, int $replaces_version ): string {
		return (string) wp_json_encode(
			array(
				'profile'          => $profile,
				'replaces_version' => $replaces_version,
			)
		);
	}

	/**
	 * Every route for every kind of caller: only the bridge user gets in; the others get
	 * the bridge protocol's 401 / 403 (even with a body that is not JSON).
	 */
	public function test_routes_by_role(): void {
		$bridge   = $this->connect_bridge()['user'];
		$requests = array(
			'GET'              => array( 'GET', self::ROUTE, null, array() ),
			'PUT'              => array( 'PUT', self::ROUTE, self::put_body( self::profile(), 0 ), array() ),
			'PUT not JSON'     => array( 'PUT', self::ROUTE, '{"profile": ', array() ),
			'DELETE'           => array( 'DELETE', self::ROUTE, null, array( 'replaces_version' => '0' ) ),
			'POST rollback'    => array( 'POST', self::ROUTE . '/rollback', '{"to_version": 0, "replaces_version": 0}', array() ),
			'rollback no JSON' => array( 'POST', self::ROUTE . '/rollback', 'nope', array() ),
		);
		$callers  = array(
			'nobody'        => array( 0, 401, 'handoff_unauthenticated' ),
			'editor'        => array( $this->create_user( 'editor' )->ID, 403, 'handoff_forbidden' ),
			'administrator' => array( $this->create_user( 'administrator' )->ID, 403, 'handoff_forbidden' ),
		);
		foreach ( $requests as $what => $request ) {
			foreach ( $callers as $who => list( $user_id, $status, $code ) ) {
				wp_set_current_user( $user_id );
				$response = $this->send( ...$request );
				$this->assertSame( $status, $response->get_status(), "{$what} by {$who}." );
				$this->assertSame( $code, $this->rest_data( $response )['code'], "{$what} by {$who}." );
			}
		}
		$this->assertNull( ( new Menu_Profile_Store() )->current(), 'Nothing was stored.' );

		wp_set_current_user( $bridge->ID );
		$this->assertSame( 200, $this->send( 'GET', self::ROUTE )->get_status() );
		$this->assertSame( 200, $this->send( 'PUT', self::ROUTE, self::put_body( self::profile(), 0 ) )->get_status() );
		$this->assertSame( 404, $this->send( 'POST', self::ROUTE . '/rollback', '{"to_version": 0, "replaces_version": 1}' )->get_status(), 'No history yet.' );
		$this->assertSame( 200, $this->send( 'DELETE', self::ROUTE, null, array( 'replaces_version' => '1' ) )->get_status() );
	}

	/**
	 * GET with no profile: version 0 and `{}` (an object in JSON), then the stored one.
	 */
	public function test_get(): void {
		wp_set_current_user( $this->connect_bridge()['user']->ID );

		$response = $this->send( 'GET', self::ROUTE );
		$this->assertSame( '{"version":0,"hash":"","profile":{},"applied_at":0,"applied_by":"","safe_mode":false,"history":[]}', wp_json_encode( $this->rest_data( $response ) ) );

		$this->send( 'PUT', self::ROUTE, self::put_body( self::profile(), 0 ) );
		$answer = $this->rest_data( $this->send( 'GET', self::ROUTE ) );
		$this->assertSame( 1, $answer['version'] );
		$this->assertSame( wp_get_current_user()->user_login, $answer['applied_by'] );
		$this->assertSame( Menu_Profile_Store::hash( json_decode( wp_json_encode( self::profile() ) ) ), $answer['hash'] );
		$this->assertStringContainsString( '"admin_bar":{},"custom_links":[]', wp_json_encode( $answer['profile'] ), '{} and [] come back as sent.' );
		$this->assert_no_null( $answer );
	}

	/**
	 * PUT stores the profile and answers version, hash and warnings.
	 */
	public function test_put(): void {
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$profile = self::profile();

		$response = $this->send( 'PUT', self::ROUTE, self::put_body( $profile, 0 ) );
		$this->assertSame( 200, $response->get_status() );
		$data = $this->rest_data( $response );
		$this->assertIsArray( $data['enforcement']['items'] ?? null, 'The enforcement report (MenuEnforcementReportTest).' );
		unset( $data['enforcement'] );
		$this->assertSame(
			array(
				'version'  => 1,
				'hash'     => Menu_Profile_Store::hash( json_decode( wp_json_encode( $profile ) ) ),
				'warnings' => array(),
			),
			$data
		);

		$profile['custom_links'] = array(
			array(
				'label' => 'Help',
				'url'   => '/help/',
				'after' => 'tools.php',
			),
		);
		$answer                  = $this->rest_data( $this->send( 'PUT', self::ROUTE, self::put_body( $profile, 1 ) ) );
		$this->assertSame( 2, $answer['version'] );
		$this->assertSame( 'custom_links/0/after', $answer['warnings'][0]['path'] );

		$text = (string) wp_json_encode( self::profile( 'As text' ) );
		$this->assertSame( 3, $this->rest_data( $this->send( 'PUT', self::ROUTE, (string) wp_json_encode( array( 'profile' => $text, 'replaces_version' => 2 ) ) ) )['version'], 'The profile may come as JSON text too.' );
	}

	/**
	 * The error bodies: 400 with `errors`, 409 with `current_version`, 413, 404.
	 */
	public function test_error_bodies(): void {
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$this->send( 'PUT', self::ROUTE, self::put_body( self::profile(), 0 ) );

		$cases = array(
			'not JSON'           => array( '{"profile": {', '', 'the body is not valid JSON' ),
			'not an object'      => array( '[1, 2]', '', 'must be a JSON object' ),
			'no fields'          => array( '{}', 'profile', 'is required' ),
			'no version'         => array( (string) wp_json_encode( array( 'profile' => self::profile() ) ), 'replaces_version', 'is required' ),
			'profile a list'     => array( '{"profile": [], "replaces_version": 1}', 'profile', 'must be a JSON object' ),
			'a bad state'        => array( self::put_body( array_merge( self::profile(), array( 'menu' => array( array( 'slug' => 'x', 'state' => 'gone' ) ) ) ), 1 ), 'menu/0/state', 'one of' ),
			'a javascript: link' => array( self::put_body( array_merge( self::profile(), array( 'custom_links' => array( array( 'label' => 'x', 'url' => 'javascript:alert(1)' ) ) ) ), 1 ), 'custom_links/0/url', 'javascript' ),
		);
		foreach ( $cases as $what => list( $body, $path, $message ) ) {
			$data = $this->rest_data( $this->send( 'PUT', self::ROUTE, $body ) );
			$this->assertSame( 'handoff_invalid_profile', $data['code'], $what );
			$this->assertSame( 400, $data['data']['status'], $what );
			$this->assertSame( $path, $data['data']['errors'][0]['path'], $what );
			$this->assertStringContainsString( $message, $data['data']['errors'][0]['message'], $what );
		}

		$conflict = $this->rest_data( $this->send( 'PUT', self::ROUTE, self::put_body( self::profile( 'Late' ), 0 ) ) );
		$this->assertSame( 'handoff_version_conflict', $conflict['code'] );
		$this->assertSame(
			array(
				'status'           => 409,
				'current_version'  => 1,
				'replaces_version' => 0,
			),
			$conflict['data']
		);

		$big         = self::profile();
		$big['menu'] = array_fill(
			0,
			400,
			array(
				'slug'  => str_repeat( 'x', 190 ),
				'state' => 'hidden',
			)
		);
		$too_large   = $this->send( 'PUT', self::ROUTE, self::put_body( $big, 1 ) );
		$this->assertSame( 413, $too_large->get_status() );
		$this->assertSame( 'handoff_profile_too_large', $this->rest_data( $too_large )['code'] );

		$missing = $this->send( 'POST', self::ROUTE . '/rollback', '{"to_version": 7, "replaces_version": 1}' );
		$this->assertSame( 404, $missing->get_status() );
		$this->assertSame( 'handoff_no_such_version', $this->rest_data( $missing )['code'] );

		$this->assertSame( 400, $this->send( 'DELETE', self::ROUTE )->get_status(), 'DELETE names the version it replaces.' );
		$this->assertSame( 409, $this->send( 'DELETE', self::ROUTE, null, array( 'replaces_version' => '0' ) )->get_status() );
		$this->assertSame( 'Editors', ( new Menu_Profile_Store() )->current()['profile']->name, 'Nothing changed.' );
	}

	/**
	 * PUT and DELETE sent as POST with X-HTTP-Method-Override (as the backend sends them,
	 * for hosts that refuse PUT and DELETE), then a rollback.
	 */
	public function test_method_override_and_rollback(): void {
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$put = new WP_REST_Request( 'POST', self::ROUTE );
		$put->set_header( 'X-HTTP-Method-Override', 'PUT' );
		$put->set_header( 'Content-Type', 'application/json' );
		$put->set_body( self::put_body( self::profile(), 0 ) );
		$put->set_method( 'PUT' ); // What WP_REST_Server::serve_request() does with the header.
		$this->assertSame( 1, $this->rest_data( rest_do_request( $put ) )['version'] );

		$delete = new WP_REST_Request( 'DELETE', self::ROUTE );
		$delete->set_header( 'Content-Type', 'application/json' );
		$delete->set_body( '{"replaces_version": 1}' );
		$this->assertSame(
			array(
				'version'         => 2,
				'hash'            => '',
				'deleted_version' => 1,
			),
			$this->rest_data( rest_do_request( $delete ) )
		);

		$rolled = $this->rest_data( $this->send( 'POST', self::ROUTE . '/rollback', '{"to_version": 0, "replaces_version": 2}' ) );
		$this->assertSame( 3, $rolled['version'] );
		$this->assertSame( 1, $rolled['restored_version'] );
	}

	/**
	 * The XML-RPC methods: the same services, the profile sent as JSON text, faults with
	 * the HTTP status as code and the error code as prefix.
	 */
	public function test_xmlrpc_methods(): void {
		$connection = $this->connect_bridge();
		$login      = $connection['login'];
		$password   = $connection['password'];
		$server     = $GLOBALS['wp_xmlrpc_server'];
		foreach ( array( 'get', 'put', 'rollback', 'delete' ) as $name ) {
			$this->assertSame( array( Xmlrpc_Methods::class, 'menu_profile_' . $name ), $server->methods[ 'handoff.menuProfile.' . $name ] );
		}

		$empty = $server->call( 'handoff.menuProfile.get', array( $login, $password ) );
		$this->assertSame( 0, $empty['version'] );
		$this->assertStringContainsString( '<name>profile</name><value><struct></struct></value>', self::xml( $empty ), '{} is a struct, not an array.' );

		$put = $server->call( 'handoff.menuProfile.put', array( $login, $password, wp_json_encode( self::profile() ), 0 ) );
		$this->assertSame( 1, $put['version'] );
		$this->assertSame( array(), $put['warnings'] );
		$got = $server->call( 'handoff.menuProfile.get', array( $login, $password ) );
		$xml = self::xml( $got );
		$this->assertStringContainsString( '<name>admin_bar</name><value><struct></struct></value>', $xml );
		$this->assertStringContainsString( '<name>custom_links</name><value><array><data></data></array></value>', $xml );

		$invalid = $server->call( 'handoff.menuProfile.put', array( $login, $password, wp_json_encode( array_merge( self::profile(), array( 'name' => '<b>x</b>', 'extra' => 1 ) ) ), 1 ) );
		$this->assertInstanceOf( IXR_Error::class, $invalid );
		$this->assertSame( 400, $invalid->code );
		$this->assertSame( 'handoff_invalid_profile: name: must not contain < or >; extra: is not an allowed key here', htmlspecialchars_decode( $invalid->message ), 'As the client reads it (IXR_Error escapes it for the XML).' );

		$conflict = $server->call( 'handoff.menuProfile.put', array( $login, $password, wp_json_encode( self::profile() ), 0 ) );
		$this->assertSame( 409, $conflict->code );
		$this->assertStringStartsWith( 'handoff_version_conflict: The menu profile on the site is version 1, not 0', $conflict->message );

		$struct = $server->call( 'handoff.menuProfile.put', array( $login, $password, array( 'name' => 'x' ), 1 ) );
		$this->assertSame( 400, $struct->code );
		$this->assertStringStartsWith( 'handoff_invalid_profile: profile: must be JSON text', $struct->message );

		$this->assertSame( 413, $server->call( 'handoff.menuProfile.put', array( $login, $password, str_repeat( ' ', 70000 ) . wp_json_encode( array_merge( self::profile(), array( 'description' => str_repeat( 'x', 70000 ) ) ) ), 1 ) )->code );
		$this->assertStringStartsWith( 'handoff_no_such_version: ', $server->call( 'handoff.menuProfile.rollback', array( $login, $password, 5, 1 ) )->message );

		$this->assertSame( 2, $server->call( 'handoff.menuProfile.put', array( $login, $password, wp_json_encode( self::profile( 'Two' ) ), '1' ) )['version'] );
		$this->assertSame( 3, $server->call( 'handoff.menuProfile.rollback', array( $login, $password, 0, 2 ) )['version'] );
		$this->assertSame( 4, $server->call( 'handoff.menuProfile.delete', array( $login, $password, 3 ) )['version'] );
	}

	/**
	 * XML-RPC callers without access: WordPress's 403 for a wrong password, the
	 * protocol's `handoff_forbidden` for a user without the capability.
	 */
	public function test_xmlrpc_by_role(): void {
		$this->connect_bridge();
		$editor = $this->create_user( 'editor' );
		wp_set_password( 'editor-password', $editor->ID );
		foreach ( array( 'get' => array(), 'put' => array( '{}', 0 ), 'rollback' => array( 0, 0 ), 'delete' => array( 0 ) ) as $name => $more ) {
			$wrong = $this->new_xmlrpc_server()->call( 'handoff.menuProfile.' . $name, array_merge( array( 'nobody', 'wrong' ), $more ) );
			$this->assertSame( 403, $wrong->code, $name );

			wp_set_current_user( 0 );
			$forbidden = $this->new_xmlrpc_server()->call( 'handoff.menuProfile.' . $name, array_merge( array( $editor->user_login, 'editor-password' ), $more ) );
			$this->assertSame( 403, $forbidden->code, $name );
			$this->assertStringStartsWith( 'handoff_forbidden:', $forbidden->message, $name );
		}
		$this->assertNull( ( new Menu_Profile_Store() )->current() );
	}
}
