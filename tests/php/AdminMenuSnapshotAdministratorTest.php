<?php
/**
 * Tests of whom the menu snapshot builds the menu for.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Admin_Menu_Snapshot;
use Handoff\Companion\Menu_Capability_Guard;
use Handoff\Companion\Menu_Profile_Store;
use Handoff\Companion\Options;
use Handoff\Tests\AdministratorOnlyMenu as Fixture;

/**
 * The snapshot builds the menu as wp-admin does for a real administrator account: items a
 * plugin adds only for is_super_admin() or for one user ID are captured, the administrator
 * is the one who connected the site while still an administrator (else the first one),
 * the capture writes nothing to that account, and an active profile targeting that
 * administrator does not take items out of the capture. wp-admin/menu.php runs only once
 * per process: each test runs in its own.
 *
 * @runTestsInSeparateProcesses
 * @preserveGlobalState disabled
 */
class AdminMenuSnapshotAdministratorTest extends Handoff_Test_Case {

	/**
	 * Loads the fixture plugin (its hook is undone by the test case's tearDown).
	 */
	protected function setUp(): void {
		parent::setUp();
		require_once __DIR__ . '/fixtures/administrator-only-menu-plugin.php';
	}

	/**
	 * The guard of this request is forgotten after each test.
	 */
	protected function tearDown(): void {
		Menu_Capability_Guard::stop();
		parent::tearDown();
	}

	/**
	 * Every slug of a tree, children included.
	 *
	 * @param array<int, array<string, mixed>> $items Menu items.
	 * @return string[]
	 */
	private static function all_slugs( array $items ): array {
		$slugs = array();
		foreach ( $items as $item ) {
			$slugs[] = $item['slug'];
			foreach ( $item['children'] ?? array() as $child ) {
				$slugs[] = $child['slug'];
			}
		}
		return $slugs;
	}

	/**
	 * The ID of the administrator with the lowest ID.
	 */
	private static function first_administrator(): int {
		$ids = get_users(
			array(
				'role'    => 'administrator',
				'orderby' => 'ID',
				'order'   => 'ASC',
				'number'  => 1,
				'fields'  => 'ID',
			)
		);
		return (int) $ids[0];
	}

	/**
	 * Records who connected the site, as Bridge_Connection::connect() does.
	 *
	 * @param int $user_id The user.
	 */
	private static function connected_by( int $user_id ): void {
		update_option(
			Options::CONNECTION,
			array(
				'user_id'      => 0,
				'connected_at' => time(),
				'connected_by' => $user_id,
			),
			false
		);
	}

	/**
	 * An item a plugin adds only when is_super_admin() is true is in the full menu.
	 */
	public function test_an_item_only_a_super_administrator_gets_is_captured(): void {
		$menu = ( new Admin_Menu_Snapshot() )->take();

		$this->assertContains( Fixture\SUPER_ADMIN_PAGE, self::all_slugs( $menu['full'] ) );
		$this->assertSame( array(), $menu['warnings'] );
	}

	/**
	 * An item a plugin adds only for the first administrator's ID is in the full menu.
	 */
	public function test_an_item_only_the_first_administrator_gets_is_captured(): void {
		update_option( Fixture\OWNER_OPTION, self::first_administrator() );

		$menu = ( new Admin_Menu_Snapshot() )->take();

		$this->assertContains( Fixture\OWNER_PAGE, self::all_slugs( $menu['full'] ) );
	}

	/**
	 * The administrator who connected the site is the one the menu is built for.
	 */
	public function test_the_administrator_who_connected_is_the_one_captured_for(): void {
		$connector = $this->create_user( 'administrator' );
		self::connected_by( $connector->ID );
		update_option( Fixture\OWNER_OPTION, $connector->ID );

		$menu = ( new Admin_Menu_Snapshot() )->take();

		$this->assertContains( Fixture\OWNER_PAGE, self::all_slugs( $menu['full'] ) );
	}

	/**
	 * Whoever connected but is no administrator now is not used: the first administrator is.
	 */
	public function test_a_connector_who_is_no_longer_an_administrator_is_not_used(): void {
		$former = $this->create_user( 'editor' );
		self::connected_by( $former->ID );
		update_option( Fixture\OWNER_OPTION, $former->ID );

		$menu = ( new Admin_Menu_Snapshot() )->take();

		$this->assertNotContains( Fixture\OWNER_PAGE, self::all_slugs( $menu['full'] ) );
		$this->assertContains( Fixture\SUPER_ADMIN_PAGE, self::all_slugs( $menu['full'] ) );
	}

	/**
	 * Items of a role holding a capability the administrator lacks are still captured,
	 * and the administrator account itself is not changed (in memory or in the database).
	 */
	public function test_other_roles_capabilities_are_added_and_the_account_is_not_changed(): void {
		add_role( 'fixture_reporter', 'Fixture Reporter', array( 'read' => true, Fixture\OWN_CAP => true ) );
		$admin  = self::first_administrator();
		$before = get_user_meta( $admin );

		$menu = ( new Admin_Menu_Snapshot() )->take();

		$this->assertContains( Fixture\OWN_CAP_PAGE, self::all_slugs( $menu['full'] ) );
		$this->assertContains( Fixture\OWN_CAP_PAGE, self::all_slugs( $menu['by_role']['fixture_reporter'] ) );
		$this->assertNotContains( Fixture\OWN_CAP_PAGE, self::all_slugs( $menu['by_role']['administrator'] ) );
		wp_cache_flush();
		$this->assertFalse( user_can( $admin, Fixture\OWN_CAP ), 'The administrator did not gain the capability.' );
		$this->assertEquals( $before, get_user_meta( $admin ) );
		$this->assertSame( 0, get_current_user_id(), 'The current user is restored.' );
	}

	/**
	 * An active profile that targets the administrator the menu is built for (and denies
	 * an item whose capability only it needs) takes nothing out of the capture.
	 */
	public function test_a_profile_targeting_the_captured_administrator_takes_nothing_out(): void {
		$admin    = self::first_administrator();
		$exempt   = $this->create_user( 'administrator' );
		$role     = get_role( 'administrator' );
		$role->add_cap( Fixture\OWN_CAP );
		$profile  = array(
			'schema_version' => 1,
			'name'           => 'Administrators too',
			'targets'        => array( 'roles' => array( 'administrator' ) ),
			'exempt_users'   => array( $exempt->user_login ),
			'unknown_items'  => 'show',
			'menu'           => array(
				array(
					'slug'  => Fixture\OWN_CAP_PAGE,
					'state' => 'denied',
				),
			),
		);
		$stored = ( new Menu_Profile_Store() )->put( json_decode( wp_json_encode( $profile ), false ), 0, 'test' );
		$this->assertIsArray( $stored );
		update_option(
			Options::MENU_MAP,
			wp_json_encode(
				array(
					'tree' => array(
						array(
							'slug'       => Fixture\OWN_CAP_PAGE,
							'capability' => Fixture\OWN_CAP,
							'children'   => array(),
						),
						array(
							'slug'       => 'index.php',
							'capability' => 'read',
							'children'   => array(),
						),
					),
				)
			),
			true
		);
		Menu_Capability_Guard::start();
		$this->assertFalse( user_can( $admin, Fixture\OWN_CAP ), 'The guard withholds the capability from the targeted administrator.' );

		$menu = ( new Admin_Menu_Snapshot() )->take();

		$this->assertContains( Fixture\OWN_CAP_PAGE, self::all_slugs( $menu['full'] ) );
	}
}
