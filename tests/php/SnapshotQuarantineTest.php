<?php
/**
 * Tests of what other plugins' code can do while the menu snapshot runs it.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Admin_Menu_Snapshot;
use Handoff\Companion\Capture_Quarantine;
use Handoff\Companion\Input_Allowlist;
use Handoff\Companion\Xmlrpc_Methods;

/**
 * The snapshot fires every plugin's `admin_menu` callbacks for a user holding every
 * capability. A plugin that saves its settings there from the request (the fixture
 * tests/php/fixtures/unsafe-settings-plugin.php) must see no input and write nothing, and
 * the three doors that run the snapshot refuse requests carrying input the bridge never
 * sends. wp-admin/menu.php runs only once per process: each test runs in its own.
 *
 * @runTestsInSeparateProcesses
 * @preserveGlobalState disabled
 */
class SnapshotQuarantineTest extends Handoff_Test_Case {

	/**
	 * What the bridge must never be able to set.
	 */
	private const ATTACK = array(
		'default_role'       => 'administrator',
		'users_can_register' => '1',
	);

	/**
	 * Loads the fixture plugin (its hooks are undone by the test case's tearDown).
	 */
	private function load_unsafe_plugin(): void {
		require __DIR__ . '/fixtures/unsafe-settings-plugin.php';
		unset( $GLOBALS['handoff_unsafe_settings_report'] );
	}

	/**
	 * What the fixture plugin reported, by hook.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	private function unsafe_plugin_report(): array {
		return (array) ( $GLOBALS['handoff_unsafe_settings_report'] ?? array() );
	}

	/**
	 * Fills every kind of request input with the attack, as a hostile POST would.
	 */
	private function hostile_request(): void {
		$_SERVER['REQUEST_METHOD']       = 'POST';
		$_SERVER['QUERY_STRING']         = 'default_role=administrator';
		$_SERVER['HTTP_X_DEFAULT_ROLE']  = 'administrator';
		$_GET                            = wp_slash( self::ATTACK );
		$_POST                           = wp_slash( self::ATTACK );
		$_REQUEST                        = wp_slash( self::ATTACK );
		$_COOKIE                         = wp_slash( self::ATTACK );
		$_FILES                          = array(
			'default_role' => array(
				'name'     => 'administrator',
				'type'     => 'text/plain',
				'tmp_name' => '/tmp/none',
				'error'    => 0,
				'size'     => 1,
			),
		);
		$GLOBALS['HTTP_RAW_POST_DATA'] = http_build_query( self::ATTACK );
	}

	/**
	 * The settings the attack aims at, read from the database itself.
	 *
	 * @return array<string, string>
	 */
	private static function attacked_settings(): array {
		global $wpdb;
		$values = array();
		foreach ( array_keys( self::ATTACK ) as $name ) {
			// phpcs:ignore WordPress.DB -- the test reads the row, not the cache.
			$values[ $name ] = (string) $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", $name ) );
		}
		return $values;
	}

	/**
	 * The slugs of a menu item's children.
	 *
	 * @param array<string, mixed> $menu The snapshot.
	 * @param string               $slug The top-level item.
	 * @return string[]
	 */
	private static function children( array $menu, string $slug ): array {
		foreach ( $menu['full'] as $item ) {
			if ( $slug === $item['slug'] ) {
				return array_column( $item['children'], 'slug' );
			}
		}
		return array();
	}

	/**
	 * Size of the sandbox's mail log (the sandbox writes mail there instead of sending it).
	 */
	private static function mail_log_size(): int {
		$file = WP_CONTENT_DIR . '/sandbox-mail.log';
		clearstatcache( true, $file );
		return is_file( $file ) ? (int) filesize( $file ) : 0;
	}

	/**
	 * The takeover of the finding: a plugin saving settings from the request in admin_menu,
	 * behind current_user_can( 'manage_options' ), saves nothing, whatever the request holds.
	 */
	public function test_the_unsafe_plugin_saves_nothing_from_the_request(): void {
		$this->load_unsafe_plugin();
		$this->hostile_request();
		$settings = self::attacked_settings();
		$before   = $this->site_state();

		$menu = ( new Admin_Menu_Snapshot() )->take();

		$this->assertSame( $settings, self::attacked_settings() );
		$this->assertSame( $before, $this->site_state(), 'Nothing was written to users, user meta or options.' );
		$this->assertNotSame( 'administrator', get_option( 'default_role' ) );
		$report = $this->unsafe_plugin_report()['admin_menu'];
		$this->assertTrue( $report['can_manage_options'], 'The fixture ran with the capture user\'s capabilities.' );
		$this->assertSame( 'GET', $report['request_method'] );
		foreach ( $report['input'] as $source => $keys ) {
			$this->assertSame( array(), $keys, "The fixture saw no input in {$source}." );
		}
		$this->assertSame( array(), $report['saved'] );
		$this->assertContains( 'handoff-unsafe-settings', self::children( $menu, 'options-general.php' ), 'The fixture\'s own menu item is in the snapshot.' );
	}

	/**
	 * Writes, outgoing HTTP, mail and redirects fail inside the capture, each named in a warning.
	 */
	public function test_writes_http_mail_and_redirects_are_blocked_and_reported(): void {
		$this->load_unsafe_plugin();
		$mail_log = self::mail_log_size();
		$before   = $this->site_state();

		$menu = ( new Admin_Menu_Snapshot() )->take();

		$report = $this->unsafe_plugin_report()['admin_menu'];
		$this->assertFalse( $report['update_option'] );
		$this->assertFalse( $report['query'] );
		$this->assertSame( 'error: ' . Capture_Quarantine::BLOCKED, $report['http'] );
		$this->assertFalse( $report['mail'] );
		$this->assertFalse( $report['redirect'] );
		$this->assertSame( $mail_log, self::mail_log_size(), 'No mail reached the site\'s mail handler.' );
		$this->assertSame( $before, $this->site_state() );
		$this->assertFalse( get_option( 'handoff_unsafe_settings_marker' ) );
		$this->assertContains( 'A database write was blocked while the menu was built (UPDATE).', $menu['warnings'] );
		$this->assertContains( 'An outgoing HTTP request was blocked while the menu was built (127.0.0.1).', $menu['warnings'] );
		$this->assertContains( 'An email was blocked while the menu was built.', $menu['warnings'] );
		$this->assertContains( 'A redirect was blocked while the menu was built.', $menu['warnings'] );
		$this->assertSame( $menu['warnings'], array_values( array_unique( $menu['warnings'] ) ), 'Each warning once.' );
	}

	/**
	 * Request input, the php stream wrapper and the hooks are as they were afterwards, and
	 * the database takes writes again.
	 */
	public function test_request_input_and_hooks_are_restored_afterwards(): void {
		$this->load_unsafe_plugin();
		$this->hostile_request();
		$server = $_SERVER;
		$files  = $_FILES;
		$hooks  = self::quarantined_hooks();

		( new Admin_Menu_Snapshot() )->take();

		$this->assertSame( wp_slash( self::ATTACK ), $_GET );
		$this->assertSame( wp_slash( self::ATTACK ), $_POST );
		$this->assertSame( wp_slash( self::ATTACK ), $_REQUEST );
		$this->assertSame( wp_slash( self::ATTACK ), $_COOKIE );
		$this->assertSame( $files, $_FILES );
		$this->assertSame( $server, $_SERVER );
		$this->assertSame( http_build_query( self::ATTACK ), $GLOBALS['HTTP_RAW_POST_DATA'] );
		$this->assert_php_streams_are_php_s_own();
		$this->assertEquals( $hooks, self::quarantined_hooks() );
		$this->assertTrue( update_option( 'handoff_test_after_capture', 'written' ), 'Writes work again.' );
	}

	/**
	 * Every hook the quarantine touches, as a comparable value.
	 *
	 * @return array<string, mixed>
	 */
	private static function quarantined_hooks(): array {
		$hooks = array();
		foreach ( array( 'query', 'pre_http_request', 'pre_wp_mail', 'wp_redirect' ) as $name ) {
			$hooks[ $name ] = isset( $GLOBALS['wp_filter'][ $name ] ) ? $GLOBALS['wp_filter'][ $name ]->callbacks : null;
		}
		return $hooks;
	}

	/**
	 * Asserts that php:// URLs are opened by PHP's own wrapper.
	 */
	private function assert_php_streams_are_php_s_own(): void {
		$handle = fopen( 'php://memory', 'rb' ); // phpcs:ignore WordPress.WP.AlternativeFunctions
		$this->assertSame( 'PHP', stream_get_meta_data( $handle )['wrapper_type'] );
		fclose( $handle ); // phpcs:ignore WordPress.WP.AlternativeFunctions
	}

	/**
	 * Ways a plugin's menu code fails: the capture stops, and still restores everything.
	 *
	 * @return array<string, array{0: string}>
	 */
	public function failures(): array {
		return array(
			'an exception' => array( 'throw' ),
			'wp_die()'     => array( 'wp_die' ),
		);
	}

	/**
	 * A plugin that throws or calls wp_die() mid-capture does not leave the quarantine on.
	 *
	 * @dataProvider failures
	 *
	 * @param string $failure How the menu code fails.
	 */
	public function test_everything_is_restored_when_a_plugin_fails( string $failure ): void {
		$this->hostile_request();
		$hooks = self::quarantined_hooks();
		add_action(
			'admin_menu',
			static function () use ( $failure ) {
				if ( 'wp_die' === $failure ) {
					wp_die( 'Stopped.' );
				}
				throw new RuntimeException( 'Menu code failed.' );
			},
			1
		);

		$menu = ( new Admin_Menu_Snapshot() )->take();

		$this->assertStringStartsWith( 'Building the admin menu stopped early:', $menu['warnings'][0] );
		$this->assertSame( wp_slash( self::ATTACK ), $_POST );
		$this->assertSame( 'POST', $_SERVER['REQUEST_METHOD'] );
		$this->assert_php_streams_are_php_s_own();
		$this->assertEquals( $hooks, self::quarantined_hooks() );
		$this->assertSame( 10, has_filter( 'pre_wp_mail', 'Handoff\\SandboxExtras\\log_mail' ), 'The site\'s own mail handler is back.' );
		$this->assertTrue( update_option( 'handoff_test_after_capture', 'written' ) );
	}

	/**
	 * While capturing, php://input reads empty (also through php://filter) and the other
	 * php:// streams work as usual.
	 */
	public function test_php_input_is_empty_and_other_php_streams_work_while_capturing(): void {
		$seen = array();
		add_action(
			'admin_menu',
			static function () use ( &$seen ) {
				// phpcs:disable WordPress.WP.AlternativeFunctions -- the streams under test.
				$input                 = fopen( 'php://input', 'rb' );
				$seen['input_wrapper'] = stream_get_meta_data( $input )['wrapper_type'];
				$seen['input']         = stream_get_contents( $input );
				fclose( $input );
				$seen['filtered']  = file_get_contents( 'php://filter/read=string.rot13/resource=php://input' );
				$seen['uppercase'] = file_get_contents( 'PHP://INPUT' );
				$seen['stdin']     = file_get_contents( 'php://stdin' );
				$memory            = fopen( 'php://memory', 'w+b' );
				fwrite( $memory, 'kept' );
				rewind( $memory );
				$seen['memory'] = fread( $memory, 10 );
				fclose( $memory );
				$temp = fopen( 'php://temp', 'w+b' );
				fwrite( $temp, 'abcdef' );
				fseek( $temp, 2 );
				$seen['temp'] = array( ftell( $temp ), stream_get_contents( $temp ), fstat( $temp )['size'] );
				fclose( $temp );
				ob_start();
				file_put_contents( 'php://output', 'echoed' );
				$seen['output'] = ob_get_clean();
				$seen['exists'] = file_exists( 'php://memory' );
				// phpcs:enable
			},
			1
		);

		$menu = ( new Admin_Menu_Snapshot() )->take();

		$this->assertSame(
			array(
				'input_wrapper' => 'user-space',
				'input'         => '',
				'filtered'      => '',
				'uppercase'     => '',
				'stdin'         => '',
				'memory'        => 'kept',
				'temp'          => array( 2, 'cdef', 6 ),
				'output'        => 'echoed',
				'exists'        => false,
			),
			$seen
		);
		$this->assertSame( array(), $menu['warnings'] );
		$this->assert_php_streams_are_php_s_own();
	}

	/**
	 * Menu code that gives PHP its php:// wrapper back itself does not make leaving fail.
	 */
	public function test_a_plugin_restoring_the_php_wrapper_itself_breaks_nothing(): void {
		add_action(
			'admin_menu',
			static function () {
				stream_wrapper_restore( 'php' );
			},
			1
		);

		$menu = ( new Admin_Menu_Snapshot() )->take();

		$this->assertSame( array(), $menu['warnings'] );
		$this->assert_php_streams_are_php_s_own();
	}

	/**
	 * Plugins still read the database while the menu is built.
	 */
	public function test_reads_work_while_capturing(): void {
		global $wpdb;
		$seen = array();
		add_action(
			'admin_menu',
			static function () use ( &$seen, $wpdb ) {
				// phpcs:disable WordPress.DB -- the statements under test.
				$seen['select']   = $wpdb->get_var( "SELECT option_value FROM {$wpdb->options} WHERE option_name = 'blogname'" );
				$seen['show']     = (bool) $wpdb->get_results( 'SHOW TABLES' );
				$seen['describe'] = (bool) $wpdb->get_results( "DESCRIBE {$wpdb->options}" );
				$seen['explain']  = (bool) $wpdb->get_results( "EXPLAIN SELECT * FROM {$wpdb->options}" );
				$seen['option']   = get_option( 'blogname' );
				// phpcs:enable
			},
			1
		);

		$menu = ( new Admin_Menu_Snapshot() )->take();

		$this->assertSame(
			array(
				'select'   => 'Sandbox Client Co.',
				'show'     => true,
				'describe' => true,
				'explain'  => true,
				'option'   => 'Sandbox Client Co.',
			),
			$seen
		);
		$this->assertSame( array(), $menu['warnings'] );
	}

	/**
	 * Statements and whether the quarantine lets them through.
	 *
	 * @return array<string, array{0: string, 1: string}>
	 */
	public function statements(): array {
		return array(
			'select'                 => array( 'SELECT 1', '' ),
			'lowercase select'       => array( "  select option_value from wp_options where option_name = 'update'", '' ),
			'parenthesised select'   => array( '(SELECT 1) UNION (SELECT 2)', '' ),
			'show'                   => array( 'SHOW TABLES', '' ),
			'describe'               => array( 'DESCRIBE wp_options', '' ),
			'desc'                   => array( 'DESC wp_options', '' ),
			'explain'                => array( 'EXPLAIN SELECT 1', '' ),
			'update'                 => array( "UPDATE wp_options SET option_value = 'administrator'", 'UPDATE' ),
			'insert'                 => array( 'INSERT INTO wp_options VALUES (1)', 'INSERT' ),
			'insert, lowercase'      => array( ' insert into wp_options values (1)', 'INSERT' ),
			'replace'                => array( 'REPLACE INTO wp_options VALUES (1)', 'REPLACE' ),
			'delete'                 => array( 'DELETE FROM wp_users', 'DELETE' ),
			'drop'                   => array( 'DROP TABLE wp_users', 'DROP' ),
			'alter'                  => array( 'ALTER TABLE wp_users ADD x INT', 'ALTER' ),
			'create'                 => array( 'CREATE TABLE x (a INT)', 'CREATE' ),
			'truncate'               => array( 'TRUNCATE wp_users', 'TRUNCATE' ),
			'set'                    => array( 'SET autocommit = 0', 'SET' ),
			'grant'                  => array( 'GRANT ALL ON *.* TO x', 'GRANT' ),
			'call'                   => array( 'CALL write_things()', 'CALL' ),
			'with'                   => array( 'WITH x AS (SELECT 1) UPDATE wp_users SET user_pass = 1', 'WITH' ),
			'comment first'          => array( '/* harmless */ UPDATE wp_users SET user_pass = 1', 'unrecognised' ),
			'select into outfile'    => array( "SELECT * FROM wp_users INTO OUTFILE '/tmp/users'", 'SELECT' ),
			'select into dumpfile'   => array( "SELECT user_pass FROM wp_users INTO DUMPFILE '/tmp/u'", 'SELECT' ),
			'explain analyze'        => array( 'EXPLAIN ANALYZE UPDATE wp_users SET user_pass = 1', 'EXPLAIN' ),
			'analyze (MariaDB)'      => array( 'ANALYZE UPDATE wp_users SET user_pass = 1', 'ANALYZE' ),
			'commit'                 => array( 'COMMIT', 'COMMIT' ),
			'start transaction'      => array( 'START TRANSACTION', 'START' ),
		);
	}

	/**
	 * Only statements that read pass the `query` filter; the others become '' (wpdb::query()
	 * then returns false without running anything) and are named in a warning.
	 *
	 * @dataProvider statements
	 *
	 * @param string $statement The statement.
	 * @param string $blocked   Its kind in the warning when blocked; '' when it passes.
	 */
	public function test_only_statements_that_read_reach_the_database( string $statement, string $blocked ): void {
		$quarantine = new Capture_Quarantine();
		$quarantine->enter();
		try {
			$filtered = apply_filters( 'query', $statement );
		} finally {
			$quarantine->leave();
		}

		$this->assertSame( '' === $blocked ? $statement : '', $filtered );
		$this->assertSame( '' === $blocked ? array() : array( "A database write was blocked while the menu was built ({$blocked})." ), $quarantine->warnings() );
		$this->assertSame( $statement, apply_filters( 'query', $statement ), 'Outside the quarantine the filter is gone.' );
	}

	/**
	 * A quarantine entered inside another one changes nothing, and leaving it does not end
	 * the outer one.
	 */
	public function test_a_nested_quarantine_leaves_the_outer_one_in_place(): void {
		$this->hostile_request();
		$outer = new Capture_Quarantine();
		$inner = new Capture_Quarantine();

		$outer->enter();
		$inner->enter();
		$inner->leave();
		$still_empty = $_POST;
		$still_wrapped = stream_get_meta_data( fopen( 'php://memory', 'rb' ) )['wrapper_type']; // phpcs:ignore WordPress.WP.AlternativeFunctions
		$still_blocked = apply_filters( 'query', 'DELETE FROM wp_users' );
		$outer->leave();

		$this->assertSame( array(), $still_empty );
		$this->assertSame( 'user-space', $still_wrapped );
		$this->assertSame( '', $still_blocked );
		$this->assertSame( wp_slash( self::ATTACK ), $_POST );
		$this->assert_php_streams_are_php_s_own();
	}

	/**
	 * The user the menu is built for is the first administrator account, as wp-admin sees
	 * it (its ID and roles), holding what some role holds and what that account holds, and
	 * nothing else.
	 */
	public function test_the_capture_user_holds_only_what_roles_hold(): void {
		add_role( 'handoff_test_special', 'Special', array( 'handoff_test_special_cap' => true ) );
		$seen = array();
		add_action(
			'admin_menu',
			static function () use ( &$seen ) {
				$user = wp_get_current_user();
				$seen = array(
					'id'          => $user->ID,
					'roles'       => $user->roles,
					'allcaps'     => array_keys( array_filter( $user->allcaps ) ),
					'manage'      => current_user_can( 'manage_options' ),
					'special'     => current_user_can( 'handoff_test_special_cap' ),
					'nobody_has'  => current_user_can( 'handoff_test_nobody_has' ),
				);
			},
			1
		);

		( new Admin_Menu_Snapshot() )->take();

		$admin = get_users(
			array(
				'role'    => 'administrator',
				'orderby' => 'ID',
				'number'  => 1,
			)
		)[0];
		$held  = array_merge( array( 'exist' ), array_keys( array_filter( $admin->allcaps ) ) );
		foreach ( wp_roles()->role_objects as $role ) {
			$held = array_merge( $held, array_keys( array_filter( $role->capabilities ) ) );
		}
		$this->assertSame( $admin->ID, $seen['id'] );
		$this->assertSame( array( 'administrator' ), $seen['roles'] );
		$this->assertSame( array(), array_diff( $seen['allcaps'], $held ), 'No capability beyond what roles hold.' );
		$this->assertTrue( $seen['manage'] );
		$this->assertTrue( $seen['special'] );
		$this->assertFalse( $seen['nobody_has'] );
	}

	/**
	 * On a site without an administrator role the capture user claims no role.
	 */
	public function test_without_an_administrator_role_the_capture_user_claims_none(): void {
		remove_role( 'administrator' );
		$seen = array();
		add_action(
			'admin_menu',
			static function () use ( &$seen ) {
				$user = wp_get_current_user();
				$seen = array( $user->roles, array_key_exists( 'administrator', $user->allcaps ), current_user_can( 'administrator' ) );
			},
			1
		);

		( new Admin_Menu_Snapshot() )->take();

		$this->assertSame( array( array(), false, false ), $seen );
	}

	/**
	 * Input the REST inventory must refuse, and what the answer names.
	 *
	 * @return array<string, array{0: string, 1: string[]}>
	 */
	public function hostile_rest_requests(): array {
		return array(
			'a query parameter of the request' => array( 'query', array( 'GET default_role' ) ),
			'a form field of the request'      => array( 'form', array( 'POST users_can_register' ) ),
			'a body'                           => array( 'body', array( 'body' ) ),
			'$_GET'                            => array( '_GET', array( 'GET default_role' ) ),
			'$_POST'                           => array( '_POST', array( 'POST default_role' ) ),
			'$_FILES'                          => array( '_FILES', array( 'FILES upload' ) ),
		);
	}

	/**
	 * GET /inventory refuses, before building anything, a request carrying input beyond
	 * `rest_route`: 400 `handoff_unexpected_input` naming it, and no plugin's menu code ran.
	 *
	 * @dataProvider hostile_rest_requests
	 *
	 * @param string   $hostile    Where the input is.
	 * @param string[] $unexpected What the answer names.
	 */
	public function test_the_rest_inventory_refuses_unexpected_input( string $hostile, array $unexpected ): void {
		$this->load_unsafe_plugin();
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$request = new WP_REST_Request( 'GET', '/handoff/v1/inventory' );
		switch ( $hostile ) {
			case 'query':
				$request->set_query_params( array( 'default_role' => 'administrator' ) );
				break;
			case 'form':
				$request->set_body_params( array( 'users_can_register' => '1' ) );
				break;
			case 'body':
				$request->set_body( 'default_role=administrator' );
				break;
			case '_GET':
				$_GET = array(
					'rest_route'   => '/handoff/v1/inventory',
					'default_role' => 'administrator',
				);
				break;
			case '_POST':
				$_POST = array( 'default_role' => 'administrator' );
				break;
			default:
				$_FILES = array( 'upload' => array( 'name' => 'x' ) );
		}

		$response = rest_do_request( $request );

		$data = $this->rest_data( $response );
		$this->assertSame( 400, $response->get_status(), wp_json_encode( $data ) );
		$this->assertSame( Input_Allowlist::ERROR_CODE, $data['code'] );
		$this->assertSame( $unexpected, $data['data']['unexpected'] );
		$this->assertSame( array(), $this->unsafe_plugin_report(), 'No plugin\'s menu code ran.' );
	}

	/**
	 * A clean REST request (with `rest_route`, as plain permalinks send it) gets the inventory,
	 * with the fixture's menu item, and changes nothing.
	 */
	public function test_the_rest_inventory_answers_a_clean_request(): void {
		$this->load_unsafe_plugin();
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$_GET     = array( 'rest_route' => '/handoff/v1/inventory' );
		$settings = self::attacked_settings();
		$request  = new WP_REST_Request( 'GET', '/handoff/v1/inventory' );
		$request->set_query_params( $_GET );

		$response = rest_do_request( $request );

		$this->assertSame( 200, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$this->assertContains( 'handoff-unsafe-settings', self::children( $response->get_data()['admin_menu'], 'options-general.php' ) );
		$this->assertSame( $settings, self::attacked_settings() );
	}

	/**
	 * Input handoff.inventory must refuse: a form-encoded XML-RPC body puts fields into
	 * $_POST (a CDATA section can carry `&default_role=administrator&`).
	 *
	 * @return array<string, array{0: string, 1: string}>
	 */
	public function hostile_xmlrpc_requests(): array {
		return array(
			'$_GET'   => array( '_GET', 'GET default_role' ),
			'$_POST'  => array( '_POST', 'POST default_role' ),
			'$_FILES' => array( '_FILES', 'FILES default_role' ),
		);
	}

	/**
	 * handoff.inventory refuses, before building anything, a request carrying input: a 400
	 * fault `handoff_unexpected_input` naming it.
	 *
	 * @dataProvider hostile_xmlrpc_requests
	 *
	 * @param string $superglobal Where the input is.
	 * @param string $unexpected  What the fault names.
	 */
	public function test_the_xmlrpc_inventory_refuses_unexpected_input( string $superglobal, string $unexpected ): void {
		$this->load_unsafe_plugin();
		$connection = $this->connect_bridge();
		$this->start_xmlrpc();
		switch ( $superglobal ) {
			case '_GET':
				$_GET = array( 'default_role' => 'administrator' );
				break;
			case '_POST':
				$_POST = array( 'default_role' => 'administrator' );
				break;
			default:
				$_FILES = array( 'default_role' => array( 'name' => 'administrator' ) );
		}

		$result = Xmlrpc_Methods::inventory( array( $connection['login'], $connection['password'] ) );

		$this->assert_fault( $result, 400, Input_Allowlist::ERROR_CODE . ': ' );
		$this->assertStringContainsString( $unexpected, $result->message );
		$this->assertSame( array(), $this->unsafe_plugin_report(), 'No plugin\'s menu code ran.' );
	}

	/**
	 * A clean XML-RPC request gets the inventory, and changes nothing.
	 */
	public function test_the_xmlrpc_inventory_answers_a_clean_request(): void {
		$this->load_unsafe_plugin();
		$connection = $this->connect_bridge();
		$this->start_xmlrpc();
		$settings = self::attacked_settings();

		$inventory = Xmlrpc_Methods::inventory( array( $connection['login'], $connection['password'] ) );

		$this->assertIsArray( $inventory );
		$this->assertContains( 'handoff-unsafe-settings', self::children( $inventory['admin_menu'], 'options-general.php' ) );
		$this->assertSame( $settings, self::attacked_settings() );
		$this->assertTrue( $this->unsafe_plugin_report()['admin_menu']['can_manage_options'] );
	}
}
