<?php
/**
 * Tests of the door table: every core screen and admin-ajax action it lists is refused
 * when the item that governs it is denied, and only then.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Menu_Door_Table;
use Handoff\Companion\Menu_Screen_Guard;

/**
 * Each row of Menu_Door_Table::SCREENS and ::AJAX_ACTIONS is a case (data providers read
 * the table), so a row added without a way to identify its governing item fails here.
 */
class MenuDoorTableTest extends Handoff_Test_Case {

	/**
	 * Every screen row.
	 *
	 * @return array<string, array{0: string}>
	 */
	public function screens(): array {
		$rows = array();
		foreach ( array_keys( Menu_Door_Table::SCREENS ) as $file ) {
			$rows[ $file ] = array( $file );
		}
		return $rows;
	}

	/**
	 * Every admin-ajax row.
	 *
	 * @return array<string, array{0: string}>
	 */
	public function ajax_actions(): array {
		$rows = array();
		foreach ( array_keys( Menu_Door_Table::AJAX_ACTIONS ) as $action ) {
			$rows[ $action ] = array( $action );
		}
		return $rows;
	}

	/**
	 * A screen is refused when any item its row names is denied (for post types: the
	 * portfolio's; for taxonomies: categories'), and opens when another one is.
	 *
	 * @dataProvider screens
	 *
	 * @param string $file The screen's file.
	 */
	public function test_a_screen_is_refused_exactly_when_its_item_is_denied( string $file ): void {
		$row = Menu_Door_Table::SCREENS[ $file ];
		foreach ( (array) $row['items'] as $item ) {
			list( $denied, $request, $other ) = $this->case_for( $row, (string) $item );
			$guard                            = new Menu_Screen_Guard( array( $denied => true ) );
			$this->assertTrue( $guard->is_denied( $file, '', $request ), "{$file} with {$denied} denied." );
			if ( null !== $other ) {
				$this->assertFalse( $guard->is_denied( $file, '', $other ), "{$file} for something else while {$denied} is denied." );
			}
			$this->assertFalse( ( new Menu_Screen_Guard( array( 'handoff-unrelated-page' => true ) ) )->is_denied( $file, '', $request ), "{$file} opens when only an unrelated page is denied." );
		}
	}

	/**
	 * A core admin-ajax action is refused when the item it changes is denied.
	 *
	 * @dataProvider ajax_actions
	 *
	 * @param string $action The action.
	 */
	public function test_an_ajax_action_is_refused_exactly_when_its_item_is_denied( string $action ): void {
		$row = Menu_Door_Table::AJAX_ACTIONS[ $action ];
		foreach ( (array) $row['items'] as $item ) {
			list( $denied, $request, $other ) = $this->case_for( $row, (string) $item );
			$guard                            = new Menu_Screen_Guard( array( $denied => true ) );
			$this->assertTrue( $guard->is_ajax_denied( $action, $request ), "{$action} with {$denied} denied." );
			if ( null !== $other ) {
				$this->assertFalse( $guard->is_ajax_denied( $action, $other ), "{$action} for something else while {$denied} is denied." );
			}
		}
		$this->assertFalse( ( new Menu_Screen_Guard( array( 'handoff-unrelated-page' => true ) ) )->is_ajax_denied( $action, array() ) );
	}

	/**
	 * Settings groups posted to options.php: core's to their screen, a plugin's to the page
	 * of the same name when the menu has one, any other (and the "All Settings" screen) to
	 * Settings.
	 */
	public function test_options_php_follows_the_settings_group(): void {
		$GLOBALS['menu']    = array( array( 'Settings', 'manage_options', 'options-general.php' ) );
		$GLOBALS['submenu'] = array( 'options-general.php' => array( array( 'Helper', 'manage_options', 'page-helper' ) ) );
		$settings           = new Menu_Screen_Guard( array( 'options-general.php' => true ) );
		$helper             = new Menu_Screen_Guard( array( 'page-helper' => true ) );
		$writing            = new Menu_Screen_Guard( array( 'options-writing.php' => true ) );

		$this->assertTrue( $settings->is_denied( 'options.php', '', array() ), 'All Settings.' );
		$this->assertTrue( $settings->is_denied( 'options.php', '', array( 'option_page' => 'general' ) ) );
		$this->assertTrue( $settings->is_denied( 'options.php', '', array( 'option_page' => 'some_plugin_group' ) ), 'Unknown group: Settings.' );
		$this->assertFalse( $settings->is_denied( 'options.php', '', array( 'option_page' => 'page-helper' ) ), 'A plugin page\'s group is the page\'s.' );
		$this->assertTrue( $helper->is_denied( 'options.php', '', array( 'option_page' => 'page-helper' ) ) );
		$this->assertFalse( $helper->is_denied( 'options.php', '', array( 'option_page' => 'general' ) ) );
		$this->assertTrue( $writing->is_denied( 'options.php', '', array( 'option_page' => 'writing' ) ) );
		$this->assertFalse( $writing->is_denied( 'options.php', '', array( 'option_page' => 'reading' ) ) );
	}

	/**
	 * The denied slug, a request the row refuses with it, and one it does not (null for a
	 * row of fixed items: every request of it leads there).
	 *
	 * @param array<string, mixed> $row  The row.
	 * @param string               $item One of its items.
	 * @return array{0: string, 1: array<string, string>, 2: array<string, string>|null}
	 */
	private function case_for( array $row, string $item ): array {
		switch ( $row['by'] ) {
			case 'post_type':
				return array( $item . '?post_type=portfolio', array( 'post_type' => 'portfolio' ), array( 'post_type' => 'page' ) );
			case 'post':
				$arg = (string) $row['args'][0];
				return array( $item . '?post_type=portfolio', array( $arg => (string) $this->post( 'portfolio' ) ), array( $arg => (string) $this->post( 'page' ) ) );
			case 'revision':
				$arg = (string) $row['args'][0];
				return array( $item . '?post_type=portfolio', array( $arg => (string) $this->revision_of( $this->post( 'portfolio' ) ) ), array( $arg => (string) $this->revision_of( $this->post( 'page' ) ) ) );
			case 'taxonomy':
				return array( $item . '?taxonomy=category', array( 'taxonomy' => 'category' ), array( 'taxonomy' => 'post_tag' ) );
			case 'option_page':
				return array( $item, array( 'option_page' => 'general' ), array( 'option_page' => 'reading' ) );
			default:
				return array( $item, array(), null );
		}
	}

	/**
	 * A published post of a type.
	 *
	 * @param string $type The post type.
	 */
	private function post( string $type ): int {
		return (int) wp_insert_post(
			array(
				'post_type'   => $type,
				'post_title'  => 'A ' . $type,
				'post_status' => 'publish',
			)
		);
	}

	/**
	 * A revision of a post.
	 *
	 * @param int $parent The post.
	 */
	private function revision_of( int $parent ): int {
		return (int) wp_insert_post(
			array(
				'post_type'   => 'revision',
				'post_parent' => $parent,
				'post_status' => 'inherit',
				'post_name'   => $parent . '-revision-v1',
				'post_title'  => 'Old',
			)
		);
	}
}
