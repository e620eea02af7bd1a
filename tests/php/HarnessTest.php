<?php
/**
 * Tests of the test harness itself: the sandbox is the one run.sh started, writes are rolled
 * back, wp_die() is caught.
 *
 * @package Handoff\Companion\Tests
 */

/**
 * The harness the other tests rely on.
 */
class HarnessTest extends Handoff_Test_Case {

	/**
	 * WordPress is the sandbox's, addressed as HANDOFF_WP_HOST, with the plugin active.
	 */
	public function test_the_sandbox_wordpress_is_loaded_with_the_plugin_active(): void {
		$this->assertSame( 'http://' . getenv( 'HANDOFF_WP_HOST' ), home_url() );
		$this->assertSame( realpath( (string) getenv( 'HANDOFF_WP_DIR' ) ) . '/', realpath( ABSPATH ) . '/' );
		$this->assertTrue( is_plugin_active( self::PLUGIN_FILE ) );
		$this->assertSame( '0.2.0', HANDOFF_COMPANION_VERSION );
		$this->assertSame( 'local', wp_get_environment_type() );
		$this->assertMatchesRegularExpression( '/^' . preg_quote( (string) getenv( 'HANDOFF_TEST_WORDPRESS' ), '/' ) . '(\.\d+)?$/', get_bloginfo( 'version' ), 'The release run.sh was asked for.' );
		$this->assertSame( 0, get_current_user_id(), 'Each test starts with nobody logged in.' );
	}

	/**
	 * What a test writes disappears with the rollback, in the database and in memory.
	 */
	public function test_writes_are_rolled_back(): void {
		global $wpdb;
		$user = $this->create_user( 'editor' );
		add_option( 'handoff_test_rollback', 'written' );
		add_role( 'handoff_test_role', 'Test role', array( 'read' => true ) );
		$this->assertSame( 'written', get_option( 'handoff_test_rollback' ) );

		$wpdb->query( 'ROLLBACK' );
		wp_cache_flush();
		wp_roles()->for_site();

		$this->assertFalse( get_option( 'handoff_test_rollback' ) );
		$this->assertFalse( get_user_by( 'id', $user->ID ) );
		$this->assertNull( get_role( 'handoff_test_role' ) );
		$wpdb->query( 'START TRANSACTION' );
	}

	/**
	 * wp_die() throws with its message and status instead of ending the process.
	 */
	public function test_wp_die_throws(): void {
		$die = $this->expect_wp_die(
			static function () {
				wp_die( 'Stopped <b>here</b>.', 418 );
			}
		);
		$this->assertSame( 418, $die->status );
		$this->assertSame( 'Stopped here.', $die->getMessage() );
	}

	/**
	 * The schema validator rejects what the schema forbids (so a passing validation means something).
	 */
	public function test_the_schema_validator_reports_violations(): void {
		$validator = new Handoff_Schema_Validator( HANDOFF_COMPANION_DIR . '/schema/inventory.schema.json' );
		$errors    = $validator->validate(
			array(
				'schema_version' => 2,
				'generated_at'   => 'yesterday',
				'users'          => array(
					'total'     => -1,
					'truncated' => null,
					'list'      => array(),
				),
			)
		);
		$this->assertContains( '$.schema_version: expected 1, got 2', $errors );
		$this->assertContains( "\$.generated_at: 'yesterday' does not match ^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}", $errors );
		$this->assertContains( "\$: the required property 'site' is missing", $errors );
		$this->assertContains( '$.users.total: -1 is less than 0', $errors );
		$this->assertContains( '$.users.truncated: expected boolean, got NULL null', $errors );
	}

	/**
	 * A deprecation raised in a plugin file fails the test; one raised elsewhere does not.
	 */
	public function test_plugin_deprecations_fail_the_test(): void {
		$handler = set_error_handler( '__return_false' );
		restore_error_handler();
		$this->assertIsCallable( $handler );

		$this->assertFalse( $handler( E_DEPRECATED, 'Elsewhere.', ABSPATH . WPINC . '/functions.php', 1 ) );
		$this->expectException( ErrorException::class );
		$this->expectExceptionMessage( 'Deprecated in the plugin: Here.' );
		$handler( E_DEPRECATED, 'Here.', HANDOFF_COMPANION_DIR . '/includes/class-status.php', 1 );
	}

	/**
	 * Changes one test makes in memory, for the next test to check.
	 */
	public function test_isolation_part_one_changes_everything(): void {
		add_filter( 'handoff_test_filter', '__return_true' );
		$_SERVER['HTTP_AUTHORIZATION'] = 'Basic eDp5';
		$_POST['handoff_test']         = 'posted';
		$GLOBALS['menu']               = array( 'changed' );
		add_role( 'handoff_test_role', 'Test role', array( 'read' => true ) );
		$this->log_in_as( 'administrator' );
		rest_get_server();
		$this->assertTrue( has_filter( 'handoff_test_filter' ) );
		$this->assertTrue( did_action( 'rest_api_init' ) > 0 );
	}

	/**
	 * None of it is left.
	 *
	 * @depends test_isolation_part_one_changes_everything
	 */
	public function test_isolation_part_two_finds_nothing_left(): void {
		$this->assertFalse( has_filter( 'handoff_test_filter' ) );
		$this->assertArrayNotHasKey( 'HTTP_AUTHORIZATION', $_SERVER );
		$this->assertArrayNotHasKey( 'handoff_test', $_POST );
		$this->assertNotSame( array( 'changed' ), $GLOBALS['menu'] ?? null );
		$this->assertNull( get_role( 'handoff_test_role' ) );
		$this->assertSame( 0, get_current_user_id() );
		$this->assertNull( $GLOBALS['wp_rest_server'] );
	}
}
