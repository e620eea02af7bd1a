<?php
/**
 * Tests of the XML-RPC methods handoff.status and handoff.inventory.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Capabilities;
use Handoff\Companion\Xmlrpc_Methods;

/**
 * The methods, called in this process through WordPress's own XML-RPC server.
 */
class XmlrpcMethodsTest extends Handoff_Test_Case {

	/**
	 * Loads WordPress's XML-RPC server, as xmlrpc.php does, and accepts Application Passwords
	 * (WordPress does in an XML-RPC request).
	 */
	protected function setUp(): void {
		parent::setUp();
		$this->start_xmlrpc();
	}



	/**
	 * Both methods are registered with WordPress's server.
	 */
	public function test_the_methods_are_registered(): void {
		$methods = $GLOBALS['wp_xmlrpc_server']->methods;
		$this->assertSame( array( Xmlrpc_Methods::class, 'status' ), $methods['handoff.status'] );
		$this->assertSame( array( Xmlrpc_Methods::class, 'inventory' ), $methods['handoff.inventory'] );
		$this->assertArrayHasKey( 'wp.getUsersBlogs', $methods, 'Core\'s methods are kept.' );
	}

	/**
	 * register() copes with whatever another plugin left in the filter.
	 */
	public function test_register_accepts_an_empty_list(): void {
		$methods = Xmlrpc_Methods::register( null );
		$this->assertSame( array( Xmlrpc_Methods::class, 'status' ), $methods['handoff.status'] );
		$this->assertSame( array( Xmlrpc_Methods::class, 'inventory' ), $methods['handoff.inventory'] );
		$this->assertSame( array(), preg_grep( '/^handoff\./', array_keys( $methods ), PREG_GREP_INVERT ), 'Only the plugin\'s own methods.' );
	}

	/**
	 * The bridge user gets the status struct, marked as coming through XML-RPC.
	 */
	public function test_the_bridge_user_gets_the_status(): void {
		$connection = $this->connect_bridge();

		$status = Xmlrpc_Methods::status( array( $connection['login'], $connection['password'] ) );

		$this->assertIsArray( $status );
		$this->assertSame( 'xmlrpc', $status['transport'] );
		$this->assertSame(
			array(
				'id'    => $connection['user']->ID,
				'login' => $connection['login'],
			),
			$status['user']
		);
		$this->assertSame( HANDOFF_COMPANION_VERSION, $status['plugin_version'] );
		$this->assert_no_null( $status );
	}

	/**
	 * Called as a client calls it: through the server's dispatch, with two parameters.
	 */
	public function test_the_status_through_the_server_dispatch(): void {
		$connection = $this->connect_bridge();
		$status     = $GLOBALS['wp_xmlrpc_server']->call( 'handoff.status', array( $connection['login'], $connection['password'] ) );
		$this->assertIsArray( $status );
		$this->assertSame( 'xmlrpc', $status['transport'] );

		// The answer serializes to XML-RPC and reads back the same.
		$value   = new IXR_Value( $status );
		$message = new IXR_Message( '<?xml version="1.0"?><methodResponse><params><param><value>' . $value->getXml() . '</value></param></params></methodResponse>' );
		$this->assertTrue( $message->parse() );
		$this->assertSame( $status, $message->params[0] );
	}

	/**
	 * The Application Password shown with spaces (as WordPress displays it) works too.
	 */
	public function test_the_password_with_spaces_works(): void {
		$connection = $this->connect_bridge();
		$spaced     = implode( ' ', str_split( $connection['password'], 4 ) );
		$this->assertIsArray( Xmlrpc_Methods::status( array( $connection['login'], $spaced ) ) );
	}

	/**
	 * A wrong password: WordPress's 403 fault, nobody signed in.
	 */
	public function test_a_wrong_password_is_a_403_fault(): void {
		$connection = $this->connect_bridge();
		$wrong      = strrev( $connection['password'] );

		$this->assert_fault( Xmlrpc_Methods::status( array( $connection['login'], $wrong ) ), 403, 'Incorrect username or password.' );
		$this->assertSame( 0, get_current_user_id() );
	}

	/**
	 * An unknown user: the same 403 fault.
	 */
	public function test_an_unknown_user_is_a_403_fault(): void {
		$this->assert_fault( Xmlrpc_Methods::status( array( 'nobody-here', 'abcdefghijklmnopqrstuvwx' ) ), 403, 'Incorrect username or password.' );
	}

	/**
	 * A revoked password (after rotation) no longer works.
	 */
	public function test_a_rotated_password_is_a_403_fault(): void {
		$old = $this->connect_bridge();
		$this->connect_bridge();
		$this->assert_fault( Xmlrpc_Methods::inventory( array( $old['login'], $old['password'] ) ), 403, 'Incorrect username or password.' );
	}

	/**
	 * An editor with a real Application Password signs in but may not use the bridge.
	 */
	public function test_an_editor_with_a_real_application_password_is_forbidden(): void {
		$editor  = $this->create_user( 'editor' );
		$created = WP_Application_Passwords::create_new_application_password( $editor->ID, array( 'name' => 'Some app' ) );

		foreach ( array( 'status', 'inventory' ) as $method ) {
			$this->new_xmlrpc_server();
			$result = Xmlrpc_Methods::$method( array( $editor->user_login, $created[0] ) );
			$this->assert_fault( $result, 403, 'handoff_forbidden: ' );
		}
	}

	/**
	 * An administrator with their login password is forbidden too.
	 */
	public function test_an_administrator_is_forbidden(): void {
		$this->create_user(
			'administrator',
			array(
				'user_login' => 'handoff-test-boss',
				'user_pass'  => 'correct horse battery staple',
			)
		);
		$this->assert_fault( Xmlrpc_Methods::status( array( 'handoff-test-boss', 'correct horse battery staple' ) ), 403, 'handoff_forbidden: ' );
	}

	/**
	 * With XML-RPC turned off (xmlrpc_enabled), WordPress's 405 fault.
	 */
	public function test_xmlrpc_turned_off_is_a_405_fault(): void {
		$connection = $this->connect_bridge();
		add_filter( 'xmlrpc_enabled', '__return_false' );
		$this->new_xmlrpc_server();
		$this->assert_fault( Xmlrpc_Methods::status( array( $connection['login'], $connection['password'] ) ), 405, 'XML-RPC services are disabled' );
	}

	/**
	 * Malformed parameters.
	 *
	 * @return array<string, array{0: mixed}>
	 */
	public function bad_parameters(): array {
		return array(
			'a string'              => array( 'handoff-bridge' ),
			'null'                  => array( null ),
			'an integer'            => array( 42 ),
			'no parameters'         => array( array() ),
			'login only'            => array( array( 'handoff-bridge' ) ),
			'integers'              => array( array( 1, 2 ) ),
			'integer password'      => array( array( 'handoff-bridge', 123456 ) ),
			'array password'        => array( array( 'handoff-bridge', array( 'x' ) ) ),
			'null login'            => array( array( null, 'abcdefghijklmnopqrstuvwx' ) ),
			'boolean login'         => array( array( true, 'abcdefghijklmnopqrstuvwx' ) ),
			'list in first place'   => array( array( array( 'handoff-bridge', 'x' ), 'y' ) ),
		);
	}

	/**
	 * Malformed parameters: a 400 fault, and no sign-in is even attempted.
	 *
	 * @dataProvider bad_parameters
	 *
	 * @param mixed $args The parameters.
	 */
	public function test_bad_parameters_are_a_400_fault( $args ): void {
		$this->connect_bridge();
		$attempts = did_action( 'wp_authenticate' );
		foreach ( array( 'status', 'inventory' ) as $method ) {
			$this->assert_fault( Xmlrpc_Methods::$method( $args ), 400, 'handoff_bad_request: ' );
		}
		$this->assertSame( $attempts, did_action( 'wp_authenticate' ), 'No sign-in was attempted.' );
		$this->assertSame( 0, get_current_user_id() );
	}

	/**
	 * One parameter through the server: IXR passes it unwrapped, still a 400 fault.
	 */
	public function test_a_single_parameter_through_the_dispatch_is_a_400_fault(): void {
		$this->assert_fault( $GLOBALS['wp_xmlrpc_server']->call( 'handoff.status', array( 'handoff-bridge' ) ), 400, 'handoff_bad_request: ' );
	}

	/**
	 * A struct instead of a list (one <struct> parameter): a clean 400 fault.
	 *
	 */
	public function test_a_struct_parameter_is_a_400_fault(): void {
		$this->assert_fault(
			Xmlrpc_Methods::status(
				array(
					'username' => 'handoff-bridge',
					'password' => 'abcdefghijklmnopqrstuvwx',
				)
			),
			400,
			'handoff_bad_request: '
		);
	}

	/**
	 * A bridge user moved to another role is forbidden.
	 */
	public function test_a_bridge_user_without_the_role_is_forbidden(): void {
		$connection = $this->connect_bridge();
		$connection['user']->set_role( 'subscriber' );
		$this->assert_fault( Xmlrpc_Methods::status( array( $connection['login'], $connection['password'] ) ), 403, 'handoff_forbidden: ' );
	}

	/**
	 * The bridge user gets the whole inventory, and it crosses XML-RPC unchanged.
	 *
	 * @runInSeparateProcess
	 * @preserveGlobalState disabled
	 */
	public function test_the_bridge_user_gets_the_inventory(): void {
		$connection = $this->connect_bridge();

		$inventory = $GLOBALS['wp_xmlrpc_server']->call( 'handoff.inventory', array( $connection['login'], $connection['password'] ) );

		$this->assertIsArray( $inventory );
		$this->assertSame( 1, $inventory['schema_version'] );
		$this->assert_no_null( $inventory );
		$this->assertContains( Capabilities::BRIDGE_ROLE, array_column( $inventory['roles'], 'name' ) );
		$this->assertNotEmpty( $inventory['admin_menu']['full'] );

		$value   = new IXR_Value( $inventory );
		$message = new IXR_Message( '<?xml version="1.0"?><methodResponse><params><param><value>' . $value->getXml() . '</value></param></params></methodResponse>' );
		$this->assertTrue( $message->parse() );
		$this->assertEquals( $inventory, $message->params[0] );
	}
}
