<?php
/**
 * Tests of Settings → Handoff: the POST handler and the screen.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Bridge_Connection;
use Handoff\Companion\Capabilities;
use Handoff\Companion\Connect_Screen;
use Handoff\Companion\Options;
use Handoff\Companion\Plugin;

/**
 * Connect_Screen, with the requests a browser would send simulated in $_SERVER and $_POST.
 */
class ConnectScreenTest extends Handoff_Test_Case {

	/**
	 * Loads what wp-admin loads for the screen (submit_button() and friends).
	 */
	protected function setUp(): void {
		parent::setUp();
		require_once ABSPATH . 'wp-admin/includes/template.php';
		require_once ABSPATH . 'wp-admin/includes/class-wp-screen.php';
		require_once ABSPATH . 'wp-admin/includes/screen.php';
		$_SERVER['REQUEST_URI'] = '/wp-admin/options-general.php?page=' . Connect_Screen::PAGE;
	}

	/**
	 * Simulates a POST to the screen, slashed as WordPress slashes request data.
	 *
	 * @param array<string, mixed> $fields The form fields.
	 * @param string|null          $nonce  The _wpnonce field; null for a valid one of the current user.
	 */
	private function post( array $fields, ?string $nonce = null ): void {
		$_SERVER['REQUEST_METHOD'] = 'POST';
		$fields['_wpnonce']        = $nonce ?? wp_create_nonce( Connect_Screen::NONCE );
		$_POST                     = wp_slash( $fields );
		$_REQUEST                  = $_POST;
	}

	/**
	 * Runs the POST handler, then prints the screen, as wp-admin does; returns the HTML.
	 */
	private function render(): string {
		ob_start();
		Connect_Screen::render();
		return (string) ob_get_clean();
	}

	/**
	 * Plugin::add_hooks() puts the screen under Settings in wp-admin, and handle_post() on its
	 * load-{hook}.
	 */
	public function test_the_screen_and_its_post_handler_are_hooked_in_wp_admin(): void {
		$this->assertFalse( has_action( 'admin_menu', array( Connect_Screen::class, 'register' ) ), 'Not hooked outside wp-admin.' );
		set_current_screen( 'dashboard' );
		$this->assertTrue( is_admin() );
		Plugin::add_hooks();
		$this->assertSame( 10, has_action( 'admin_menu', array( Connect_Screen::class, 'register' ) ) );

		$this->log_in_as( 'administrator' );
		$GLOBALS['admin_page_hooks']['options-general.php'] = 'settings';
		Connect_Screen::register();

		$hook = 'settings_page_' . Connect_Screen::PAGE;
		$this->assertSame( 10, has_action( 'load-' . $hook, array( Connect_Screen::class, 'handle_post' ) ) );
		$this->assertSame( 10, has_action( $hook, array( Connect_Screen::class, 'render' ) ) );
		$entries = array_column( $GLOBALS['submenu']['options-general.php'], 1, 2 );
		$this->assertSame( 'manage_options', $entries[ Connect_Screen::PAGE ] );
	}

	/**
	 * An editor's menu gets no screen and no POST handler.
	 */
	public function test_the_screen_is_not_registered_for_an_editor(): void {
		$this->log_in_as( 'editor' );
		$GLOBALS['admin_page_hooks']['options-general.php'] = 'settings';
		Connect_Screen::register();
		$this->assertFalse( has_action( 'load-settings_page_' . Connect_Screen::PAGE, array( Connect_Screen::class, 'handle_post' ) ) );
		$this->assertFalse( has_action( 'load-admin_page_' . Connect_Screen::PAGE, array( Connect_Screen::class, 'handle_post' ) ) );
	}

	/**
	 * The Plugins screen gets a "Connect" link first, the other links kept.
	 */
	public function test_the_plugins_screen_gets_a_connect_link(): void {
		$links = Connect_Screen::add_action_link( array( 'deactivate' => '<a href="#">Deactivate</a>' ) );
		$this->assertSame( array( 'handoff-connect', 'deactivate' ), array_keys( $links ) );
		$this->assertSame( '<a href="' . admin_url( 'options-general.php?page=handoff-companion' ) . '">Connect</a>', $links['handoff-connect'] );
	}

	/**
	 * A GET does nothing, whatever fields it carries.
	 */
	public function test_a_get_request_changes_nothing(): void {
		$this->log_in_as( 'administrator' );
		$this->post( array( Connect_Screen::ACTION => 'connect' ) );
		$_SERVER['REQUEST_METHOD'] = 'GET';
		$before                    = $this->site_state();

		Connect_Screen::handle_post();

		$this->assertSame( $before, $this->site_state() );
		$this->assertNull( Connect_Screen::last_error() );
		$this->assertStringNotContainsString( 'handoff1.', $this->render() );
	}

	/**
	 * Nonces that must be refused.
	 *
	 * @return array<string, array{0: string}>
	 */
	public function bad_nonces(): array {
		return array(
			'missing'            => array( 'missing' ),
			'empty'              => array( '' ),
			'garbage'            => array( 'deadbeef00' ),
			'another action'     => array( 'other-action' ),
			'another user'       => array( 'other-user' ),
			'markup'             => array( '"><script>alert(1)</script>' ),
		);
	}

	/**
	 * A POST without a valid nonce dies with 403 and creates nothing.
	 *
	 * @dataProvider bad_nonces
	 *
	 * @param string $kind What is wrong with the nonce.
	 */
	public function test_a_bad_nonce_dies_and_creates_nothing( string $kind ): void {
		if ( 'another user' === $kind ) {
			$this->log_in_as( 'administrator' );
			$nonce = wp_create_nonce( Connect_Screen::NONCE );
		}
		$this->log_in_as( 'administrator' );
		if ( 'another action' === $kind ) {
			$nonce = wp_create_nonce( 'another-action' );
		}
		$this->post( array( Connect_Screen::ACTION => 'connect' ), $nonce ?? $kind );
		if ( 'missing' === $kind ) {
			unset( $_POST['_wpnonce'], $_REQUEST['_wpnonce'] );
		}
		$before = $this->site_state();

		$die = $this->expect_wp_die( array( Connect_Screen::class, 'handle_post' ) );

		$this->assertSame( 403, $die->status );
		$this->assertSame( $before, $this->site_state() );
		$this->assertFalse( username_exists( Bridge_Connection::LOGIN ) );
	}

	/**
	 * Who may not use the screen, even with a nonce of their own.
	 *
	 * @return array<string, array{0: string}>
	 */
	public function refused_roles(): array {
		return array(
			'anonymous'  => array( '' ),
			'subscriber' => array( 'subscriber' ),
			'author'     => array( 'author' ),
			'editor'     => array( 'editor' ),
			'bridge'     => array( Capabilities::BRIDGE_ROLE ),
		);
	}

	/**
	 * Anyone but an administrator is refused with 403 before anything happens.
	 *
	 * @dataProvider refused_roles
	 *
	 * @param string $role The role ('' for nobody).
	 */
	public function test_non_administrators_are_refused( string $role ): void {
		foreach ( array( 'connect', 'disconnect' ) as $action ) {
			if ( '' !== $role ) {
				$this->log_in_as( $role );
			}
			$this->post(
				array(
					Connect_Screen::ACTION => $action,
					'handoff_confirm'      => '1',
				)
			);
			$before = $this->site_state();

			$die = $this->expect_wp_die( array( Connect_Screen::class, 'handle_post' ) );

			$this->assertSame( 403, $die->status );
			$this->assertSame( 'Sorry, you are not allowed to connect this site to Handoff.', $die->getMessage() );
			$this->assertSame( $before, $this->site_state() );
		}
	}

	/**
	 * An editor cannot disconnect a connected site either.
	 */
	public function test_an_editor_cannot_disconnect(): void {
		$connection = $this->connect_bridge();
		$this->log_in_as( 'editor' );
		$this->post(
			array(
				Connect_Screen::ACTION => 'disconnect',
				'handoff_confirm'      => '1',
			)
		);
		$this->expect_wp_die( array( Connect_Screen::class, 'handle_post' ) );
		$this->assertInstanceOf( WP_User::class, get_user_by( 'id', $connection['user']->ID ) );
	}

	/**
	 * Actions that do not exist.
	 *
	 * @return array<string, array{0: mixed}>
	 */
	public function unknown_actions(): array {
		return array(
			'missing'  => array( null ),
			'empty'    => array( '' ),
			'unknown'  => array( 'explode' ),
			'a list'   => array( array( 'connect' ) ),
			'markup'   => array( '<b>connect</b>' ),
		);
	}

	/**
	 * An unknown action is an error on the screen and changes nothing.
	 *
	 * @dataProvider unknown_actions
	 *
	 * @param mixed $action The action field (null: absent).
	 */
	public function test_an_unknown_action_changes_nothing( $action ): void {
		$this->log_in_as( 'administrator' );
		$this->post( null === $action ? array() : array( Connect_Screen::ACTION => $action ) );
		$before = $this->site_state();

		Connect_Screen::handle_post();

		$this->assertSame( $before, $this->site_state() );
		$this->assertSame( 'Unknown action; nothing was changed.', Connect_Screen::last_error()->get_error_message() );
	}

	/**
	 * Connect as an administrator creates the bridge user and shows its key.
	 */
	public function test_connect_creates_the_bridge_user(): void {
		$admin = $this->log_in_as( 'administrator' );
		$this->post( array( Connect_Screen::ACTION => 'connect' ) );

		Connect_Screen::handle_post();

		$this->assertNull( Connect_Screen::last_error() );
		$user = get_user_by( 'login', Bridge_Connection::LOGIN );
		$this->assertInstanceOf( WP_User::class, $user );
		$this->assertSame( array( Capabilities::BRIDGE_ROLE ), array_values( $user->roles ) );
		$this->assertSame( $admin->ID, get_option( Options::CONNECTION )['connected_by'] );
		$this->assertTrue( ( new Bridge_Connection() )->is_connected() );
	}

	/**
	 * A failed Connect shows the reason.
	 */
	public function test_a_failed_connect_shows_the_reason(): void {
		add_filter( 'wp_is_application_passwords_available', '__return_false' );
		$this->log_in_as( 'administrator' );
		$this->post( array( Connect_Screen::ACTION => 'connect' ) );

		Connect_Screen::handle_post();

		$this->assertStringStartsWith( 'Application Passwords are turned off on this site', Connect_Screen::last_error()->get_error_message() );
		$this->assertStringContainsString( 'Application Passwords are turned off on this site', $this->render() );
		$this->assertFalse( ( new Bridge_Connection() )->is_connected() );
	}

	/**
	 * Disconnect needs the confirmation box; then it deletes the bridge user.
	 */
	public function test_disconnect_needs_confirmation(): void {
		$connection = $this->connect_bridge();
		$this->log_in_as( 'administrator' );

		$this->post( array( Connect_Screen::ACTION => 'disconnect' ) );
		Connect_Screen::handle_post();
		$this->assertStringStartsWith( 'Tick the box to confirm', Connect_Screen::last_error()->get_error_message() );
		$this->assertInstanceOf( WP_User::class, get_user_by( 'id', $connection['user']->ID ) );

		Connect_Screen::reset();
		$this->post(
			array(
				Connect_Screen::ACTION => 'disconnect',
				'handoff_confirm'      => '1',
			)
		);
		Connect_Screen::handle_post();
		$this->assertNull( Connect_Screen::last_error() );
		$this->assertFalse( get_user_by( 'id', $connection['user']->ID ) );
		$this->assertSame( array(), $this->all_application_passwords() );
		$this->assertStringContainsString( 'Disconnected.', $this->render() );
	}

	/**
	 * Only administrators see the screen.
	 *
	 * @dataProvider refused_roles
	 *
	 * @param string $role The role ('' for nobody).
	 */
	public function test_the_screen_prints_nothing_for_others( string $role ): void {
		if ( '' !== $role ) {
			$this->log_in_as( $role );
		}
		$this->assertSame( '', $this->render() );
	}

	/**
	 * Not connected: the Connect form with a valid nonce, no Disconnect.
	 */
	public function test_the_screen_when_not_connected(): void {
		$this->log_in_as( 'administrator' );
		$html = $this->render();

		$this->assertStringContainsString( 'Not connected.', $html );
		$this->assertStringContainsString( 'value="Connect to Handoff"', $html );
		$this->assertStringContainsString( '<input type="hidden" name="handoff_action" value="connect">', $html );
		$this->assertStringNotContainsString( 'value="disconnect"', $html );
		$this->assertStringNotContainsString( 'handoff-key', $html );
		$this->assertSame( 1, preg_match( '/name="_wpnonce" value="([0-9a-f]+)"/', $html, $match ) );
		$this->assertSame( 1, wp_verify_nonce( $match[1], Connect_Screen::NONCE ) );
		$this->assertStringNotContainsString( 'disabled', $html, 'Application Passwords are supported on a local site.' );
	}

	/**
	 * After Connect the key is shown once, escaped, and never again.
	 */
	public function test_the_key_is_shown_once(): void {
		$this->log_in_as( 'administrator' );
		$this->post( array( Connect_Screen::ACTION => 'connect' ) );
		Connect_Screen::handle_post();
		$bridge   = new Bridge_Connection();
		$password = WP_Application_Passwords::get_user_application_passwords( $bridge->bridge_user()->ID );
		$this->assertCount( 1, $password );

		$html = $this->render();

		$this->assertSame( 1, preg_match( '#<textarea id="handoff-key"[^>]*>(handoff1\.[A-Za-z0-9_-]+)</textarea>#', $html, $match ) );
		$key     = $match[1];
		$payload = $this->decode_key( $key );
		$this->assertSame( 1, substr_count( $html, $key ), 'The key appears once.' );
		$this->assertStringNotContainsString( $payload['password'], $html, 'The password is not shown in plain text.' );
		$this->assertStringContainsString( 'Connected as the user <code>handoff-bridge</code>.', $html );
		$this->assertStringContainsString( 'value="Create a new connection key"', $html );
		$this->assertStringContainsString( 'value="disconnect"', $html );
		$this->assertStringContainsString( 'name="handoff_confirm"', $html );
		$this->assertStringContainsString( esc_html( 'handoff site add ' . home_url() . ' --key -' ), $html );

		// The next request (a reload, another visit) does not show it again.
		Connect_Screen::reset();
		$_SERVER['REQUEST_METHOD'] = 'GET';
		$html                      = $this->render();
		$this->assertStringNotContainsString( $key, $html );
		$this->assertStringNotContainsString( 'handoff-key', $html );
		$this->assertStringContainsString( 'Connected as the user <code>handoff-bridge</code>.', $html );
		$this->assertStringContainsString( 'Not yet.', $html, 'The password has not been used yet.' );

		// Once the backend has used the password, the screen says when and from where.
		$this->assertInstanceOf( WP_User::class, $this->accepts( $payload ) );
		$html = $this->render();
		$this->assertMatchesRegularExpression( '/\d+ seconds? ago, from 127\.0\.0\.1/', $html );
		$this->assertStringNotContainsString( 'Not yet.', $html );
	}

	/**
	 * Whether the key's password signs the bridge user in.
	 *
	 * @param array<string, mixed> $payload A decoded key.
	 * @return WP_User|WP_Error|null
	 */
	private function accepts( array $payload ) {
		$this->accept_application_passwords();
		return wp_authenticate_application_password( null, $payload['user'], $payload['password'] );
	}

	/**
	 * Text that reaches the screen is escaped: messages, the site address, the request URI.
	 */
	public function test_the_screen_escapes_what_it_prints(): void {
		add_filter(
			'gettext',
			static function ( $translation, $text ) {
				return 'Unknown action; nothing was changed.' === $text ? '<script>alert("message")</script>' : $translation;
			},
			10,
			2
		);
		$this->log_in_as( 'administrator' );
		$_SERVER['REQUEST_URI'] = '/wp-admin/options-general.php?page=handoff-companion&x="><script>alert("uri")</script>';
		$this->post( array( Connect_Screen::ACTION => 'explode' ) );
		Connect_Screen::handle_post();
		$html = $this->render();
		$this->assertStringNotContainsString( '<script>alert', $html );
		$this->assertStringContainsString( '&lt;script&gt;alert(&quot;message&quot;)&lt;/script&gt;', $html );

		Connect_Screen::reset();
		$this->post( array( Connect_Screen::ACTION => 'connect' ) );
		Connect_Screen::handle_post();
		add_filter(
			'home_url',
			static function () {
				return 'http://client.example.test/"><script>alert("url")</script>';
			}
		);
		$html = $this->render();
		$this->assertStringNotContainsString( '<script>alert', $html );
		$this->assertStringContainsString( 'handoff site add http://client.example.test/&quot;&gt;&lt;script&gt;', $html );
	}
}
