<?php
/**
 * Tests of where the menu profile is kept.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Menu_Profile_Api;
use Handoff\Companion\Menu_Profile_Store;
use Handoff\Companion\Options;

/**
 * Versions that only grow, 409 on a stale version, the history of 10, rollback, removal,
 * the hash the backend computes too, and the options' autoload flags.
 */
class MenuProfileStoreTest extends Handoff_Test_Case {

	/**
	 * A small valid profile.
	 *
	 * @param string $name Its name.
	 * @return stdClass
	 */
	private static function profile( string $name = 'Editors' ): stdClass {
		return json_decode(
			(string) wp_json_encode(
				array(
					'schema_version' => 1,
					'name'           => $name,
					'targets'        => array( 'roles' => array( 'editor' ) ),
					'exempt_users'   => array( 'admin' ),
					'menu'           => array(
						array(
							'slug'  => 'index.php',
							'state' => 'visible',
						),
					),
					'admin_bar'      => new stdClass(),
				)
			)
		);
	}

	/**
	 * The two options' rows.
	 *
	 * @return array<string, array{value: string, autoload: string}>
	 */
	private static function rows(): array {
		global $wpdb;
		$rows = array();
		// phpcs:ignore WordPress.DB -- a fixed query of the test.
		foreach ( $wpdb->get_results( $wpdb->prepare( "SELECT option_name, option_value, autoload FROM {$wpdb->options} WHERE option_name IN ( %s, %s )", Options::MENU, Options::MENU_HISTORY ) ) as $row ) {
			$rows[ $row->option_name ] = array(
				'value'    => $row->option_value,
				'autoload' => $row->autoload,
			);
		}
		return $rows;
	}

	/**
	 * Signs in as the bridge user (`applied_by`).
	 */
	protected function setUp(): void {
		parent::setUp();
		wp_set_current_user( $this->connect_bridge()['user']->ID );
	}

	/**
	 * The canonical JSON sorts object keys at every depth, keeps lists in order, writes
	 * `{}` and `[]` as they are, and leaves UTF-8 (U+2028 included) and slashes unescaped:
	 * its SHA-256 is the one Python's json.dumps( sort_keys=True, separators=( ',', ':' ),
	 * ensure_ascii=False ) gives.
	 */
	public function test_the_canonical_json_and_its_hash(): void {
		$profile = json_decode( '{"schema_version": 1, "name": "Caf\u00e9 / \u00dcber \u201cquotes\u201d \u2028 line", "targets": {"users": ["client"], "roles": ["editor"]}, "menu": [{"state": "visible", "slug": "edit.php?post_type=page&x=1"}, {"slug": "index.php", "state": "hidden"}], "admin_bar": {}, "custom_links": [{"url": "https://a.example/x/y", "label": "Sup\"port\\\\"}], "description": "tab\there \ud83d\ude00"}' );

		$canonical = Menu_Profile_Store::canonical_json( $profile );

		$this->assertSame( '{"admin_bar":{},"custom_links":[{"label":"Sup\"port\\\\","url":"https://a.example/x/y"}],"description":"tab\there ' . "\u{1F600}" . '","menu":[{"slug":"edit.php?post_type=page&x=1","state":"visible"},{"slug":"index.php","state":"hidden"}],"name":"Café / Über “quotes” ' . "\u{2028}" . ' line","schema_version":1,"targets":{"roles":["editor"],"users":["client"]}}', $canonical );
		$this->assertSame( '594ceb123c3d288d66d69d6b303edba6850cfdf7963ab22db304e16cf6159141', Menu_Profile_Store::hash( $profile ), 'The hash Python computes for the same profile.' );
		$this->assertSame( hash( 'sha256', $canonical ), Menu_Profile_Store::hash( $profile ) );
		$this->assertSame( '[]', Menu_Profile_Store::canonical_json( array() ) );
		$this->assertSame( '{}', Menu_Profile_Store::canonical_json( new stdClass() ) );
	}

	/**
	 * Versions count up from 1; each write names the version it replaces; the stored
	 * hash is the profile's; the active option is autoloaded, the history not.
	 */
	public function test_versions_and_storage(): void {
		$store = new Menu_Profile_Store();
		$this->assertNull( $store->current() );
		$this->assertNull( Menu_Profile_Store::active_profile() );

		$first = $store->put( self::profile( 'One' ), 0, 'someone' );
		$this->assertSame( 1, $first['version'] );
		$this->assertSame( Menu_Profile_Store::hash( self::profile( 'One' ) ), $first['hash'] );
		$this->assertSame( 'someone', $first['applied_by'] );
		$this->assertEqualsWithDelta( time(), $first['applied_at'], 5 );

		$second = $store->put( self::profile( 'Two' ), 1, 'someone' );
		$this->assertSame( 2, $second['version'] );

		$rows = self::rows();
		$this->assertSame( self::stored_autoload( true ), $rows[ Options::MENU ]['autoload'] );
		$this->assertSame( self::stored_autoload( false ), $rows[ Options::MENU_HISTORY ]['autoload'] );
		$entry = json_decode( $rows[ Options::MENU ]['value'], true );
		$this->assertSame( array( 'version', 'hash', 'profile', 'applied_at', 'applied_by' ), array_keys( $entry ) );
		$this->assertSame( 'Two', $entry['profile']['name'] );
		$this->assertSame( '{}', (string) wp_json_encode( $store->current()['profile']->admin_bar ), '{} stays an object.' );
		$this->assertSame( array( 1 ), array_column( $store->history(), 'version' ) );
		$this->assertSame( 'Two', Menu_Profile_Store::active_profile()['name'] );
	}

	/**
	 * A write naming another version than the current one is refused with 409, the
	 * current version, and nothing changed.
	 */
	public function test_a_stale_version_is_a_409_and_changes_nothing(): void {
		$store = new Menu_Profile_Store();
		$store->put( self::profile(), 0, 'a' );
		$store->put( self::profile( 'Second' ), 1, 'a' );
		$before = self::rows();

		foreach ( array( 0, 1, 3 ) as $stale ) {
			$error = $store->put( self::profile( 'Late' ), $stale, 'b' );
			$this->assertInstanceOf( WP_Error::class, $error );
			$this->assertSame( 'handoff_version_conflict', $error->get_error_code() );
			$this->assertSame(
				array(
					'status'           => 409,
					'current_version'  => 2,
					'replaces_version' => $stale,
				),
				$error->get_error_data()
			);
			$this->assertStringContainsString( "version 2, not {$stale}", $error->get_error_message() );
			$this->assertInstanceOf( WP_Error::class, $store->delete( $stale, 'b' ) );
		}
		$this->assertSame( $before, self::rows() );
	}

	/**
	 * The history keeps the last 10 earlier entries, newest first.
	 */
	public function test_the_history_keeps_ten(): void {
		$store = new Menu_Profile_Store();
		for ( $version = 1; $version <= 13; $version++ ) {
			$store->put( self::profile( "Version {$version}" ), $version - 1, 'a' );
		}
		$this->assertSame( 13, $store->current()['version'] );
		$this->assertSame( range( 12, 3 ), array_column( $store->history(), 'version' ) );
		$this->assertSame( 'Version 12', $store->history()[0]['profile']->name );

		$answer = Menu_Profile_Api::get();
		$this->assertSame( range( 12, 3 ), array_column( $answer['history'], 'version' ) );
		$this->assertSame( array( 'version', 'hash', 'applied_at', 'applied_by', 'name' ), array_keys( $answer['history'][0] ) );
		$this->assertSame( 'Version 12', $answer['history'][0]['name'] );
	}

	/**
	 * A rollback stores a history entry again as a new version (0: the newest entry);
	 * an unknown version is 404; a stale one 409.
	 */
	public function test_rollback(): void {
		$store = new Menu_Profile_Store();
		$store->put( self::profile( 'One' ), 0, 'a' );
		$store->put( self::profile( 'Two' ), 1, 'a' );

		$rolled = Menu_Profile_Api::rollback( 0, 2 );
		$this->assertSame( 3, $rolled['version'] );
		$this->assertSame( 1, $rolled['restored_version'] );
		$this->assertSame( 'One', $rolled['name'] );
		$this->assertSame( Menu_Profile_Store::hash( self::profile( 'One' ) ), $rolled['hash'] );
		$this->assertSame( 'One', $store->current()['profile']->name );
		$this->assertSame( array( 2, 1 ), array_column( $store->history(), 'version' ) );

		$again = Menu_Profile_Api::rollback( 2, 3 );
		$this->assertSame( 4, $again['version'] );
		$this->assertSame( 'Two', $store->current()['profile']->name );

		$before  = self::rows();
		$missing = Menu_Profile_Api::rollback( 99, 4 );
		$this->assertSame( 'handoff_no_such_version', $missing->get_error_code() );
		$this->assertSame( 404, $missing->get_error_data()['status'] );
		$this->assertSame( 99, $missing->get_error_data()['version'] );
		$this->assertSame( array( 3, 2, 1 ), $missing->get_error_data()['versions'] );
		$this->assertSame( 409, Menu_Profile_Api::rollback( 1, 3 )->get_error_data()['status'] );
		$this->assertSame( 400, Menu_Profile_Api::rollback( 'x', 4 )->get_error_data()['status'] );
		$this->assertSame( $before, self::rows() );
	}

	/**
	 * A rollback validates the old profile again: a user it targets may be gone.
	 */
	public function test_a_rollback_is_validated_again(): void {
		$gone    = $this->create_user( 'author', array( 'user_login' => 'gone-soon' ) );
		$profile = self::profile( 'With a user' );

		$profile->targets->users = array( 'gone-soon' );
		$this->assertIsArray( Menu_Profile_Api::put( $profile, 0 ) );
		$this->assertIsArray( Menu_Profile_Api::put( self::profile( 'Later' ), 1 ) );
		wp_delete_user( $gone->ID );
		$before = self::rows();

		$result = Menu_Profile_Api::rollback( 1, 2 );
		$this->assertSame( 'handoff_invalid_profile', $result->get_error_code() );
		$this->assertSame( 'targets/users/0', $result->get_error_data()['errors'][0]['path'] );
		$this->assertSame( $before, self::rows() );
	}

	/**
	 * Removing the profile is a version of its own, with `{}` and no hash: everyone gets
	 * the full menu, the removed entry is in the history, a rollback brings it back, and
	 * version numbers are never used twice.
	 */
	public function test_delete(): void {
		$store = new Menu_Profile_Store();
		$store->put( self::profile( 'One' ), 0, 'a' );
		$store->put( self::profile( 'Two' ), 1, 'a' );

		$removed = Menu_Profile_Api::delete( 2 );
		$this->assertSame(
			array(
				'version'         => 3,
				'hash'            => '',
				'deleted_version' => 2,
			),
			$removed
		);
		$this->assertNull( Menu_Profile_Store::active_profile(), 'Nothing to apply.' );
		$answer = Menu_Profile_Api::get();
		$this->assertSame( 3, $answer['version'] );
		$this->assertSame( '', $answer['hash'] );
		$this->assertEquals( new stdClass(), $answer['profile'] );
		$this->assertSame( array( 2, 1 ), array_column( $answer['history'], 'version' ) );

		$this->assertSame( 3, Menu_Profile_Api::delete( 3 )['version'], 'Removing nothing changes nothing.' );
		$this->assertSame( 0, Menu_Profile_Api::delete( 3 )['deleted_version'] );
		$this->assertSame( 409, Menu_Profile_Api::delete( 2 )->get_error_data()['status'] );

		$back = Menu_Profile_Api::rollback( 0, 3 );
		$this->assertSame( 4, $back['version'] );
		$this->assertSame( 'Two', Menu_Profile_Store::active_profile()['name'] );
		$this->assertSame( array( 2, 1 ), array_column( $store->history(), 'version' ), 'The removal is not a history entry.' );

		Menu_Profile_Api::delete( 4 );
		$this->assertSame( 6, Menu_Profile_Api::put( self::profile( 'Three' ), 5 )['version'] );
	}

	/**
	 * With no profile ever, deleting changes nothing and a write names version 0.
	 */
	public function test_delete_without_a_profile(): void {
		$this->assertSame(
			array(
				'version'         => 0,
				'hash'            => '',
				'deleted_version' => 0,
			),
			Menu_Profile_Api::delete( 0 )
		);
		$this->assertSame( array(), self::rows() );
		$this->assertSame( 409, Menu_Profile_Api::delete( 1 )->get_error_data()['status'] );
		$this->assertSame( 400, Menu_Profile_Api::delete( null )->get_error_data()['status'] );
	}

	/**
	 * Reading the active profile for applying it costs no query, with a profile or none.
	 */
	public function test_reading_the_active_profile_costs_no_query(): void {
		global $wpdb;
		wp_load_alloptions();
		$before = $wpdb->num_queries;
		$this->assertNull( Menu_Profile_Store::active_profile() );
		$this->assertSame( $before, $wpdb->num_queries );

		( new Menu_Profile_Store() )->put( self::profile(), 0, 'a' );
		wp_cache_flush();
		wp_load_alloptions();
		$before = $wpdb->num_queries;
		$this->assertSame( 'Editors', Menu_Profile_Store::active_profile()['name'] );
		$this->assertSame( $before, $wpdb->num_queries );
	}

	/**
	 * Uninstall removes both options.
	 */
	public function test_uninstall_knows_both_options(): void {
		$this->assertContains( Options::MENU, Options::all() );
		$this->assertContains( Options::MENU_HISTORY, Options::all() );
	}
}
