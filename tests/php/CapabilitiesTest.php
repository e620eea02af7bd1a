<?php
/**
 * Tests of the bridge role and capability.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Bridge_Access;
use Handoff\Companion\Capabilities;

/**
 * Capabilities::install(), the handoff_companion_bridge_roles filter and uninstall().
 */
class CapabilitiesTest extends Handoff_Test_Case {

	/**
	 * Capabilities of a role as stored in the database, sorted (only granted ones).
	 *
	 * @param string $role_name The role.
	 * @return string[]|null Null when the role is not stored.
	 */
	private function stored_capabilities( string $role_name ): ?array {
		global $wpdb;
		$roles = get_option( $wpdb->prefix . 'user_roles' );
		if ( ! isset( $roles[ $role_name ] ) ) {
			return null;
		}
		$capabilities = array_keys( array_filter( $roles[ $role_name ]['capabilities'] ) );
		sort( $capabilities );
		return $capabilities;
	}

	/**
	 * Removes the role and the capability, as on a site where the plugin never ran.
	 */
	private function remove_everything(): void {
		Capabilities::uninstall();
		$this->assertNull( get_role( Capabilities::BRIDGE_ROLE ) );
	}

	/**
	 * Activation (done by the sandbox) left the role with exactly read + the bridge capability.
	 */
	public function test_the_activated_plugin_has_installed_the_role(): void {
		$this->assertSame( array( Capabilities::BRIDGE_CAP, 'read' ), $this->stored_capabilities( Capabilities::BRIDGE_ROLE ) );
		$this->assertSame( 'Handoff bridge', wp_roles()->role_names[ Capabilities::BRIDGE_ROLE ] );
	}

	/**
	 * install() on a clean site creates the role with exactly two capabilities, nothing else.
	 */
	public function test_install_creates_the_role_with_exactly_two_capabilities(): void {
		$this->remove_everything();
		Capabilities::install();

		$role = get_role( Capabilities::BRIDGE_ROLE );
		$this->assertInstanceOf( WP_Role::class, $role );
		$this->assertSame( array( 'read' => true, Capabilities::BRIDGE_CAP => true ), $role->capabilities );
		$this->assertSame( array( Capabilities::BRIDGE_CAP, 'read' ), $this->stored_capabilities( Capabilities::BRIDGE_ROLE ) );
		foreach ( array( 'administrator', 'editor', 'author', 'contributor', 'subscriber' ) as $other ) {
			$this->assertNotContains( Capabilities::BRIDGE_CAP, $this->stored_capabilities( $other ), "{$other} must not get the bridge capability." );
		}
	}

	/**
	 * Running install() again changes nothing.
	 */
	public function test_install_is_idempotent(): void {
		$this->remove_everything();
		Capabilities::install();
		$once = get_option( $GLOBALS['wpdb']->prefix . 'user_roles' );
		Capabilities::install();
		Capabilities::install();
		$this->assertSame( $once, get_option( $GLOBALS['wpdb']->prefix . 'user_roles' ) );
	}

	/**
	 * install() gives back the capability to a bridge role that lost it; it only adds the
	 * capability when missing.
	 */
	public function test_install_restores_a_missing_capability_on_the_existing_role(): void {
		get_role( Capabilities::BRIDGE_ROLE )->remove_cap( Capabilities::BRIDGE_CAP );
		$this->assertSame( array( 'read' ), $this->stored_capabilities( Capabilities::BRIDGE_ROLE ) );
		Capabilities::install();
		$this->assertSame( array( Capabilities::BRIDGE_CAP, 'read' ), $this->stored_capabilities( Capabilities::BRIDGE_ROLE ) );
	}

	/**
	 * The filter grants the capability to the roles it names, and only to existing ones.
	 */
	public function test_the_filter_grants_the_capability_to_other_roles(): void {
		add_filter(
			'handoff_companion_bridge_roles',
			static function ( $roles ) {
				$roles[] = 'editor';
				$roles[] = 'no_such_role';
				$roles[] = 42;
				return $roles;
			}
		);
		$this->assertSame( array( Capabilities::BRIDGE_ROLE, 'editor', 'no_such_role' ), Capabilities::bridge_roles() );
		Capabilities::install();

		$this->assertContains( Capabilities::BRIDGE_CAP, $this->stored_capabilities( 'editor' ) );
		$this->assertNotContains( Capabilities::BRIDGE_CAP, $this->stored_capabilities( 'author' ) );
		$this->assertNull( get_role( 'no_such_role' ), 'A role named by the filter is not created.' );

		// An editor now passes the bridge's permission check.
		$this->log_in_as( 'editor' );
		$this->assertTrue( Bridge_Access::check() );
	}

	/**
	 * A filter returning garbage falls back to nothing rather than breaking.
	 */
	public function test_a_filter_returning_no_list_grants_nothing(): void {
		$this->remove_everything();
		add_filter( 'handoff_companion_bridge_roles', '__return_false' );
		$this->assertSame( array(), Capabilities::bridge_roles() );
		Capabilities::install();
		// The role itself is still created with its two capabilities.
		$this->assertSame( array( Capabilities::BRIDGE_CAP, 'read' ), $this->stored_capabilities( Capabilities::BRIDGE_ROLE ) );
	}

	/**
	 * uninstall() removes the role and the capability from every role that had it.
	 */
	public function test_uninstall_removes_the_role_and_the_capability_everywhere(): void {
		add_filter(
			'handoff_companion_bridge_roles',
			static function () {
				return array( Capabilities::BRIDGE_ROLE, 'editor', 'author' );
			}
		);
		Capabilities::install();
		get_role( 'subscriber' )->add_cap( Capabilities::BRIDGE_CAP ); // Granted by hand.
		$editor_caps = $this->stored_capabilities( 'editor' );

		Capabilities::uninstall();

		$this->assertNull( get_role( Capabilities::BRIDGE_ROLE ) );
		$this->assertNull( $this->stored_capabilities( Capabilities::BRIDGE_ROLE ) );
		foreach ( wp_roles()->roles as $name => $role ) {
			$this->assertArrayNotHasKey( Capabilities::BRIDGE_CAP, $role['capabilities'], "{$name} still has the capability." );
		}
		// Nothing else was taken from the editor.
		$this->assertSame( array_values( array_diff( $editor_caps, array( Capabilities::BRIDGE_CAP ) ) ), $this->stored_capabilities( 'editor' ) );
		// And the in-memory roles agree with the database.
		wp_roles()->for_site();
		$this->assertNull( get_role( Capabilities::BRIDGE_ROLE ) );
	}

	/**
	 * uninstall() on a site without the role does nothing and does not fail.
	 */
	public function test_uninstall_twice_is_harmless(): void {
		Capabilities::uninstall();
		$roles = get_option( $GLOBALS['wpdb']->prefix . 'user_roles' );
		Capabilities::uninstall();
		$this->assertSame( $roles, get_option( $GLOBALS['wpdb']->prefix . 'user_roles' ) );
	}
}
