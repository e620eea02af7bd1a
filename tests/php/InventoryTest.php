<?php
/**
 * Tests of the inventory (GET /handoff/v1/inventory).
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Capabilities;
use Handoff\Companion\Inventory;

/**
 * The inventory as the bridge user reads it. Building it runs wp-admin/menu.php, which a
 * process can run only once: each test runs in a process of its own.
 *
 * @runTestsInSeparateProcesses
 * @preserveGlobalState disabled
 */
class InventoryTest extends Handoff_Test_Case {

	/**
	 * Reads the inventory through the REST route as the bridge user.
	 *
	 * @return array<string, mixed>
	 */
	private function read_inventory(): array {
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$response = $this->rest( 'GET', '/handoff/v1/inventory' );
		$this->assertSame( 200, $response->get_status(), wp_json_encode( $response->get_data() ) );
		return $this->rest_data( $response );
	}

	/**
	 * Finds the list entry whose $field is $value.
	 *
	 * @param array<int, array<string, mixed>> $list  A list of objects.
	 * @param string                           $field The field.
	 * @param mixed                            $value The value.
	 * @return array<string, mixed>
	 */
	private function find( array $list, string $field, $value ): array {
		foreach ( $list as $entry ) {
			if ( isset( $entry[ $field ] ) && $value === $entry[ $field ] ) {
				return $entry;
			}
		}
		$this->fail( "No entry with {$field} = " . wp_json_encode( $value ) . ' in ' . wp_json_encode( array_column( $list, $field ) ) );
	}

	/**
	 * The inventory validates against the plugin's JSON Schema and contains no null.
	 */
	public function test_the_inventory_matches_the_schema_and_has_no_null(): void {
		$inventory = $this->read_inventory();

		$this->assert_no_null( $inventory );
		$validator = new Handoff_Schema_Validator( HANDOFF_COMPANION_DIR . '/schema/inventory.schema.json' );
		$this->assertSame( array(), $validator->validate( $inventory ) );
		$this->assertSame( 1, $inventory['schema_version'] );
		$this->assertSame( Inventory::SCHEMA_VERSION, $inventory['schema_version'] );
		$this->assertMatchesRegularExpression( '/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/', $inventory['generated_at'] );
		$this->assertLessThan( 5, abs( strtotime( $inventory['generated_at'] ) - time() ) );
	}

	/**
	 * Site, software, plugins and themes describe the sandbox.
	 */
	public function test_the_inventory_describes_the_site(): void {
		$inventory = $this->read_inventory();

		$this->assertSame( 'Sandbox Client Co.', $inventory['site']['name'] );
		$this->assertSame( home_url(), $inventory['site']['home_url'] );
		$this->assertSame( site_url(), $inventory['site']['site_url'] );
		$this->assertSame( '/%postname%/', $inventory['site']['permalink_structure'] );
		$this->assertSame( 'local', $inventory['site']['environment_type'] );
		$this->assertSame( get_option( 'admin_email' ), $inventory['site']['admin_email'] );
		$this->assertSame( get_bloginfo( 'version' ), $inventory['software']['wordpress'] );
		$this->assertSame( HANDOFF_COMPANION_VERSION, $inventory['software']['plugin'] );
		$this->assertSame( PHP_VERSION, $inventory['software']['php'] );
		$this->assertStringContainsStringIgnoringCase( 'mariadb', $inventory['software']['database'] );

		$companion = $this->find( $inventory['plugins'], 'file', self::PLUGIN_FILE );
		$this->assertSame( 'Handoff Companion', $companion['name'] );
		$this->assertSame( HANDOFF_COMPANION_VERSION, $companion['version'] );
		$this->assertTrue( $companion['active'] );
		$this->assertFalse( $companion['must_use'] );
		$this->assertFalse( $companion['dropin'] );
		$this->assertSame( '', $companion['update_available'] );
		$this->assertTrue( $this->find( $inventory['plugins'], 'file', 'handoff-sandbox-extras/handoff-sandbox-extras.php' )['active'] );
		$this->assertSame( count( get_plugins() ), count( $inventory['plugins'] ), 'No must-use plugins or drop-ins in the sandbox.' );

		$theme = $this->find( $inventory['themes'], 'stylesheet', self::release_fact( 'theme' ) );
		$this->assertTrue( $theme['active'] );
		$this->assertSame( self::release_fact( 'theme_name' ), $theme['name'] );
		$this->assertCount( 1, array_filter( array_column( $inventory['themes'], 'active' ) ), 'Exactly one active theme.' );
	}

	/**
	 * Post types, taxonomies and roles, including the plugin's own role.
	 */
	public function test_the_inventory_lists_content_types_and_roles(): void {
		$inventory = $this->read_inventory();

		$portfolio = $this->find( $inventory['post_types'], 'name', 'portfolio' );
		$this->assertSame( 'Portfolio', $portfolio['label'] );
		$this->assertSame( 'Project', $portfolio['singular_label'] );
		$this->assertSame( 'dashicons-portfolio', $portfolio['menu_icon'] );
		$this->assertFalse( $portfolio['builtin'] );
		$this->assertSame( 'All Projects', $portfolio['labels']['all_items'] );
		$page = $this->find( $inventory['post_types'], 'name', 'page' );
		$this->assertTrue( $page['hierarchical'] );
		$this->assertSame( 'Pages', $page['labels']['menu_name'] );
		$this->assertSame( (int) wp_count_posts( 'page' )->publish + (int) wp_count_posts( 'page' )->draft, $page['count'] );
		$this->assertSame( array( 'post' ), $this->find( $inventory['taxonomies'], 'name', 'category' )['object_types'] );

		$bridge = $this->find( $inventory['roles'], 'name', Capabilities::BRIDGE_ROLE );
		$this->assertSame( 'Handoff bridge', $bridge['label'] );
		$this->assertSame( array( Capabilities::BRIDGE_CAP, 'read' ), $bridge['capabilities'] );
		$this->assertSame( 1, $bridge['user_count'] );
		$this->assertSame( 'Administrator', $this->find( $inventory['roles'], 'name', 'administrator' )['label'] );
		$this->assertSame( array_keys( wp_roles()->roles ), array_column( $inventory['roles'], 'name' ) );
	}

	/**
	 * Users: the exact total, each with their roles.
	 */
	public function test_the_inventory_counts_users(): void {
		$editor    = $this->create_user( 'editor' );
		$inventory = $this->read_inventory();

		$total = (int) count_users()['total_users'];
		$this->assertSame( $total, $inventory['users']['total'] );
		$this->assertFalse( $inventory['users']['truncated'] );
		$this->assertCount( $total, $inventory['users']['list'] );
		$listed = $this->find( $inventory['users']['list'], 'id', $editor->ID );
		$this->assertSame( array( 'editor' ), $listed['roles'] );
		$this->assertSame( $editor->user_login, $listed['login'] );
		$this->assertSame( array( Capabilities::BRIDGE_ROLE ), $this->find( $inventory['users']['list'], 'login', 'handoff-bridge' )['roles'] );
		$this->assertSame( array( 'administrator' ), $this->find( $inventory['users']['list'], 'login', 'admin' )['roles'] );
		$ids = array_column( $inventory['users']['list'], 'id' );
		$this->assertSame( $ids, array_values( array_unique( $ids ) ) );
		$sorted = $ids;
		sort( $sorted );
		$this->assertSame( $sorted, $ids, 'Users are listed by ID.' );
	}

	/**
	 * Past 500 users the list is cut, the total stays exact.
	 */
	public function test_the_user_list_is_capped_at_500(): void {
		global $wpdb;
		$counts      = count_users();
		$before      = (int) $counts['total_users'];
		$subscribers = (int) ( $counts['avail_roles']['subscriber'] ?? 0 );
		$rows          = array();
		for ( $i = 1; $i <= Inventory::USER_LIMIT; $i++ ) {
			$rows[] = $wpdb->prepare( '(%s, %s, %s, %s, %s)', "bulk-{$i}", '*', "bulk-{$i}", "bulk-{$i}@example.test", '2026-01-01 00:00:00' );
		}
		// phpcs:ignore WordPress.DB -- rows prepared above; 500 users in one statement.
		$wpdb->query( "INSERT INTO {$wpdb->users} (user_login, user_pass, user_nicename, user_email, user_registered) VALUES " . implode( ', ', $rows ) );
		// phpcs:ignore WordPress.DB -- a fixed statement: every bulk user is a subscriber.
		$wpdb->query( $wpdb->prepare( "INSERT INTO {$wpdb->usermeta} (user_id, meta_key, meta_value) SELECT ID, %s, %s FROM {$wpdb->users} WHERE user_login LIKE 'bulk-%%'", $wpdb->prefix . 'capabilities', maybe_serialize( array( 'subscriber' => true ) ) ) );
		wp_cache_flush();

		$inventory = $this->read_inventory();

		// The bulk users, the administrator who connected and the bridge user.
		$this->assertSame( $before + Inventory::USER_LIMIT + 2, $inventory['users']['total'] );
		$this->assertTrue( $inventory['users']['truncated'] );
		$this->assertCount( Inventory::USER_LIMIT, $inventory['users']['list'] );
		$this->assertSame( 'admin', $inventory['users']['list'][0]['login'], 'The first users by ID are kept.' );
		$this->assertSame( $subscribers + Inventory::USER_LIMIT, $this->find( $inventory['roles'], 'name', 'subscriber' )['user_count'] );
	}

	/**
	 * The bridge user's inventory has the admin menu, built from the API context.
	 */
	public function test_the_inventory_includes_the_admin_menu(): void {
		$inventory = $this->read_inventory();

		$this->assertSame( 'api', $inventory['admin_menu']['context'] );
		$this->assertNotEmpty( $inventory['admin_menu']['full'] );
		$this->assertSame( array_keys( wp_roles()->roles ), array_keys( $inventory['admin_menu']['by_role'] ) );
		$this->assertSame( array(), $inventory['admin_menu']['warnings'] );
	}
}
