<?php
/**
 * Tests of DELETE /handoff/v1/connection: the backend giving up its own access.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Bridge_Connection;

/**
 * Only the bridge user can call it, and it revokes only the bridge user's passwords.
 */
class DisconnectTest extends Handoff_Test_Case {

	/**
	 * Who may call it: nobody but the bridge user.
	 */
	public function test_only_the_bridge_user_may_disconnect(): void {
		$bridge = $this->connect_bridge();
		wp_set_current_user( 0 );
		$this->assertSame( 401, $this->rest( 'DELETE', '/handoff/v1/connection' )->get_status() );
		foreach ( array( 'subscriber', 'editor', 'administrator' ) as $role ) {
			$this->log_in_as( $role );
			$this->assertSame( 403, $this->rest( 'DELETE', '/handoff/v1/connection' )->get_status(), $role );
		}
		$this->assertCount( 1, WP_Application_Passwords::get_user_application_passwords( $bridge['user']->ID ) );
	}

	/**
	 * The bridge user's passwords go; the user and everyone else's passwords stay.
	 */
	public function test_the_bridge_user_revokes_its_own_passwords_only(): void {
		$bridge = $this->connect_bridge();
		$admin  = $bridge['admin'];
		WP_Application_Passwords::create_new_application_password( $admin->ID, array( 'name' => 'kept' ) );
		wp_set_current_user( $bridge['user']->ID );

		$response = $this->rest( 'DELETE', '/handoff/v1/connection' );

		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( array( 'revoked' => 1 ), $response->get_data() );
		$this->assertSame( array(), WP_Application_Passwords::get_user_application_passwords( $bridge['user']->ID ) );
		$this->assertCount( 1, WP_Application_Passwords::get_user_application_passwords( $admin->ID ) );
		$this->assertInstanceOf( WP_User::class, get_user_by( 'id', $bridge['user']->ID ) );
	}

	/**
	 * Called by anyone else (a path that skipped the permission check), it does nothing.
	 */
	public function test_revoke_own_access_does_nothing_for_other_users(): void {
		$bridge = $this->connect_bridge();
		$this->log_in_as( 'administrator' );
		$this->assertSame( array( 'revoked' => 0 ), ( new Bridge_Connection() )->revoke_own_access() );
		$this->assertCount( 1, WP_Application_Passwords::get_user_application_passwords( $bridge['user']->ID ) );
	}

	/**
	 * Other methods on the route are not routes.
	 */
	public function test_only_delete_is_a_route(): void {
		$this->connect_bridge();
		foreach ( array( 'GET', 'POST', 'PUT' ) as $method ) {
			$this->assertSame( 404, $this->rest( $method, '/handoff/v1/connection' )->get_status(), $method );
		}
	}
}
