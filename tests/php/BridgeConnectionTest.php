<?php
/**
 * Tests of connecting, rotating and disconnecting the backend.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Bridge_Connection;
use Handoff\Companion\Capabilities;
use Handoff\Companion\Options;
use Handoff\Companion\Plugin;

/**
 * Bridge_Connection: the bridge user, its Application Password and the connection key.
 */
class BridgeConnectionTest extends Handoff_Test_Case {

	/**
	 * Whether an Application Password signs a user in (as in a REST or XML-RPC request).
	 *
	 * @param string $login    The login.
	 * @param string $password The Application Password.
	 * @return WP_User|WP_Error|null
	 */
	private function authenticate( string $login, string $password ) {
		$this->accept_application_passwords();
		return wp_authenticate_application_password( null, $login, $password );
	}

	/**
	 * An administrator gets the key and the bridge user's login, nothing else.
	 */
	public function test_connect_as_administrator_returns_the_key_and_the_login(): void {
		$this->log_in_as( 'administrator' );
		$result = ( new Bridge_Connection() )->connect();

		$this->assertIsArray( $result );
		$this->assertSame( array( 'key', 'user_login' ), array_keys( $result ) );
		$this->assertSame( 'handoff-bridge', $result['user_login'] );
		$this->assertStringStartsWith( 'handoff1.', $result['key'] );
	}

	/**
	 * The key decodes to exactly the documented fields, in order, with a correct check.
	 */
	public function test_the_key_holds_exactly_the_documented_fields(): void {
		$connection = $this->connect_bridge();
		$payload    = $connection['payload'];

		$this->assertSame( array( 'v', 'url', 'rest', 'xmlrpc', 'user', 'password', 'env', 'check' ), array_keys( $payload ) );
		$this->assertSame( 1, $payload['v'] );
		$this->assertSame( home_url(), $payload['url'] );
		$this->assertSame( rest_url(), $payload['rest'] );
		$this->assertSame( 'http://' . getenv( 'HANDOFF_WP_HOST' ) . '/wp-json/', $payload['rest'], 'Pretty permalinks: /wp-json/.' );
		$this->assertSame( site_url( 'xmlrpc.php' ), $payload['xmlrpc'] );
		$this->assertSame( $connection['login'], $payload['user'] );
		$this->assertSame( 'local', $payload['env'] );
		$this->assertMatchesRegularExpression( '/^[A-Za-z0-9]{24}$/', $payload['password'] );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{8}$/', $payload['check'] );
		$this->assertSame(
			substr( hash( 'sha256', $payload['url'] . "\n" . $payload['user'] . "\n" . $payload['password'] ), 0, 8 ),
			$payload['check']
		);
	}

	/**
	 * encode_key() is deterministic and the check covers every part it claims to.
	 */
	public function test_encode_key_check_covers_url_user_and_password(): void {
		$key = Bridge_Connection::encode_key( 'someone', 'abcdefghijklmnopqrstuvwx' );
		$this->assertSame( $key, Bridge_Connection::encode_key( 'someone', 'abcdefghijklmnopqrstuvwx' ) );
		$check = $this->decode_key( $key )['check'];
		$this->assertNotSame( $check, $this->decode_key( Bridge_Connection::encode_key( 'someone', 'abcdefghijklmnopqrstuvwy' ) )['check'] );
		$this->assertNotSame( $check, $this->decode_key( Bridge_Connection::encode_key( 'someone2', 'abcdefghijklmnopqrstuvwx' ) )['check'] );
		add_filter(
			'home_url',
			static function () {
				return 'https://client.example.test';
			}
		);
		$moved = $this->decode_key( Bridge_Connection::encode_key( 'someone', 'abcdefghijklmnopqrstuvwx' ) );
		$this->assertSame( 'https://client.example.test', $moved['url'] );
		$this->assertNotSame( $check, $moved['check'] );
	}

	/**
	 * Unicode and slashes in the site URL are kept as they are in the JSON (no escaping).
	 */
	public function test_the_key_json_keeps_slashes_and_unicode_unescaped(): void {
		add_filter(
			'home_url',
			static function () {
				return 'https://café.example.test/shop';
			}
		);
		$key  = Bridge_Connection::encode_key( 'bridge', 'abcdefghijklmnopqrstuvwx' );
		$json = base64_decode( strtr( substr( $key, 9 ), '-_', '+/' ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions -- decoding the key format.
		$this->assertStringContainsString( '"url":"https://café.example.test/shop"', $json );
		$this->assertStringNotContainsString( '=', $key, 'No base64 padding.' );
	}

	/**
	 * The password in the key signs the bridge user in; it is the "Handoff backend" password.
	 */
	public function test_the_password_in_the_key_signs_the_bridge_user_in(): void {
		$connection = $this->connect_bridge();

		$signed_in = $this->authenticate( $connection['login'], $connection['password'] );
		$this->assertInstanceOf( WP_User::class, $signed_in );
		$this->assertSame( $connection['user']->ID, $signed_in->ID );

		$passwords = WP_Application_Passwords::get_user_application_passwords( $connection['user']->ID );
		$this->assertCount( 1, $passwords );
		$this->assertSame( Options::APP_PASSWORD_NAME, $passwords[0]['name'] );
		$this->assertSame( 'Handoff backend', Options::APP_PASSWORD_NAME );
	}

	/**
	 * The bridge user has the bridge role only, an address nobody receives, and no power.
	 */
	public function test_the_bridge_user_has_only_the_bridge_role(): void {
		$user = $this->connect_bridge()['user'];

		$this->assertSame( array( Capabilities::BRIDGE_ROLE ), array_values( $user->roles ) );
		$this->assertSame( 'handoff-bridge@handoff.invalid', $user->user_email );
		$this->assertSame( 'Handoff backend', $user->display_name );
		$this->assertSame( array( $user->ID ), $this->bridge_role_user_ids() );
		$this->assertTrue( user_can( $user, 'read' ) );
		$this->assertTrue( user_can( $user, Capabilities::BRIDGE_CAP ) );
		foreach ( array( 'edit_posts', 'upload_files', 'list_users', 'create_users', 'edit_users', 'promote_users', 'manage_options', 'install_plugins', 'activate_plugins', 'edit_theme_options', 'unfiltered_html' ) as $capability ) {
			$this->assertFalse( user_can( $user, $capability ), "The bridge user must not have {$capability}." );
		}
		$this->assertFalse( wp_check_password( '', $user->user_pass, $user->ID ), 'The login password is not empty.' );
	}

	/**
	 * Connecting records who connected whom and when, not autoloaded, without the password.
	 */
	public function test_connect_records_the_connection_without_the_password(): void {
		global $wpdb;
		$before     = time();
		$connection = $this->connect_bridge();

		$stored = get_option( Options::CONNECTION );
		$this->assertSame( array( 'user_id', 'connected_at', 'connected_by' ), array_keys( $stored ) );
		$this->assertSame( $connection['user']->ID, $stored['user_id'] );
		$this->assertSame( $connection['admin']->ID, $stored['connected_by'] );
		$this->assertGreaterThanOrEqual( $before, $stored['connected_at'] );
		$this->assertLessThanOrEqual( time(), $stored['connected_at'] );
		$this->assertSame( self::stored_autoload( false ), $wpdb->get_var( $wpdb->prepare( "SELECT autoload FROM {$wpdb->options} WHERE option_name = %s", Options::CONNECTION ) ) );

		// The password is nowhere in plain text: WordPress keeps only a hash.
		$like = '%' . $wpdb->esc_like( $connection['password'] ) . '%';
		$this->assertSame( '0', $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->options} WHERE option_value LIKE %s", $like ) ) );
		$this->assertSame( '0', $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->usermeta} WHERE meta_value LIKE %s", $like ) ) );
	}

	/**
	 * is_connected() and password_details() follow connect and disconnect.
	 */
	public function test_is_connected_follows_the_password(): void {
		$bridge = new Bridge_Connection();
		$this->assertFalse( $bridge->is_connected() );
		$this->assertNull( $bridge->password_details() );
		$this->assertNull( $bridge->bridge_user() );

		$connection = $this->connect_bridge();
		$this->assertTrue( $bridge->is_connected() );
		$this->assertSame( Options::APP_PASSWORD_NAME, $bridge->password_details()['name'] );
		$this->assertSame( $connection['user']->ID, $bridge->bridge_user()->ID );
	}

	/**
	 * Connecting again rotates: same user, one password, the old one no longer works.
	 */
	public function test_connecting_again_rotates_the_password(): void {
		$first  = $this->connect_bridge();
		$second = $this->connect_bridge();

		$this->assertSame( $first['user']->ID, $second['user']->ID, 'The same bridge user is reused.' );
		$this->assertSame( $first['login'], $second['login'] );
		$this->assertNotSame( $first['password'], $second['password'] );
		$this->assertNotSame( $first['key'], $second['key'] );
		$this->assertSame( array( $first['user']->ID ), $this->bridge_role_user_ids() );
		$this->assertSame( array( array( $first['user']->ID, Options::APP_PASSWORD_NAME ) ), $this->all_application_passwords() );

		$old = $this->authenticate( $first['login'], $first['password'] );
		$this->assertWPError( $old );
		$this->assertSame( 'incorrect_password', $old->get_error_code() );
		$this->assertInstanceOf( WP_User::class, $this->authenticate( $second['login'], $second['password'] ) );
	}

	/**
	 * A login taken by someone else gets a suffix; that person is left alone.
	 */
	public function test_a_login_taken_by_someone_else_gets_a_suffix(): void {
		$person = $this->create_user( 'subscriber', array( 'user_login' => 'handoff-bridge' ) );

		$connection = $this->connect_bridge();

		$this->assertSame( 'handoff-bridge-2', $connection['login'] );
		$this->assertSame( 'handoff-bridge-2', $connection['payload']['user'] );
		$this->assertSame( 'handoff-bridge-2@handoff.invalid', $connection['user']->user_email );
		$this->assertNotSame( $person->ID, $connection['user']->ID );
		$person = get_user_by( 'id', $person->ID );
		$this->assertSame( array( 'subscriber' ), array_values( $person->roles ) );
		$this->assertSame( array(), WP_Application_Passwords::get_user_application_passwords( $person->ID ) );
		$this->assertInstanceOf( WP_User::class, $this->authenticate( 'handoff-bridge-2', $connection['password'] ) );
	}

	/**
	 * The suffix keeps counting past other taken logins.
	 */
	public function test_the_suffix_skips_every_taken_login(): void {
		$this->create_user( 'subscriber', array( 'user_login' => 'handoff-bridge' ) );
		$this->create_user( 'editor', array( 'user_login' => 'handoff-bridge-2' ) );
		$this->assertSame( 'handoff-bridge-3', $this->connect_bridge()['login'] );
	}

	/**
	 * Who may not connect.
	 *
	 * @return array<string, array{0: string}>
	 */
	public function non_administrators(): array {
		return array(
			'anonymous'   => array( '' ),
			'subscriber'  => array( 'subscriber' ),
			'contributor' => array( 'contributor' ),
			'author'      => array( 'author' ),
			'editor'      => array( 'editor' ),
			'bridge'      => array( Capabilities::BRIDGE_ROLE ),
		);
	}

	/**
	 * Anyone but an administrator gets an error, and nothing is created.
	 *
	 * @dataProvider non_administrators
	 *
	 * @param string $role The role of the current user ('' for nobody).
	 */
	public function test_connect_is_refused_to_non_administrators( string $role ): void {
		if ( '' !== $role ) {
			$this->log_in_as( $role );
		}
		$before = $this->site_state();

		$result = ( new Bridge_Connection() )->connect();

		$this->assertWPError( $result );
		$this->assertSame( 'handoff_cannot_connect', $result->get_error_code() );
		$this->assertSame( $before, $this->site_state(), 'Nothing was written.' );
		$this->assertFalse( username_exists( 'handoff-bridge' ) );
	}

	/**
	 * Disconnect deletes the bridge user, its passwords and the connection record.
	 */
	public function test_disconnect_deletes_the_user_and_its_passwords(): void {
		global $wpdb;
		$connection = $this->connect_bridge();
		$this->log_in_as( 'administrator' );

		$this->assertTrue( ( new Bridge_Connection() )->disconnect() );

		$this->assertFalse( get_user_by( 'id', $connection['user']->ID ) );
		$this->assertSame( array(), $this->bridge_role_user_ids() );
		$this->assertSame( array(), $this->all_application_passwords() );
		$this->assertFalse( get_option( Options::CONNECTION ) );
		$this->assertSame( '0', $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->usermeta} WHERE user_id = %d", $connection['user']->ID ) ) );
		$this->assertNotInstanceOf( WP_User::class, $this->authenticate( $connection['login'], $connection['password'] ) );
		// The role stays (only uninstall removes it), ready for the next Connect.
		$this->assertInstanceOf( WP_Role::class, get_role( Capabilities::BRIDGE_ROLE ) );
	}

	/**
	 * After a disconnect, Connect creates a fresh user under the same login.
	 */
	public function test_connect_after_disconnect_starts_afresh(): void {
		$first = $this->connect_bridge();
		$this->log_in_as( 'administrator' );
		( new Bridge_Connection() )->disconnect();

		$second = $this->connect_bridge();
		$this->assertSame( 'handoff-bridge', $second['login'] );
		$this->assertNotSame( $first['user']->ID, $second['user']->ID );
	}

	/**
	 * Anyone but an administrator is refused and nothing changes.
	 *
	 * @dataProvider non_administrators
	 *
	 * @param string $role The role of the current user ('' for nobody).
	 */
	public function test_disconnect_is_refused_to_non_administrators( string $role ): void {
		$connection = $this->connect_bridge();
		if ( '' !== $role ) {
			$this->log_in_as( $role );
		}
		$before = $this->site_state();

		$result = ( new Bridge_Connection() )->disconnect();

		$this->assertWPError( $result );
		$this->assertSame( 'handoff_cannot_disconnect', $result->get_error_code() );
		$this->assertSame( $before, $this->site_state() );
		$this->assertInstanceOf( WP_User::class, $this->authenticate( $connection['login'], $connection['password'] ) );
	}

	/**
	 * Disconnecting a site that is not connected succeeds and deletes nobody.
	 */
	public function test_disconnect_when_not_connected_deletes_nobody(): void {
		$person = $this->create_user( Capabilities::BRIDGE_ROLE, array( 'user_login' => 'handoff-bridge' ) );
		$this->log_in_as( 'administrator' );
		$before = $this->site_state();

		$this->assertTrue( ( new Bridge_Connection() )->disconnect() );

		$this->assertSame( $before, $this->site_state() );
		$this->assertInstanceOf( WP_User::class, get_user_by( 'id', $person->ID ) );
	}

	/**
	 * A recorded user who no longer has the bridge role is not the bridge user: Disconnect
	 * does not delete them.
	 */
	public function test_a_recorded_user_without_the_role_is_not_deleted(): void {
		$connection = $this->connect_bridge();
		$connection['user']->set_role( 'editor' );
		$this->log_in_as( 'administrator' );

		$this->assertNull( ( new Bridge_Connection() )->bridge_user() );
		$this->assertTrue( ( new Bridge_Connection() )->disconnect() );
		$this->assertInstanceOf( WP_User::class, get_user_by( 'id', $connection['user']->ID ) );
	}

	/**
	 * Deactivating the plugin revokes the password at once but keeps the user, so a
	 * reconnect reuses it.
	 */
	public function test_deactivation_revokes_the_password_and_keeps_the_user(): void {
		$connection = $this->connect_bridge();

		deactivate_plugins( self::PLUGIN_FILE );

		$this->assertFalse( is_plugin_active( self::PLUGIN_FILE ), 'The plugin was deactivated.' );
		$this->assertSame( array(), $this->all_application_passwords() );
		$user = get_user_by( 'id', $connection['user']->ID );
		$this->assertInstanceOf( WP_User::class, $user );
		$this->assertSame( array( Capabilities::BRIDGE_ROLE ), array_values( $user->roles ) );
		$this->assertNotInstanceOf( WP_User::class, $this->authenticate( $connection['login'], $connection['password'] ) );
		$this->assertFalse( ( new Bridge_Connection() )->is_connected() );

		$again = $this->connect_bridge();
		$this->assertSame( $connection['user']->ID, $again['user']->ID );
	}

	/**
	 * Plugin::deactivate() itself, for a site that is not connected: nothing happens.
	 */
	public function test_deactivate_without_connection_changes_nothing(): void {
		$before = $this->site_state();
		Plugin::deactivate();
		$this->assertSame( $before, $this->site_state() );
	}

	/**
	 * Deactivation revokes only the bridge user's passwords, not other users'.
	 */
	public function test_deactivation_leaves_other_users_passwords_alone(): void {
		$editor = $this->create_user( 'editor' );
		WP_Application_Passwords::create_new_application_password( $editor->ID, array( 'name' => Options::APP_PASSWORD_NAME ) );
		$this->connect_bridge();

		Plugin::deactivate();

		$this->assertSame( array( array( $editor->ID, Options::APP_PASSWORD_NAME ) ), $this->all_application_passwords() );
	}

	/**
	 * When Application Passwords are turned off (often by a security plugin), Connect fails
	 * with a clear error and leaves nothing behind.
	 *
	 */
	public function test_connect_with_application_passwords_turned_off_leaves_nothing(): void {
		add_filter( 'wp_is_application_passwords_available', '__return_false' );
		$this->log_in_as( 'administrator' );
		$before = $this->site_state();

		$result = ( new Bridge_Connection() )->connect();

		$this->assertWPError( $result );
		$this->assertSame( 'handoff_application_passwords_disabled', $result->get_error_code() );
		$this->assertFalse( get_option( Options::CONNECTION ) );
		$this->assertSame( array(), $this->all_application_passwords() );
		$this->assertSame( array(), $this->bridge_role_user_ids(), 'No bridge user is left behind.' );
		$this->assertSame( $before, $this->site_state() );
	}

	/**
	 * Asserts that a value is a WP_Error.
	 *
	 * @param mixed $value The value.
	 */
	private function assertWPError( $value ): void {
		$this->assertInstanceOf( WP_Error::class, $value );
	}
}
