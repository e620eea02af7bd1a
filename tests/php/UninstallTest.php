<?php
/**
 * Tests of uninstall.php.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Capabilities;
use Handoff\Companion\Options;

/**
 * Deleting the plugin removes exactly what it created. uninstall.php declares a function, so
 * it can run once per process: each test runs in a process of its own.
 *
 * @runTestsInSeparateProcesses
 * @preserveGlobalState disabled
 */
class UninstallTest extends Handoff_Test_Case {

	/**
	 * Runs uninstall.php as WordPress's uninstall_plugin() does.
	 */
	private function run_uninstall(): void {
		if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
			define( 'WP_UNINSTALL_PLUGIN', self::PLUGIN_FILE );
		}
		include WP_PLUGIN_DIR . '/handoff-companion/uninstall.php';
	}

	/**
	 * Every row of a user in the user meta table.
	 *
	 * @param int $user_id The user.
	 */
	private function usermeta_rows( int $user_id ): int {
		global $wpdb;
		return (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->usermeta} WHERE user_id = %d", $user_id ) );
	}

	/**
	 * A connected site: the bridge user, its password, the role, the capability on every
	 * role that had it, and the option are all gone.
	 */
	public function test_uninstall_removes_everything_the_plugin_created(): void {
		add_filter(
			'handoff_companion_bridge_roles',
			static function ( $roles ) {
				return array_merge( $roles, array( 'editor' ) );
			}
		);
		$connection = $this->connect_bridge();
		$this->assertTrue( get_role( 'editor' )->has_cap( Capabilities::BRIDGE_CAP ) );
		$this->assertNotFalse( get_option( Options::CONNECTION ) );

		$this->run_uninstall();

		$this->assertFalse( get_user_by( 'id', $connection['user']->ID ) );
		$this->assertSame( 0, $this->usermeta_rows( $connection['user']->ID ), 'The password and every meta row went with the user.' );
		$this->assertSame( array(), $this->all_application_passwords() );
		$this->assertNull( get_role( Capabilities::BRIDGE_ROLE ) );
		foreach ( wp_roles()->roles as $name => $role ) {
			$this->assertArrayNotHasKey( Capabilities::BRIDGE_CAP, $role['capabilities'], "{$name} still has the capability." );
		}
		foreach ( Options::all() as $option ) {
			$this->assertFalse( get_option( $option ), "{$option} is deleted." );
		}
		// What a test reads from memory, the database agrees with.
		wp_cache_flush();
		wp_roles()->for_site();
		$this->assertNull( get_role( Capabilities::BRIDGE_ROLE ) );
		$this->assertFalse( get_option( Options::CONNECTION ) );
		$this->assertInstanceOf( WP_User::class, get_user_by( 'id', $connection['admin']->ID ), 'The administrator who connected stays.' );
	}

	/**
	 * People keep their accounts: one given the bridge role by hand, one with an address at
	 * handoff.invalid but another role; other users' Application Passwords stay.
	 */
	public function test_people_keep_their_accounts(): void {
		$person   = $this->create_user( Capabilities::BRIDGE_ROLE, array( 'user_email' => 'jane@example.test' ) );
		$lookalike = $this->create_user( 'editor', array( 'user_email' => 'someone@handoff.invalid' ) );
		WP_Application_Passwords::create_new_application_password( $person->ID, array( 'name' => 'Her app' ) );
		$connection = $this->connect_bridge();
		$this->assertCount( 2, $this->bridge_role_user_ids() );

		$this->run_uninstall();

		$this->assertFalse( get_user_by( 'id', $connection['user']->ID ) );
		$this->assertInstanceOf( WP_User::class, get_user_by( 'id', $person->ID ) );
		$this->assertSame( 'jane@example.test', get_user_by( 'id', $person->ID )->user_email );
		$this->assertInstanceOf( WP_User::class, get_user_by( 'id', $lookalike->ID ) );
		$this->assertSame( array( array( $person->ID, 'Her app' ) ), $this->all_application_passwords() );
	}

	/**
	 * Bridge users left by earlier connections (the option lost, a suffixed login) go too,
	 * through WordPress's own uninstall_plugin().
	 */
	public function test_uninstall_plugin_removes_every_bridge_user(): void {
		$first = $this->connect_bridge();
		delete_option( Options::CONNECTION ); // The first connection is forgotten...
		$second = $this->connect_bridge();   // ...so a second bridge user is created.
		$this->assertSame( 'handoff-bridge-2', $second['login'] );
		deactivate_plugins( self::PLUGIN_FILE );

		$this->assertTrue( uninstall_plugin( self::PLUGIN_FILE ) );

		$this->assertSame( self::PLUGIN_FILE, WP_UNINSTALL_PLUGIN );
		$this->assertFalse( get_user_by( 'id', $first['user']->ID ) );
		$this->assertFalse( get_user_by( 'id', $second['user']->ID ) );
		$this->assertSame( array(), $this->all_application_passwords() );
		$this->assertNull( get_role( Capabilities::BRIDGE_ROLE ) );
	}

	/**
	 * On a site that was never connected, uninstall removes the role and changes no user.
	 */
	public function test_uninstall_on_a_site_never_connected(): void {
		global $wpdb;
		$users = $wpdb->get_results( "SELECT ID, user_login FROM {$wpdb->users} ORDER BY ID", ARRAY_A );

		$this->run_uninstall();

		$this->assertSame( $users, $wpdb->get_results( "SELECT ID, user_login FROM {$wpdb->users} ORDER BY ID", ARRAY_A ) );
		$this->assertNull( get_role( Capabilities::BRIDGE_ROLE ) );
	}

	/**
	 * uninstall.php runs while the plugin is inactive, without its autoloader: every plugin
	 * class it names, it requires itself.
	 */
	public function test_uninstall_requires_every_class_it_uses(): void {
		$source = (string) file_get_contents( HANDOFF_COMPANION_DIR . '/uninstall.php' ); // phpcs:ignore WordPress.WP.AlternativeFunctions -- a local file.
		preg_match_all( '/Handoff\\\\Companion\\\\([A-Za-z_]+)/', $source, $matches );
		$classes = array_unique( $matches[1] );
		$this->assertNotEmpty( $classes );
		foreach ( $classes as $class ) {
			$file = 'includes/class-' . strtolower( str_replace( '_', '-', $class ) ) . '.php';
			$this->assertFileExists( HANDOFF_COMPANION_DIR . '/' . $file );
			$this->assertStringContainsString( "require_once __DIR__ . '/{$file}';", $source, "uninstall.php uses {$class} without requiring it." );
		}
	}
}
