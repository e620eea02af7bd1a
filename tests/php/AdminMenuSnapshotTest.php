<?php
/**
 * Tests of the admin menu snapshot in the inventory.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Admin_Menu_Snapshot;
use Handoff\Companion\Capabilities;

/**
 * The wp-admin menu, built outside wp-admin, and what each role can open. wp-admin/menu.php
 * runs only once per process: each test runs in a process of its own.
 *
 * @runTestsInSeparateProcesses
 * @preserveGlobalState disabled
 */
class AdminMenuSnapshotTest extends Handoff_Test_Case {

	/**
	 * Finds a menu item by slug.
	 *
	 * @param array<int, array<string, mixed>> $items Menu items.
	 * @param string                           $slug  The slug.
	 * @return array<string, mixed>|null
	 */
	private static function item( array $items, string $slug ): ?array {
		foreach ( $items as $item ) {
			if ( $slug === $item['slug'] ) {
				return $item;
			}
		}
		return null;
	}

	/**
	 * The slugs of menu items.
	 *
	 * @param array<int, array<string, mixed>> $items Menu items.
	 * @return string[]
	 */
	private static function slugs( array $items ): array {
		return array_column( $items, 'slug' );
	}

	/**
	 * Every title in a tree, children included.
	 *
	 * @param array<int, array<string, mixed>> $items Menu items.
	 * @return string[]
	 */
	private static function titles( array $items ): array {
		$titles = array();
		foreach ( $items as $item ) {
			$titles[] = $item['title'];
			foreach ( $item['children'] ?? array() as $child ) {
				$titles[] = $child['title'];
			}
		}
		return $titles;
	}

	/**
	 * The full menu has core's items and the ones a plugin added, with plain titles.
	 */
	public function test_the_full_menu_has_core_and_plugin_items(): void {
		$menu = ( new Admin_Menu_Snapshot() )->take();

		$this->assertSame( array( 'context', 'full', 'by_role', 'warnings' ), array_keys( $menu ) );
		$this->assertSame( 'api', $menu['context'] );
		$this->assertSame( array(), $menu['warnings'] );
		$expected = array(
			'index.php'                     => 'Dashboard',
			'edit.php'                      => 'Posts',
			'upload.php'                    => 'Media',
			'edit.php?post_type=page'       => 'Pages',
			'edit-comments.php'             => 'Comments',
			'edit.php?post_type=portfolio'  => 'Portfolio',
			'themes.php'                    => 'Appearance',
			'plugins.php'                   => 'Plugins',
			'users.php'                     => 'Users',
			'tools.php'                     => 'Tools',
			'options-general.php'           => 'Settings',
			'sandbox-reports'               => 'Sandbox Reports',
		);
		foreach ( $expected as $slug => $title ) {
			$item = self::item( $menu['full'], $slug );
			$this->assertNotNull( $item, "{$slug} is in the full menu." );
			$this->assertSame( $title, $item['title'], "Title of {$slug}." );
		}
		$this->assertSame( 2, self::item( $menu['full'], 'index.php' )['position'] );
		$this->assertSame( 'edit_posts', self::item( $menu['full'], 'edit.php' )['capability'] );
		$this->assertSame( 'dashicons-admin-post', self::item( $menu['full'], 'edit.php' )['icon'] );

		foreach ( $menu['full'] as $item ) {
			$this->assertStringStartsNotWith( 'separator', $item['slug'], 'Separators are left out.' );
			$this->assertIsNumeric( $item['position'] );
		}
		$positions = array_column( $menu['full'], 'position' );
		$this->assertSame( $positions, array_values( array_unique( $positions ) ), 'Positions are unique.' );
	}

	/**
	 * The plugin-added page and its administrators-only submenu.
	 */
	public function test_the_plugin_page_has_its_submenu(): void {
		$menu    = ( new Admin_Menu_Snapshot() )->take();
		$reports = self::item( $menu['full'], 'sandbox-reports' );

		$this->assertSame( 'edit_posts', $reports['capability'] );
		$this->assertSame( 'dashicons-chart-bar', $reports['icon'] );
		$this->assertSame(
			array(
				array(
					'slug'       => 'sandbox-reports',
					'title'      => 'Sandbox Reports',
					'capability' => 'edit_posts',
				),
				array(
					'slug'       => 'sandbox-reports-export',
					'title'      => 'Export',
					'capability' => 'manage_options',
				),
			),
			$reports['children']
		);
	}

	/**
	 * Titles are plain text: counters and markup removed, entities decoded.
	 */
	public function test_titles_are_plain_text(): void {
		// A pending comment puts a counter into the Comments title.
		wp_insert_comment(
			array(
				'comment_post_ID'  => 1,
				'comment_content'  => 'Waiting.',
				'comment_approved' => '0',
			)
		);
		$menu = ( new Admin_Menu_Snapshot() )->take();

		$all = self::titles( $menu['full'] );
		foreach ( $menu['by_role'] as $items ) {
			$all = array_merge( $all, self::titles( $items ) );
		}
		foreach ( $all as $title ) {
			$this->assertStringNotContainsString( '<', $title );
			$this->assertStringNotContainsString( '&amp;', $title );
			$this->assertSame( trim( $title ), $title );
		}
		$this->assertSame( 'Comments', self::item( $menu['full'], 'edit-comments.php' )['title'] );
	}

	/**
	 * An editor's menu lacks what needs an administrator.
	 */
	public function test_the_editor_menu_lacks_administrator_items(): void {
		$menu   = ( new Admin_Menu_Snapshot() )->take();
		$editor = $menu['by_role']['editor'];
		$slugs  = self::slugs( $editor );

		foreach ( array( 'index.php', 'edit.php', 'edit.php?post_type=page', 'edit-comments.php', 'sandbox-reports', 'profile.php' ) as $slug ) {
			$this->assertContains( $slug, $slugs );
		}
		foreach ( array( 'plugins.php', 'options-general.php', 'users.php' ) as $slug ) {
			$this->assertNotContains( $slug, $slugs );
		}
		$this->assertNotContains( 'sandbox-reports-export', self::slugs( self::item( $editor, 'sandbox-reports' )['children'] ), 'The export page is for administrators.' );
		$this->assertSame( array(), array_diff( self::slugs( self::item( $editor, 'sandbox-reports' )['children'] ), array( 'sandbox-reports' ) ) );
		$this->assertNotContains( 'customize.php', self::slugs( self::item( $editor, 'themes.php' )['children'] ?? array() ) );
	}

	/**
	 * A subscriber gets the Profile item where administrators get Users, and little else.
	 */
	public function test_the_subscriber_gets_profile(): void {
		$menu       = ( new Admin_Menu_Snapshot() )->take();
		$subscriber = $menu['by_role']['subscriber'];

		$this->assertSame( array( 'index.php', 'profile.php' ), self::slugs( $subscriber ) );
		$profile = self::item( $subscriber, 'profile.php' );
		$this->assertSame( 'Profile', $profile['title'] );
		$this->assertSame( 'read', $profile['capability'] );
		$this->assertSame( array(), array_diff( self::slugs( $profile['children'] ), array( 'profile.php' ) ) );
		$this->assertSame( 'Users', self::item( $menu['full'], 'users.php' )['title'] );
	}

	/**
	 * The bridge role can open nothing that matters in wp-admin.
	 */
	public function test_the_bridge_role_sees_only_dashboard_and_profile(): void {
		$menu = ( new Admin_Menu_Snapshot() )->take();
		$this->assertSame( array( 'index.php', 'profile.php' ), self::slugs( $menu['by_role'][ Capabilities::BRIDGE_ROLE ] ) );
	}

	/**
	 * The administrator has every top-level item of the full tree; every role is listed.
	 */
	public function test_the_administrator_sees_every_top_level_item(): void {
		$menu = ( new Admin_Menu_Snapshot() )->take();
		$this->assertSame( self::slugs( $menu['full'] ), self::slugs( $menu['by_role']['administrator'] ) );
		$this->assertSame( self::slugs( self::item( $menu['full'], 'options-general.php' )['children'] ), self::slugs( self::item( $menu['by_role']['administrator'], 'options-general.php' )['children'] ) );
		$this->assertSame( array_keys( wp_roles()->roles ), array_keys( $menu['by_role'] ) );
	}

	/**
	 * Administrators open Tools → Site Health, whose capability WordPress grants them through
	 * the user_has_cap filter rather than through their role.
	 *
	 */
	public function test_the_administrator_sees_site_health(): void {
		$menu = ( new Admin_Menu_Snapshot() )->take();
		$this->assertContains( 'site-health.php', self::slugs( self::item( $menu['full'], 'tools.php' )['children'] ) );
		$this->assertContains( 'site-health.php', self::slugs( self::item( $menu['by_role']['administrator'], 'tools.php' )['children'] ) );
		$this->assertSame( $menu['full'], $menu['by_role']['administrator'] );
	}

	/**
	 * The globals the capture uses, and the current user, are as they were afterwards.
	 */
	public function test_globals_and_the_current_user_are_restored(): void {
		$editor                     = $this->log_in_as( 'editor' );
		$GLOBALS['menu']            = array( 'sentinel' => array( 'Before', 'read', 'before.php' ) );
		$GLOBALS['submenu']         = array( 'before.php' => array( array( 'Sub', 'read', 'sub.php' ) ) );
		$GLOBALS['pagenow']         = 'sentinel.php';
		$GLOBALS['admin_page_hooks'] = array( 'sentinel' => 'sentinel' );
		unset( $GLOBALS['current_screen'] );
		$before_user   = $GLOBALS['current_user'];
		$die_callbacks = count( $GLOBALS['wp_filter']['wp_die_handler']->callbacks, COUNT_RECURSIVE );

		( new Admin_Menu_Snapshot() )->take();

		$this->assertSame( array( 'sentinel' => array( 'Before', 'read', 'before.php' ) ), $GLOBALS['menu'] );
		$this->assertSame( array( 'before.php' => array( array( 'Sub', 'read', 'sub.php' ) ) ), $GLOBALS['submenu'] );
		$this->assertSame( 'sentinel.php', $GLOBALS['pagenow'] );
		$this->assertSame( array( 'sentinel' => 'sentinel' ), $GLOBALS['admin_page_hooks'] );
		$this->assertNull( $GLOBALS['current_screen'] ?? null );
		$this->assertFalse( is_admin() );
		$this->assertSame( $before_user, $GLOBALS['current_user'] );
		$this->assertSame( $editor->ID, get_current_user_id() );
		$this->assertFalse( current_user_can( 'manage_options' ), 'The editor did not keep the capture user\'s capabilities.' );
		$this->assertSame( $die_callbacks, count( $GLOBALS['wp_filter']['wp_die_handler']->callbacks, COUNT_RECURSIVE ) );
		$this->assertFalse( has_filter( 'doing_it_wrong_trigger_error', '__return_false' ) );
	}

	/**
	 * Nothing is written to the database.
	 */
	public function test_nothing_is_written(): void {
		$this->log_in_as( 'editor' );
		$before = $this->site_state();
		( new Admin_Menu_Snapshot() )->take();
		$this->assertSame( $before, $this->site_state() );
	}

	/**
	 * A plugin calling wp_die() while adding its menu is reported; the rest is returned.
	 */
	public function test_a_plugin_calling_wp_die_is_reported(): void {
		add_action(
			'admin_menu',
			static function () {
				wp_die( 'A <b>broken</b> plugin.' );
			},
			5
		);

		$menu = ( new Admin_Menu_Snapshot() )->take();

		$this->assertCount( 1, $menu['warnings'] );
		$this->assertStringStartsWith( 'Building the admin menu stopped early: A broken plugin.', $menu['warnings'][0] );
		$this->assertNotNull( self::item( $menu['full'], 'index.php' ), 'Core\'s items are still there.' );
		$this->assertNull( self::item( $menu['full'], 'sandbox-reports' ), 'Items after the failure are missing.' );
		// The test's own wp_die() handler is back.
		$this->expect_wp_die(
			static function () {
				wp_die( 'after' );
			}
		);
	}

	/**
	 * A plugin throwing while adding its menu is reported the same way.
	 */
	public function test_a_plugin_throwing_is_reported(): void {
		add_action(
			'admin_menu',
			static function () {
				throw new LogicException( 'Menu code failed.' );
			},
			5
		);

		$menu = ( new Admin_Menu_Snapshot() )->take();

		$this->assertCount( 1, $menu['warnings'] );
		$this->assertStringStartsWith( 'Building the admin menu stopped early: Menu code failed. (AdminMenuSnapshotTest.php:', $menu['warnings'][0] );
		$this->assertNotNull( self::item( $menu['full'], 'index.php' ) );
	}

	/**
	 * Inside wp-admin (menu.php already ran), the menu already built is reported, with a warning.
	 */
	public function test_inside_wp_admin_the_existing_menu_is_reported(): void {
		( new Admin_Menu_Snapshot() )->take(); // Runs wp-admin/menu.php: it cannot run again.
		// As on a wp-admin screen: menu.php ran, but not for a snapshot of this request.
		$first_capture = new ReflectionProperty( Admin_Menu_Snapshot::class, 'first_capture' );
		$first_capture->setAccessible( true );
		$first_capture->setValue( null, null );
		$GLOBALS['menu']    = array( 2 => array( 'Dashboard', 'read', 'index.php', '', 'menu-top', 'menu-dashboard', 'dashicons-dashboard' ) );
		$GLOBALS['submenu'] = array( 'index.php' => array( 0 => array( 'Home', 'read', 'index.php' ) ) );

		$menu = ( new Admin_Menu_Snapshot() )->take();

		$this->assertSame( array( 'index.php' ), self::slugs( $menu['full'] ) );
		$this->assertSame( 'dashicons-dashboard', $menu['full'][0]['icon'] );
		$this->assertSame( array( 'The menu was captured inside wp-admin, as the current user sees it.' ), $menu['warnings'] );
	}

	/**
	 * Two inventories in one request (XML-RPC system.multicall) report the same menu.
	 *
	 */
	public function test_a_second_capture_in_the_same_request_has_the_same_menu(): void {
		$first  = ( new Admin_Menu_Snapshot() )->take();
		$second = ( new Admin_Menu_Snapshot() )->take();
		$this->assertSame( $first, $second );
	}
}
