<?php
/**
 * Tests of the bridge user's lock-down: a key, not an account.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Bridge_Connection;
use Handoff\Companion\Bridge_Lockdown;
use Handoff\Companion\Plugin;

/**
 * The bridge user signs in only with its Application Password, reaches only the plugin's
 * own routes and methods, cannot change itself, and Connect or deactivation take back
 * whatever a leaked key changed. Ordinary users keep all of it, at no extra query.
 */
class BridgeLockdownTest extends Handoff_Test_Case {

	/**
	 * A login password the attacker set with a leaked key before the lock-down existed.
	 */
	private const STOLEN_PASSWORD = 'attacker chose this one';

	/**
	 * Mails wp_mail() was asked to send during the test (none leave the process).
	 *
	 * @var array<int, array<string, mixed>>
	 */
	private array $mails = array();

	/**
	 * Catches every mail: the test checks which were sent; none is delivered.
	 */
	protected function setUp(): void {
		parent::setUp();
		// As on every request that can sign someone in (a test process is none of those).
		Plugin::lock_down_the_bridge_user();
		// No Application Password has signed anyone in yet: a request of its own.
		Bridge_Lockdown::forget_application_password( null );
		$this->mails = array();
		add_filter( 'pre_wp_mail', array( $this, 'catch_mail' ), 10, 2 );
	}

	/**
	 * Records a mail instead of sending it (pre_wp_mail).
	 *
	 * @param mixed                $short_circuit Null to send.
	 * @param array<string, mixed> $attributes    The mail.
	 */
	public function catch_mail( $short_circuit, $attributes ): bool {
		$this->mails[] = $attributes;
		return true;
	}

	/**
	 * Connects, and gives the bridge user a login password, as a leaked key could before.
	 *
	 * @return array{key: string, login: string, password: string, payload: array<string, mixed>, user: WP_User, admin: WP_User}
	 */
	private function compromised_bridge(): array {
		$connection = $this->connect_bridge();
		wp_set_password( self::STOLEN_PASSWORD, $connection['user']->ID );
		return $connection;
	}

	/**
	 * A fresh XML-RPC server serving `$method`, as xmlrpc.php serves one request.
	 *
	 * @param string $method The method name the request carries.
	 */
	private function xmlrpc_serving( string $method ): wp_xmlrpc_server {
		$server                      = $this->new_xmlrpc_server();
		$server->message             = new IXR_Message( '' );
		$server->message->methodName = $method;
		return $server;
	}

	/**
	 * Removes the lock-down's callbacks (the state of the site before it existed).
	 *
	 * @param string $only A hook name: only that hook's; '' for all of them.
	 */
	private function remove_lockdown_hooks( string $only = '' ): void {
		foreach ( $GLOBALS['wp_filter'] as $hook_name => $hook ) {
			if ( '' !== $only && $only !== $hook_name ) {
				continue;
			}
			foreach ( $hook->callbacks as $priority => $callbacks ) {
				foreach ( $callbacks as $callback ) {
					$function = $callback['function'];
					if ( is_array( $function ) && is_string( $function[0] ) && Bridge_Lockdown::class === $function[0] ) {
						remove_filter( $hook_name, $function, $priority );
					}
				}
			}
		}
	}

	/**
	 * Sets the cookie a browser sends after signing in as `$user_id` (a live session).
	 *
	 * @param int    $user_id The user.
	 * @param string $scheme  'logged_in' (front end) or 'auth' (wp-admin).
	 */
	private function send_session_cookie( int $user_id, string $scheme ): void {
		$expiration = time() + HOUR_IN_SECONDS;
		$token      = WP_Session_Tokens::get_instance( $user_id )->create( $expiration );
		$name       = 'logged_in' === $scheme ? LOGGED_IN_COOKIE : AUTH_COOKIE;
		$_COOKIE[ $name ] = wp_generate_auth_cookie( $user_id, $expiration, $scheme, $token );
	}

	/**
	 * Sends HTTP Basic credentials, as a REST client does.
	 *
	 * @param string $login    The login.
	 * @param string $password The password.
	 */
	private function send_basic_auth( string $login, string $password ): void {
		$_SERVER['PHP_AUTH_USER'] = $login;
		$_SERVER['PHP_AUTH_PW']   = $password;
	}

	// ------------------------------------------------------------------ signing in

	/**
	 * The login password never signs the bridge user in — by login or by e-mail — even
	 * when it is the right one; nothing at all is checked against it.
	 */
	public function test_the_login_password_never_signs_the_bridge_user_in(): void {
		$connection = $this->compromised_bridge();
		$this->assertTrue( wp_check_password( self::STOLEN_PASSWORD, get_userdata( $connection['user']->ID )->user_pass ), 'The password is right.' );

		$this->assertInstanceOf( WP_Error::class, wp_authenticate( $connection['login'], self::STOLEN_PASSWORD ) );
		$this->assertInstanceOf( WP_Error::class, wp_authenticate( $connection['user']->user_email, self::STOLEN_PASSWORD ) );
		$this->accept_application_passwords();
		$this->assertInstanceOf( WP_Error::class, wp_authenticate( $connection['login'], self::STOLEN_PASSWORD ), 'Not in an API request either.' );
		$this->assertInstanceOf( WP_Error::class, wp_signon( array( 'user_login' => $connection['login'], 'user_password' => self::STOLEN_PASSWORD ) ) );
		$this->assertSame( 0, get_current_user_id() );
	}

	/**
	 * The Application Password still signs it in where WordPress accepts one.
	 */
	public function test_the_application_password_still_signs_the_bridge_user_in(): void {
		$connection = $this->compromised_bridge();
		$this->accept_application_passwords();
		$user = wp_authenticate( $connection['login'], $connection['password'] );
		$this->assertInstanceOf( WP_User::class, $user );
		$this->assertSame( $connection['user']->ID, $user->ID );
	}

	/**
	 * A login password equal to the Application Password (an attacker's choice) does not get
	 * in the way of the Application Password.
	 */
	public function test_a_login_password_equal_to_the_application_password_changes_nothing(): void {
		$connection = $this->connect_bridge();
		wp_set_password( $connection['password'], $connection['user']->ID );
		$this->assertInstanceOf( WP_Error::class, wp_authenticate( $connection['login'], $connection['password'] ), 'wp-login.php: refused.' );
		$this->accept_application_passwords();
		$this->assertInstanceOf( WP_User::class, wp_authenticate( $connection['login'], $connection['password'] ), 'API request: the Application Password.' );
	}

	/**
	 * Ordinary users still sign in with their login password.
	 */
	public function test_ordinary_users_still_sign_in_with_their_password(): void {
		$this->connect_bridge();
		foreach ( array( 'administrator', 'editor', 'subscriber' ) as $role ) {
			$user = $this->create_user( $role, array( 'user_pass' => 'their own password' ) );
			$this->assertInstanceOf( WP_User::class, wp_authenticate( $user->user_login, 'their own password' ), $role );
		}
	}

	/**
	 * Session cookies: front end (logged_in) and wp-admin (auth).
	 *
	 * @return array<string, array{0: string}>
	 */
	public function cookie_schemes(): array {
		return array(
			'front end' => array( 'logged_in' ),
			'wp-admin'  => array( 'auth' ),
		);
	}

	/**
	 * A session cookie of the bridge user — one made before the lock-down — makes nobody
	 * the current user.
	 *
	 * @dataProvider cookie_schemes
	 *
	 * @param string $scheme The cookie's scheme.
	 */
	public function test_a_bridge_session_cookie_signs_nobody_in( string $scheme ): void {
		$connection = $this->connect_bridge();
		$this->send_session_cookie( $connection['user']->ID, $scheme );
		$this->assertSame( $connection['user']->ID, wp_validate_auth_cookie( '', $scheme ), 'The cookie itself is valid.' );

		$this->assertEmpty( apply_filters( 'determine_current_user', false ) );
	}

	/**
	 * An administrator's session cookie still signs the administrator in.
	 *
	 * @dataProvider cookie_schemes
	 *
	 * @param string $scheme The cookie's scheme.
	 */
	public function test_an_administrator_session_cookie_still_works( string $scheme ): void {
		$this->connect_bridge();
		$admin = $this->create_user( 'administrator' );
		$this->send_session_cookie( $admin->ID, $scheme );
		$this->assertSame( $admin->ID, apply_filters( 'determine_current_user', false ) );
	}

	/**
	 * HTTP Basic with the Application Password (a REST request) makes the bridge user current.
	 */
	public function test_basic_auth_with_the_application_password_signs_the_bridge_user_in(): void {
		$connection = $this->connect_bridge();
		$this->accept_application_passwords();
		$this->send_basic_auth( $connection['login'], $connection['password'] );
		$this->assertSame( $connection['user']->ID, apply_filters( 'determine_current_user', false ) );
	}

	/**
	 * In wp-admin the Application Password is good for admin-ajax.php?action=handoff_admin_menu
	 * only, even where another plugin lets Application Passwords into wp-admin.
	 */
	public function test_in_wp_admin_only_the_admin_menu_action_takes_the_bridge_user(): void {
		$connection = $this->connect_bridge();
		$this->accept_application_passwords();
		$this->send_basic_auth( $connection['login'], $connection['password'] );
		require_once ABSPATH . 'wp-admin/includes/class-wp-screen.php';
		require_once ABSPATH . 'wp-admin/includes/screen.php';
		set_current_screen( 'profile' );
		$this->assertTrue( is_admin() );
		$this->assertEmpty( apply_filters( 'determine_current_user', false ), 'profile.php' );

		add_filter( 'wp_doing_ajax', '__return_true' );
		$_REQUEST['action'] = 'heartbeat';
		$this->assertEmpty( apply_filters( 'determine_current_user', false ), 'Another admin-ajax action.' );

		$_REQUEST['action'] = 'handoff_admin_menu';
		$this->assertSame( $connection['user']->ID, apply_filters( 'determine_current_user', false ) );
	}

	/**
	 * No password reset: WordPress refuses to make a reset key for the bridge user.
	 */
	public function test_the_bridge_user_gets_no_password_reset(): void {
		$connection = $this->connect_bridge();
		$editor     = $this->create_user( 'editor' );

		$this->assertFalse( apply_filters( 'allow_password_reset', true, $connection['user']->ID ) );
		$this->assertTrue( apply_filters( 'allow_password_reset', true, $editor->ID ), 'Others keep it.' );
		$key = get_password_reset_key( get_userdata( $connection['user']->ID ) );
		$this->assertInstanceOf( WP_Error::class, $key );
		$this->assertSame( 'no_password_reset', $key->get_error_code() );
		$this->assertSame( '', get_userdata( $connection['user']->ID )->user_activation_key );
	}

	/**
	 * Lost password, asked for by login: an error and no mail.
	 */
	public function test_lost_password_for_the_bridge_user_sends_nothing(): void {
		$connection = $this->connect_bridge();
		$result     = retrieve_password( $connection['login'] );
		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertSame( array(), $this->mails );
	}

	// ------------------------------------------------------------------ capabilities

	/**
	 * The meta capabilities that change a user or its passwords.
	 *
	 * @return array<string, array{0: string}>
	 */
	public function own_account_caps(): array {
		$caps = array( 'edit_user', 'delete_user', 'promote_user', 'create_app_password', 'list_app_passwords', 'read_app_password', 'edit_app_password', 'delete_app_passwords', 'delete_app_password' );
		return array_combine( $caps, array_map( static fn( $cap ) => array( $cap ), $caps ) );
	}

	/**
	 * The bridge user may not touch its own account or passwords, by any door.
	 *
	 * @dataProvider own_account_caps
	 *
	 * @param string $cap The meta capability.
	 */
	public function test_the_bridge_user_cannot_change_itself( string $cap ): void {
		$connection = $this->connect_bridge();
		$uuid       = WP_Application_Passwords::get_user_application_passwords( $connection['user']->ID )[0]['uuid'];
		wp_set_current_user( $connection['user']->ID );
		$this->assertFalse( current_user_can( $cap, $connection['user']->ID, $uuid ) );
		$this->assertSame( array( 'do_not_allow' ), map_meta_cap( $cap, $connection['user']->ID, $connection['user']->ID, $uuid ) );
	}

	/**
	 * Editors and administrators keep every right over their own account.
	 *
	 * @dataProvider own_account_caps
	 *
	 * @param string $cap The meta capability.
	 */
	public function test_ordinary_users_keep_their_own_account( string $cap ): void {
		$this->connect_bridge();
		$admin   = $this->log_in_as( 'administrator' );
		$created = WP_Application_Passwords::create_new_application_password( $admin->ID, array( 'name' => 'Mine' ) );
		$this->assertTrue( current_user_can( $cap, $admin->ID, $created[1]['uuid'] ), "administrator: {$cap}" );
		$editor = $this->log_in_as( 'editor' );
		$mine   = WP_Application_Passwords::create_new_application_password( $editor->ID, array( 'name' => 'Mine' ) );
		$expect = ! in_array( $cap, array( 'delete_user', 'promote_user' ), true ); // WordPress's own rule for editors.
		$this->assertSame( $expect, current_user_can( $cap, $editor->ID, $mine[1]['uuid'] ), "editor: {$cap}" );
	}

	// ------------------------------------------------------------------ REST

	/**
	 * REST requests outside the plugin's namespace.
	 *
	 * @return array<string, array{0: string, 1: string, 2: array<string, mixed>}>
	 */
	public function foreign_rest_requests(): array {
		return array(
			'GET users/me'                        => array( 'GET', '/wp/v2/users/me', array() ),
			'POST users/me password and e-mail'   => array(
				'POST',
				'/wp/v2/users/me',
				array(
					'password' => self::STOLEN_PASSWORD,
					'email'    => 'attacker@example.test',
				),
			),
			'GET application passwords'           => array( 'GET', '/wp/v2/users/me/application-passwords', array() ),
			'POST application passwords'          => array( 'POST', '/wp/v2/users/me/application-passwords', array( 'name' => 'mine now' ) ),
			'POST comments'                       => array(
				'POST',
				'/wp/v2/comments',
				array(
					'post'    => 1,
					'content' => 'Hello from the bridge.',
				),
			),
			'GET posts'                           => array( 'GET', '/wp/v2/posts', array() ),
			'GET the index'                       => array( 'GET', '/', array() ),
			'GET the handoff namespace index'     => array( 'GET', '/handoff/v1', array() ),
			'POST batch'                          => array(
				'POST',
				'/batch/v1',
				array(
					'requests' => array(
						array(
							'method' => 'POST',
							'path'   => '/wp/v2/posts',
							'body'   => array( 'title' => 'From the bridge' ),
						),
					),
				),
			),
		);
	}

	/**
	 * Every route outside handoff/v1 answers 403 handoff_forbidden to the bridge user, and
	 * its account is unchanged.
	 *
	 * @dataProvider foreign_rest_requests
	 *
	 * @param string               $method The HTTP method.
	 * @param string               $route  The route.
	 * @param array<string, mixed> $params The parameters.
	 */
	public function test_rest_outside_the_namespace_is_forbidden( string $method, string $route, array $params ): void {
		$connection = $this->connect_bridge();
		$before     = $this->site_state();
		wp_set_current_user( $connection['user']->ID );

		$response = $this->rest( $method, $route, $params );

		$this->assertSame( 403, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$this->assertSame( 'handoff_forbidden', $this->rest_data( $response )['code'] );
		$this->assertSame( $before, $this->site_state(), 'Nothing changed.' );
	}

	/**
	 * A batch's sub-requests are checked just before their callbacks too: here the batch
	 * itself is served directly, as if its own route had got through, and the check before
	 * dispatching each request is gone.
	 */
	public function test_batch_sub_requests_are_checked_before_their_callbacks(): void {
		$connection = $this->connect_bridge();
		wp_set_current_user( $connection['user']->ID );
		$this->remove_lockdown_hooks( 'rest_pre_dispatch' );
		$batch = new WP_REST_Request( 'POST', '/batch/v1' );
		$batch->set_param(
			'requests',
			array(
				array(
					'method' => 'POST',
					'path'   => '/wp/v2/posts',
					'body'   => array( 'title' => 'From the bridge' ),
				),
			)
		);
		$batch->set_param( 'validation', 'normal' );

		$response = rest_get_server()->serve_batch_request_v1( $batch );

		$this->assertSame( 207, $response->get_status() );
		$this->assertSame( 'handoff_forbidden', $response->get_data()['responses'][0]['body']['code'] );
	}

	/**
	 * The plugin's own routes keep working for the bridge user.
	 *
	 * @return array<string, array{0: string, 1: string}>
	 */
	public function own_rest_requests(): array {
		return array(
			'GET status'         => array( 'GET', '/handoff/v1/status' ),
			'GET inventory'      => array( 'GET', '/handoff/v1/inventory' ),
			'GET health'         => array( 'GET', '/handoff/v1/health' ),
			'GET menu-profile'   => array( 'GET', '/handoff/v1/menu-profile' ),
			'GET handbook'       => array( 'GET', '/handoff/v1/handbook' ),
			'DELETE connection'  => array( 'DELETE', '/handoff/v1/connection' ),
		);
	}

	/**
	 * Routes of handoff/v1: 200.
	 *
	 * @dataProvider own_rest_requests
	 *
	 * @param string $method The HTTP method.
	 * @param string $route  The route.
	 */
	public function test_the_plugins_own_routes_still_work( string $method, string $route ): void {
		$connection = $this->connect_bridge();
		wp_set_current_user( $connection['user']->ID );
		$response = $this->rest( $method, $route );
		$this->assertSame( 200, $response->get_status(), wp_json_encode( $response->get_data() ) );
	}

	/**
	 * DELETE /connection still revokes the bridge user's password (it does not go through
	 * the capabilities the lock-down withholds).
	 */
	public function test_the_backend_can_still_give_up_its_access(): void {
		$connection = $this->connect_bridge();
		wp_set_current_user( $connection['user']->ID );
		$this->assertSame( array( 'revoked' => 1 ), $this->rest( 'DELETE', '/handoff/v1/connection' )->get_data() );
		$this->assertSame( array(), WP_Application_Passwords::get_user_application_passwords( $connection['user']->ID ) );
	}

	/**
	 * Editors and administrators still read and edit their own profile and passwords.
	 *
	 * @return array<string, array{0: string}>
	 */
	public function ordinary_roles(): array {
		return array(
			'administrator' => array( 'administrator' ),
			'editor'        => array( 'editor' ),
		);
	}

	/**
	 * No collateral damage over REST.
	 *
	 * @dataProvider ordinary_roles
	 *
	 * @param string $role The role.
	 */
	public function test_ordinary_users_still_edit_themselves_over_rest( string $role ): void {
		$this->connect_bridge();
		$this->accept_application_passwords();
		$user = $this->log_in_as( $role );

		$this->assertSame( 200, $this->rest( 'GET', '/wp/v2/users/me' )->get_status() );
		$this->assertSame( 200, $this->rest( 'POST', '/wp/v2/users/me', array( 'description' => 'Still mine.' ) )->get_status() );
		$this->assertSame( 'Still mine.', get_userdata( $user->ID )->description );
		$this->assertSame( 201, $this->rest( 'POST', '/wp/v2/users/me/application-passwords', array( 'name' => 'Phone' ) )->get_status() );
		$this->assertSame( 200, $this->rest( 'GET', '/wp/v2/users/me/application-passwords' )->get_status() );
	}

	// ------------------------------------------------------------------ XML-RPC

	/**
	 * Core XML-RPC methods: the method the request names, the one called, and its
	 * parameters before and after (username, password).
	 *
	 * @return array<string, array{0: string, 1: string, 2: array<int, mixed>, 3: array<int, mixed>}>
	 */
	public function foreign_xmlrpc_methods(): array {
		return array(
			'wp.getUsersBlogs'                => array( 'wp.getUsersBlogs', 'wp.getUsersBlogs', array(), array() ),
			'wp.getProfile'                   => array( 'wp.getProfile', 'wp.getProfile', array( 1 ), array() ),
			'wp.editProfile'                  => array( 'wp.editProfile', 'wp.editProfile', array( 1 ), array( array( 'display_name' => 'Taken over' ) ) ),
			'wp.getPosts'                     => array( 'wp.getPosts', 'wp.getPosts', array( 1 ), array() ),
			'wp.newComment'                   => array( 'wp.newComment', 'wp.newComment', array( 1 ), array( 1, array( 'content' => 'Hello from the bridge.' ) ) ),
			'handoff.status in a multicall'   => array( 'system.multicall', 'handoff.status', array(), array() ),
		);
	}

	/**
	 * With its Application Password, the bridge user gets a 403 handoff_forbidden fault from
	 * every method that is not handoff.*, and nothing changes. A multicall names no single
	 * method: refused as a whole.
	 *
	 * @dataProvider foreign_xmlrpc_methods
	 *
	 * @param string            $served The method the request names.
	 * @param string            $method The method called.
	 * @param array<int, mixed> $before Parameters before the credentials.
	 * @param array<int, mixed> $after  Parameters after them.
	 */
	public function test_xmlrpc_methods_outside_handoff_are_refused( string $served, string $method, array $before, array $after ): void {
		$connection = $this->connect_bridge();
		$this->start_xmlrpc();
		// A first call records the password's use of the day, so the state below is stable.
		$this->xmlrpc_serving( 'handoff.status' )->call( 'handoff.status', array( $connection['login'], $connection['password'] ) );
		wp_set_current_user( 0 );
		$state = $this->site_state();
		$args  = array_merge( $before, array( $connection['login'], $connection['password'] ), $after );

		$result = $this->xmlrpc_serving( $served )->call( $method, $args );

		$this->assert_fault( $result, 403, 'handoff_forbidden: ' );
		$this->assertSame( 0, get_current_user_id() );
		$this->assertSame( $state, $this->site_state() );
	}

	/**
	 * An editor's Application Password still works for those methods.
	 */
	public function test_ordinary_users_keep_xmlrpc(): void {
		$this->connect_bridge();
		$this->start_xmlrpc();
		$editor  = $this->create_user( 'editor' );
		$created = WP_Application_Passwords::create_new_application_password( $editor->ID, array( 'name' => 'Some app' ) );
		$profile = $this->xmlrpc_serving( 'wp.getProfile' )->call( 'wp.getProfile', array( 1, $editor->user_login, $created[0] ) );
		$this->assertIsArray( $profile );
		$this->assertSame( $editor->user_login, $profile['username'] );
	}

	/**
	 * The plugin's methods still answer the Application Password.
	 */
	public function test_handoff_methods_still_work(): void {
		$connection = $this->compromised_bridge();
		$this->start_xmlrpc();
		foreach ( array( 'handoff.status', 'handoff.inventory', 'handoff.health' ) as $method ) {
			$this->assertIsArray( $this->xmlrpc_serving( $method )->call( $method, array( $connection['login'], $connection['password'] ) ), $method );
		}
	}

	/**
	 * The plugin's methods refuse the login password (WordPress's generic fault: nothing says
	 * whether the password was right).
	 */
	public function test_handoff_methods_refuse_the_login_password(): void {
		$connection = $this->compromised_bridge();
		$this->start_xmlrpc();
		$result = $this->xmlrpc_serving( 'handoff.inventory' )->call( 'handoff.inventory', array( $connection['login'], self::STOLEN_PASSWORD ) );
		$this->assert_fault( $result, 403, 'Incorrect username or password.' );
	}

	// ------------------------------------------------------------------ taking it back

	/**
	 * Whatever a leaked key changed, as a compromised bridge user looks.
	 *
	 * @param array{user: WP_User} $connection The connection.
	 */
	private function tamper_with( array $connection ): void {
		$id = $connection['user']->ID;
		wp_set_password( self::STOLEN_PASSWORD, $id );
		wp_update_user(
			array(
				'ID'           => $id,
				'user_email'   => 'attacker@example.test',
				'display_name' => 'Taken over',
				'nickname'     => 'owner',
				'user_url'     => 'https://attacker.example.test',
				'description'  => 'Mine now.',
			)
		);
		update_user_meta( $id, '_new_email', array( 'hash' => 'x', 'newemail' => 'attacker2@example.test' ) );
		WP_Application_Passwords::create_new_application_password( $id, array( 'name' => 'attacker' ) );
		WP_Session_Tokens::get_instance( $id )->create( time() + DAY_IN_SECONDS );
		$this->mails = array();
	}

	/**
	 * Asserts the bridge user is back as Connect made it: no known password, no session, its
	 * own e-mail and name, no mail sent about any of it.
	 *
	 * @param WP_User $before The bridge user as connect made it.
	 */
	private function assert_taken_back( WP_User $before ): void {
		clean_user_cache( $before->ID );
		$user = get_userdata( $before->ID );
		$this->assertFalse( wp_check_password( self::STOLEN_PASSWORD, $user->user_pass, $user->ID ), 'The password the attacker set is gone.' );
		$this->assertSame( $before->user_login . '@handoff.invalid', $user->user_email );
		$this->assertSame( $before->display_name, $user->display_name );
		$this->assertSame( $before->nickname, $user->nickname );
		$this->assertSame( '', $user->user_url );
		$this->assertSame( $before->description, $user->description );
		$this->assertSame( '', get_user_meta( $user->ID, '_new_email', true ) );
		$this->assertSame( array(), WP_Session_Tokens::get_instance( $user->ID )->get_all() );
		$this->assertSame( array(), $this->mails, 'No notification mail.' );
		$this->assertInstanceOf( WP_Error::class, wp_authenticate( $user->user_login, self::STOLEN_PASSWORD ) );
	}

	/**
	 * Connect again (rotating the key) takes back everything a leaked key changed.
	 */
	public function test_rotating_the_key_takes_the_account_back(): void {
		$old = $this->connect_bridge();
		$this->tamper_with( $old );

		$new = $this->connect_bridge();

		$this->assertSame( $old['user']->ID, $new['user']->ID );
		$this->assert_taken_back( $old['user'] );
		$this->assertSame( array( array( $old['user']->ID, 'Handoff backend' ) ), array_values( array_filter( $this->all_application_passwords(), static fn( $item ) => $item[0] === $old['user']->ID ) ), 'Only the new key\'s password.' );
	}

	/**
	 * Deactivating the plugin takes it back too: without the plugin nothing else stops a
	 * known login password.
	 */
	public function test_deactivation_takes_the_account_back(): void {
		$connection = $this->connect_bridge();
		$this->tamper_with( $connection );

		Plugin::deactivate();

		$this->assert_taken_back( $connection['user'] );
		$this->assertSame( array(), WP_Application_Passwords::get_user_application_passwords( $connection['user']->ID ) );
		$this->remove_lockdown_hooks();
		$this->assertInstanceOf( WP_Error::class, wp_authenticate( $connection['login'], self::STOLEN_PASSWORD ), 'Without the lock-down too.' );
	}

	/**
	 * The backend giving up its access (DELETE /connection) leaves no session behind either.
	 */
	public function test_giving_up_access_ends_the_sessions(): void {
		$connection = $this->connect_bridge();
		WP_Session_Tokens::get_instance( $connection['user']->ID )->create( time() + DAY_IN_SECONDS );
		wp_set_current_user( $connection['user']->ID );
		( new Bridge_Connection() )->revoke_own_access();
		$this->assertSame( array(), WP_Session_Tokens::get_instance( $connection['user']->ID )->get_all() );
	}

	// ------------------------------------------------------------------ cost

	/**
	 * Queries WordPress makes to find a signed-in administrator from its cookie and check what
	 * it may do with its own account.
	 *
	 * @param int $user_id The administrator.
	 */
	private function queries_of_an_admin_page_view( int $user_id ): int {
		global $wpdb;
		wp_cache_flush();
		$before = $wpdb->num_queries;
		$found  = (int) apply_filters( 'determine_current_user', false );
		wp_set_current_user( $found );
		current_user_can( 'edit_user', $user_id );
		current_user_can( 'create_app_password', $user_id );
		current_user_can( 'edit_posts' );
		apply_filters( 'allow_password_reset', true, $user_id );
		$this->assertSame( $user_id, $found );
		return $wpdb->num_queries - $before;
	}

	/**
	 * For an ordinary user the lock-down costs no query.
	 */
	public function test_ordinary_users_cost_no_extra_query(): void {
		$this->connect_bridge();
		$admin = $this->create_user( 'administrator' );
		$this->send_session_cookie( $admin->ID, 'auth' );
		$with = $this->queries_of_an_admin_page_view( $admin->ID );
		$this->remove_lockdown_hooks();
		$this->assertSame( $this->queries_of_an_admin_page_view( $admin->ID ), $with );
	}
}
