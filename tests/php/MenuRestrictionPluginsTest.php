<?php
/**
 * Tests of how the inventory reports other menu-restriction plugins.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Inventory;
use Handoff\Companion\Menu_Restriction_Plugins;

/**
 * Active plugins that also hide menu items are reported with what their stored settings
 * say (options set as each plugin stores them); inactive ones are not; settings that
 * cannot be read say so. The inventory with them still matches its schema. Adminimize
 * names submenu items by their key in $submenu, which only a capture knows, and
 * wp-admin/menu.php runs once per process: each test runs in its own.
 *
 * @runTestsInSeparateProcesses
 * @preserveGlobalState disabled
 */
class MenuRestrictionPluginsTest extends Handoff_Test_Case {

	/**
	 * Marks plugins active (their files need not exist for is_plugin_active()).
	 *
	 * @param string ...$files Main files.
	 */
	private static function activate( string ...$files ): void {
		update_option( 'active_plugins', array_merge( (array) get_option( 'active_plugins', array() ), $files ) );
	}

	/**
	 * The entry of one plugin.
	 *
	 * @param array<int, array<string, mixed>> $found What detect() gave.
	 * @param string                           $file  The plugin's main file.
	 * @return array<string, mixed>
	 */
	private function entry( array $found, string $file ): array {
		foreach ( $found as $entry ) {
			if ( $file === $entry['plugin'] ) {
				return $entry;
			}
		}
		$this->fail( "{$file} is not reported: " . wp_json_encode( array_column( $found, 'plugin' ) ) );
	}

	/**
	 * A rule as detect() gives it.
	 *
	 * @param string $who    Who.
	 * @param string $parent The parent.
	 * @param string $slug   The slug.
	 * @param string $effect hidden or denied.
	 * @return array<string, string>
	 */
	private static function rule( string $who, string $parent, string $slug, string $effect = 'hidden' ): array {
		return array(
			'who'    => $who,
			'parent' => $parent,
			'slug'   => $slug,
			'effect' => $effect,
		);
	}

	/**
	 * Without any of them active, nothing is reported, even with their settings stored.
	 */
	public function test_nothing_is_reported_when_none_is_active(): void {
		update_option( 'mw_adminimize', array( 'mw_adminimize_disabled_menu_editor_items' => array( 'tools.php' ) ) );

		$this->assertSame( array(), Menu_Restriction_Plugins::detect() );
	}

	/**
	 * Adminimize: top-level items by slug, submenu items by `parent__key` resolved to the
	 * captured submenu's slug, per role.
	 */
	public function test_adminimize_rules_are_reported_per_role(): void {
		self::activate( 'adminimize/adminimize.php' );
		update_option(
			'mw_adminimize',
			array(
				'mw_adminimize_disabled_menu_editor_items'    => array( 'tools.php', 'edit-comments.php' ),
				'mw_adminimize_disabled_submenu_editor_items' => array( 'edit.php__10' ),
				'mw_adminimize_disabled_menu_author_items'    => array( 'upload.php' ),
				'_mw_adminimize_user_info'                    => 0,
			)
		);

		$inventory = Inventory::build();
		$entry     = $this->entry( $inventory['menu_restrictions'], 'adminimize/adminimize.php' );

		$this->assertSame( 'Adminimize', $entry['name'] );
		$this->assertSame( 'option mw_adminimize', $entry['settings'] );
		$this->assertTrue( $entry['rules_known'] );
		$this->assertEqualsCanonicalizing(
			array(
				self::rule( 'role:editor', '', 'tools.php' ),
				self::rule( 'role:editor', '', 'edit-comments.php' ),
				self::rule( 'role:editor', 'edit.php', 'post-new.php' ),
				self::rule( 'role:author', '', 'upload.php' ),
			),
			$entry['hides']
		);
		$validator = new Handoff_Schema_Validator( HANDOFF_COMPANION_DIR . '/schema/inventory.schema.json' );
		$this->assertSame( array(), $validator->validate( $inventory ) );
		$this->assert_no_null( $inventory );
	}

	/**
	 * Admin Menu Editor (free and Pro): blocked (`grant_access` false) and hidden items per
	 * actor, children included; hidden from everyone.
	 */
	public function test_admin_menu_editor_rules_are_reported_per_actor(): void {
		self::activate( 'admin-menu-editor/menu-editor.php', 'admin-menu-editor-pro/menu-editor.php' );
		$tree = array(
			'>tools.php'         => array(
				'template_id'  => '>tools.php',
				'file'         => null,
				'defaults'     => array( 'file' => 'tools.php' ),
				'grant_access' => array(
					'role:editor' => false,
					'role:author' => true,
				),
				'items'        => array(),
			),
			'>edit.php'          => array(
				'template_id' => '>edit.php',
				'defaults'    => array( 'file' => 'edit.php' ),
				'items'       => array(
					array(
						'template_id'       => 'edit.php>post-new.php',
						'defaults'          => array( 'file' => 'post-new.php' ),
						'hidden_from_actor' => array( 'user:client' => true ),
					),
				),
			),
			'>edit-comments.php' => array(
				'template_id' => '>edit-comments.php',
				'hidden'      => true,
			),
		);
		update_option(
			'ws_menu_editor',
			array(
				'custom_menu' => array(
					'tree'   => $tree,
					'format' => array(
						'name'    => 'Admin Menu Editor menu',
						'version' => '7.0',
					),
				),
			)
		);
		update_option(
			'ws_menu_editor_pro',
			array(
				'custom_menu' => array(
					'tree'   => array(),
					'format' => array( 'compressed' => true ),
				),
			)
		);

		$found = Menu_Restriction_Plugins::detect();
		$free  = $this->entry( $found, 'admin-menu-editor/menu-editor.php' );
		$pro   = $this->entry( $found, 'admin-menu-editor-pro/menu-editor.php' );

		$this->assertTrue( $free['rules_known'] );
		$this->assertEqualsCanonicalizing(
			array(
				self::rule( 'role:editor', '', 'tools.php', 'denied' ),
				self::rule( 'user:client', 'edit.php', 'post-new.php' ),
				self::rule( 'everyone', '', 'edit-comments.php' ),
			),
			$free['hides']
		);
		$this->assertFalse( $pro['rules_known'] );
		$this->assertSame( array(), $pro['hides'] );
		$this->assertStringContainsString( 'compressed', $pro['note'] );
	}

	/**
	 * White Label CMS hides its items from everyone but its own administrators, and only
	 * when its menu setting is on.
	 */
	public function test_white_label_cms_rules_count_only_when_enabled(): void {
		self::activate( 'white-label-cms/wlcms-plugin.php' );
		$settings = array(
			'enable_wlcms_admin' => false,
			'admin_menus'        => array(
				'main' => array( 'tools.php' ),
				'sub'  => array( 'options-general.php_wlcms_options-writing-php' ),
			),
		);
		update_option( 'wlcms_options', $settings );
		$off = $this->entry( Menu_Restriction_Plugins::detect(), 'white-label-cms/wlcms-plugin.php' );

		$settings['enable_wlcms_admin'] = 1;
		update_option( 'wlcms_options', $settings );
		$on = $this->entry( Menu_Restriction_Plugins::detect(), 'white-label-cms/wlcms-plugin.php' );

		$this->assertSame( array(), $off['hides'] );
		$this->assertSame(
			array(
				self::rule( 'everyone', '', 'tools.php' ),
				self::rule( 'everyone', 'options-general.php', 'options-writing-php' ),
			),
			$on['hides']
		);
	}

	/**
	 * User Role Editor Pro names blocked items by hashes: the roles are reported, the items
	 * are not known. Settings of an unexpected shape are left out, never a failure.
	 */
	public function test_user_role_editor_pro_reports_roles_but_not_items(): void {
		self::activate( 'user-role-editor-pro/user-role-editor-pro.php', 'adminimize/adminimize.php' );
		update_option(
			'ure_admin_menu_access_data',
			array(
				'editor'    => array(
					'access_model' => 1,
					'data'         => array( 'a3f0c1' ),
				),
				'not_a_role' => array( 'data' => array( 'ffff' ) ),
			)
		);
		update_option( 'mw_adminimize', 'garbage' );

		$found = Menu_Restriction_Plugins::detect();
		$ure   = $this->entry( $found, 'user-role-editor-pro/user-role-editor-pro.php' );

		$this->assertFalse( $ure['rules_known'] );
		$this->assertSame( array(), $ure['hides'] );
		$this->assertStringContainsString( 'editor', $ure['note'] );
		$this->assertStringNotContainsString( 'not_a_role', $ure['note'] );
		$this->assertSame( array(), $this->entry( $found, 'adminimize/adminimize.php' )['hides'] );
	}
}
