<?php
/**
 * Tests of the Site Handbook's menu item under a menu profile.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Handbook_Api;
use Handoff\Companion\Handbook_Screen;
use Handoff\Companion\Menu_Applier;
use Handoff\Companion\Menu_Profile_Store;

require_once __DIR__ . '/HandbookApiTest.php'; // Its document() is shared.

/**
 * A menu profile never takes the handbook from the client: it is never denied, and shows
 * whatever `unknown_items` says, unless the profile names it as hidden. The menu is built
 * by wp-admin/menu.php, which runs once per process: each test runs in a process of its own.
 *
 * @runTestsInSeparateProcesses
 * @preserveGlobalState disabled
 */
class HandbookMenuTest extends Handoff_Test_Case {

	/**
	 * Globals wp-admin/menu.php writes.
	 */
	private const MENU_GLOBALS = array( 'menu', 'submenu', '_wp_menu_nopriv', '_wp_submenu_nopriv', '_wp_real_parent_file', '_registered_pages', '_parent_pages', 'admin_page_hooks', 'menu_order', 'default_menu_order' );

	/**
	 * A profile for editors that names Posts and, when given, the handbook.
	 *
	 * @param string      $unknown_items show, hide or deny.
	 * @param string|null $state         The handbook's state in the profile; null: not named.
	 * @return array<string, mixed>
	 */
	private static function profile( string $unknown_items, ?string $state ): array {
		$menu = array(
			array(
				'slug'  => 'edit.php',
				'state' => 'visible',
			),
		);
		if ( null !== $state ) {
			$menu[] = array(
				'slug'  => Handbook_Screen::PAGE,
				'state' => $state,
			);
		}
		return array(
			'schema_version' => 1,
			'name'           => 'Client',
			'targets'        => array( 'roles' => array( 'editor' ) ),
			'exempt_users'   => array( 'admin' ),
			'unknown_items'  => $unknown_items,
			'menu'           => $menu,
		);
	}

	/**
	 * Publishes a handbook, stores the profile, and builds an editor's menu as wp-admin
	 * does, with the handbook's and the applier's `admin_menu` callbacks.
	 *
	 * @param array<string, mixed> $profile The profile.
	 */
	private function build( array $profile ): void {
		// phpcs:ignore Squiz.PHP.GlobalKeyword -- wp-admin/menu.php expects these at global scope.
		global $menu, $submenu, $_wp_menu_nopriv, $_wp_submenu_nopriv, $_wp_real_parent_file, $_registered_pages, $_parent_pages, $admin_page_hooks, $menu_order, $default_menu_order, $_wp_last_object_menu, $_wp_last_utility_menu;
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$this->assertIsArray( Handbook_Api::publish( (string) wp_json_encode( HandbookApiTest::document() ) ) );
		$this->assertIsArray( ( new Menu_Profile_Store() )->put( json_decode( wp_json_encode( $profile ), false ), 0, 'test' ) );

		wp_set_current_user( $this->create_user( 'editor' )->ID );
		foreach ( self::MENU_GLOBALS as $name ) {
			$GLOBALS[ $name ] = array();
		}
		$GLOBALS['pagenow'] = 'index.php';
		require_once ABSPATH . 'wp-admin/includes/admin.php';
		set_current_screen( 'dashboard' );
		add_action( 'admin_menu', array( Handbook_Screen::class, 'register' ) );
		add_action( 'admin_menu', array( Menu_Applier::class, 'boot' ), PHP_INT_MAX );
		ob_start();
		try {
			require ABSPATH . 'wp-admin/menu.php';
		} finally {
			ob_end_clean();
		}
		$this->assertInstanceOf( Menu_Applier::class, Menu_Applier::active(), 'The editor is restricted.' );
	}

	/**
	 * The top-level slugs the user sees once the menu is printed.
	 *
	 * @return string[]
	 */
	private static function shown_slugs(): array {
		Menu_Applier::active()->drop_hidden_items();
		return array_map( 'strval', array_column( $GLOBALS['menu'], 2 ) );
	}

	/**
	 * The profiles and what the client gets.
	 *
	 * @return array<string, array{0: string, 1: string|null, 2: bool}>
	 */
	public function cases(): array {
		return array(
			'unknown items hidden, not named' => array( 'hide', null, true ),
			'unknown items denied, not named' => array( 'deny', null, true ),
			'unknown items shown, not named'  => array( 'show', null, true ),
			'named visible'                   => array( 'deny', 'visible', true ),
			'named hidden'                    => array( 'show', 'hidden', false ),
			'named denied: hidden at most'    => array( 'deny', 'denied', false ),
		);
	}

	/**
	 * Shown unless named as hidden (or denied, which counts as hidden); never refused.
	 *
	 * @dataProvider cases
	 *
	 * @param string      $unknown_items The profile's unknown_items.
	 * @param string|null $state         The handbook's state in the profile; null: not named.
	 * @param bool        $shown         Whether the client sees the item.
	 */
	public function test_the_handbook_under_a_profile( string $unknown_items, ?string $state, bool $shown ): void {
		$this->build( self::profile( $unknown_items, $state ) );
		$applier = Menu_Applier::active();

		$this->assertNotContains( Handbook_Screen::PAGE, $applier->denied_slugs() );
		$this->assertFalse( $applier->is_denied( 'admin.php', Handbook_Screen::PAGE, array( 'page' => Handbook_Screen::PAGE ) ), 'The screen always opens.' );
		$slugs = self::shown_slugs();
		$this->assertSame( $shown, in_array( Handbook_Screen::PAGE, $slugs, true ), implode( ', ', $slugs ) );
		if ( 'show' !== $unknown_items ) {
			$this->assertNotContains( 'upload.php', $slugs, 'Other unknown items follow unknown_items.' );
		}
		if ( null === $state && 'deny' === $unknown_items ) {
			$this->assertContains( 'upload.php', $applier->denied_slugs() );
		}
	}
}
