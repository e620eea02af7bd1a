<?php
/**
 * Tests of uninstall.php for the Site Handbook.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Handbook_Api;
use Handoff\Companion\Handbook_Store;
use Handoff\Companion\Options;

require_once __DIR__ . '/HandbookApiTest.php'; // Its document() is shared.

/**
 * Deleting the plugin removes the handbook's options and every user's view timestamp.
 * uninstall.php declares a function, so it runs once per process: each test runs in a
 * process of its own.
 *
 * @runTestsInSeparateProcesses
 * @preserveGlobalState disabled
 */
class HandbookUninstallTest extends Handoff_Test_Case {

	/**
	 * The handbook's options and user meta are listed for uninstall.php.
	 */
	public function test_the_names_are_listed(): void {
		foreach ( array( Options::HANDBOOK, Options::HANDBOOK_META, Options::HANDBOOK_VIEWS ) as $option ) {
			$this->assertContains( $option, Options::all() );
		}
		$this->assertSame( array( 'handoff_handbook_last_view' ), Options::user_meta() );
		$this->assertSame( 'handoff_companion_handbook', Options::HANDBOOK );
		$this->assertSame( 'handoff_companion_handbook_meta', Options::HANDBOOK_META );
		$this->assertSame( 'handoff_companion_handbook_views', Options::HANDBOOK_VIEWS );
	}

	/**
	 * A published handbook with views: every option and every user's timestamp go.
	 */
	public function test_uninstall_removes_the_handbook(): void {
		global $wpdb;
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$this->assertIsArray( Handbook_Api::publish( (string) wp_json_encode( HandbookApiTest::document() ) ) );
		$clients = array( $this->create_user( 'editor' ), $this->create_user( 'author' ) );
		foreach ( $clients as $client ) {
			$this->assertTrue( Handbook_Store::record_view( $client ) );
		}
		$this->assertSame( 2, Handbook_Store::views()['views_by_client'] );

		define( 'WP_UNINSTALL_PLUGIN', self::PLUGIN_FILE );
		include WP_PLUGIN_DIR . '/handoff-companion/uninstall.php';

		wp_cache_flush();
		foreach ( array( Options::HANDBOOK, Options::HANDBOOK_META, Options::HANDBOOK_VIEWS ) as $option ) {
			$this->assertFalse( get_option( $option ), "{$option} is deleted." );
		}
		$this->assertSame( '0', (string) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->usermeta} WHERE meta_key = %s", Options::HANDBOOK_LAST_VIEW ) ) );
		foreach ( $clients as $client ) {
			$this->assertInstanceOf( WP_User::class, get_user_by( 'id', $client->ID ), 'The clients stay.' );
		}
	}
}
