<?php
/**
 * Tests of the admin-ajax action that reads the admin menu inside wp-admin.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Admin_Menu_Endpoint;

/**
 * Admin_Menu_Endpoint: sign-in from the POST body, routing, and the answers.
 */
class AdminMenuEndpointTest extends Handoff_Test_Case {

	/**
	 * Sets the POST fields the backend sends, slashed as WordPress slashes request data.
	 *
	 * @param array<string, mixed> $fields The fields.
	 */
	private function post( array $fields ): void {
		$_SERVER['REQUEST_METHOD'] = 'POST';
		$_POST                     = wp_slash( $fields );
		$_REQUEST                  = array_merge( $_GET, $_POST );
	}

	/**
	 * Calls respond() as admin-ajax.php would; returns the decoded JSON it sent.
	 *
	 * @return array<string, mixed>
	 */
	private function respond(): array {
		return $this->answer_of( array( Admin_Menu_Endpoint::class, 'respond' ) );
	}

	/**
	 * Runs code that answers as admin-ajax.php would (JSON, then wp_die()); returns the JSON.
	 *
	 * @param callable $callback The code.
	 * @return array<string, mixed>
	 */
	private function answer_of( callable $callback ): array {
		add_filter( 'wp_doing_ajax', '__return_true' );
		ob_start();
		try {
			$this->expect_wp_die( $callback );
		} finally {
			$output = (string) ob_get_clean();
		}
		$data = json_decode( $output, true );
		$this->assertIsArray( $data, "The answer is JSON: {$output}" );
		return $data;
	}

	/**
	 * The bridge user's credentials in the body sign it in.
	 */
	public function test_the_bridge_user_signs_in_from_the_body(): void {
		$connection = $this->connect_bridge();
		$this->accept_application_passwords();
		$this->post(
			array(
				'user'     => $connection['login'],
				'password' => $connection['password'],
			)
		);
		$this->assertSame( $connection['user']->ID, Admin_Menu_Endpoint::authenticate_from_body( false ) );
	}

	/**
	 * The password as WordPress displays it (groups of four, spaces) works too.
	 */
	public function test_the_password_with_spaces_works(): void {
		$connection = $this->connect_bridge();
		$this->accept_application_passwords();
		$this->post(
			array(
				'user'     => $connection['login'],
				'password' => ' ' . implode( ' ', str_split( $connection['password'], 4 ) ) . ' ',
			)
		);
		$this->assertSame( $connection['user']->ID, Admin_Menu_Endpoint::authenticate_from_body( false ) );
	}

	/**
	 * A user already signed in by another method (cookie, HTTP Basic) is kept as is.
	 */
	public function test_a_user_found_earlier_is_kept(): void {
		$connection = $this->connect_bridge();
		$this->accept_application_passwords();
		$this->post(
			array(
				'user'     => $connection['login'],
				'password' => $connection['password'],
			)
		);
		$this->assertSame( 12345, Admin_Menu_Endpoint::authenticate_from_body( 12345 ) );
	}

	/**
	 * Bodies that must not sign anybody in.
	 *
	 * @return array<string, array{0: string}>
	 */
	public function bad_bodies(): array {
		return array(
			'wrong password'       => array( 'wrong password' ),
			'unknown user'         => array( 'unknown user' ),
			'no password field'    => array( 'no password field' ),
			'no user field'        => array( 'no user field' ),
			'empty password'       => array( 'empty password' ),
			'old password'         => array( 'old password' ),
			'login password'       => array( 'login password' ),
			'outside API requests' => array( 'outside API requests' ),
		);
	}

	/**
	 * Wrong or missing credentials: nobody is signed in (false stays false).
	 *
	 * @dataProvider bad_bodies
	 *
	 * @param string $case What is wrong.
	 */
	public function test_bad_credentials_sign_nobody_in( string $case ): void {
		$connection = $this->connect_bridge();
		$fields     = array(
			'user'     => $connection['login'],
			'password' => $connection['password'],
		);
		switch ( $case ) {
			case 'wrong password':
				$fields['password'] = strrev( $connection['password'] );
				break;
			case 'unknown user':
				$fields['user'] = 'nobody-here';
				break;
			case 'no password field':
				unset( $fields['password'] );
				break;
			case 'no user field':
				unset( $fields['user'] );
				break;
			case 'empty password':
				$fields['password'] = '';
				break;
			case 'old password':
				$this->connect_bridge(); // Rotates: the first password is revoked.
				break;
			case 'login password':
				// An administrator's login password is not an Application Password.
				$this->create_user(
					'administrator',
					array(
						'user_login' => 'handoff-test-boss',
						'user_pass'  => 'CorrectHorseBatteryStaple',
					)
				);
				$fields = array(
					'user'     => 'handoff-test-boss',
					'password' => 'CorrectHorseBatteryStaple',
				);
				break;
		}
		if ( 'outside API requests' !== $case ) {
			$this->accept_application_passwords();
		}
		$this->post( $fields );

		$this->assertFalse( Admin_Menu_Endpoint::authenticate_from_body( false ) );
		$this->assertSame( 0, get_current_user_id() );
	}

	/**
	 * A field sent as a list (user[]=…) signs nobody in, without PHP warnings.
	 *
	 */
	public function test_list_fields_sign_nobody_in(): void {
		$connection = $this->connect_bridge();
		$this->accept_application_passwords();
		$this->post(
			array(
				'user'     => array( $connection['login'] ),
				'password' => array( $connection['password'] ),
			)
		);
		$this->assertFalse( Admin_Menu_Endpoint::authenticate_from_body( false ) );
	}

	/**
	 * Routing: only admin-ajax.php?action=handoff_admin_menu.
	 */
	public function test_is_requested_only_for_its_action_in_admin_ajax(): void {
		$_REQUEST['action'] = Admin_Menu_Endpoint::ACTION;
		$this->assertFalse( Admin_Menu_Endpoint::is_requested(), 'Not an admin-ajax request.' );

		add_filter( 'wp_doing_ajax', '__return_true' );
		$this->assertTrue( Admin_Menu_Endpoint::is_requested() );
		$_REQUEST['action'] = 'heartbeat';
		$this->assertFalse( Admin_Menu_Endpoint::is_requested() );
		$_REQUEST['action'] = array( Admin_Menu_Endpoint::ACTION );
		$this->assertFalse( Admin_Menu_Endpoint::is_requested() );
		unset( $_REQUEST['action'] );
		$this->assertFalse( Admin_Menu_Endpoint::is_requested() );
	}

	/**
	 * Outside that action the plugin accepts no Application Password in wp-admin.
	 */
	public function test_the_hooks_are_added_only_for_its_action(): void {
		$this->assertFalse( has_filter( 'determine_current_user', array( Admin_Menu_Endpoint::class, 'authenticate_from_body' ) ) );
		$this->assertFalse( has_filter( 'application_password_is_api_request', '__return_true' ) );

		Admin_Menu_Endpoint::add_hooks();

		$this->assertSame( 30, has_filter( 'determine_current_user', array( Admin_Menu_Endpoint::class, 'authenticate_from_body' ) ) );
		$this->assertSame( 10, has_filter( 'application_password_is_api_request', '__return_true' ) );
		$this->assertSame( 10, has_action( 'wp_ajax_' . Admin_Menu_Endpoint::ACTION, array( Admin_Menu_Endpoint::class, 'respond' ) ) );
		$this->assertSame( 10, has_action( 'wp_ajax_nopriv_' . Admin_Menu_Endpoint::ACTION, array( Admin_Menu_Endpoint::class, 'respond' ) ) );
		$this->assertSame( PHP_INT_MIN, has_action( 'admin_init', array( Admin_Menu_Endpoint::class, 'refuse_unexpected_input' ) ), 'The input check runs before every other admin_init handler.' );
	}

	/**
	 * Requests on this action that carry more than the backend sends.
	 *
	 * @return array<string, array{0: array<string, mixed>, 1: array<string, mixed>, 2: array<string, mixed>, 3: string[]}>
	 */
	public function requests_with_foreign_input(): array {
		$credentials = array(
			'user'     => 'handoff-bridge',
			'password' => 'abcd',
		);
		$action      = array( 'action' => Admin_Menu_Endpoint::ACTION );
		return array(
			'a query parameter' => array( $action + array( 'default_role' => 'administrator' ), $credentials, array(), array( 'GET default_role' ) ),
			'form fields'       => array(
				$action,
				$credentials + array(
					'default_role'       => 'administrator',
					'users_can_register' => '1',
				),
				array(),
				array( 'POST default_role', 'POST users_can_register' ),
			),
			'a file'            => array( $action, $credentials, array( 'import' => array( 'name' => 'settings.json' ) ), array( 'FILES import' ) ),
			'a nested field'    => array( $action, $credentials + array( 'options' => array( 'default_role' => 'administrator' ) ), array(), array( 'POST options' ) ),
		);
	}

	/**
	 * At admin_init, before any other plugin's handler, a request on this action carrying
	 * input the backend never sends gets 400 `handoff_unexpected_input`, naming it.
	 *
	 * @dataProvider requests_with_foreign_input
	 *
	 * @param array<string, mixed> $get        The query.
	 * @param array<string, mixed> $post       The form fields.
	 * @param array<string, mixed> $files      The uploads.
	 * @param string[]             $unexpected What the answer names.
	 */
	public function test_foreign_input_is_refused_before_other_admin_init_handlers( array $get, array $post, array $files, array $unexpected ): void {
		Admin_Menu_Endpoint::add_hooks();
		$others_ran = false;
		add_action(
			'admin_init',
			static function () use ( &$others_ran ) {
				$others_ran = true;
			},
			PHP_INT_MIN + 1
		);
		$_GET   = wp_slash( $get );
		$_FILES = $files;
		$this->post( $post );

		$answer = $this->answer_of( static fn () => do_action( 'admin_init' ) );

		$this->assertSame( 'handoff_unexpected_input', $answer['code'] );
		$this->assertSame( 400, $answer['data']['status'] );
		$this->assertSame( $unexpected, $answer['data']['unexpected'] );
		$this->assertFalse( $others_ran, 'No other admin_init handler saw the request.' );
	}

	/**
	 * What the backend sends (action in the query, user and password in the body) passes.
	 */
	public function test_the_backend_s_request_passes_admin_init(): void {
		$_GET = array( 'action' => Admin_Menu_Endpoint::ACTION );
		$this->post(
			array(
				'user'     => 'handoff-bridge',
				'password' => 'abcd efgh',
			)
		);
		$sent = false;
		add_filter(
			'wp_die_ajax_handler',
			static function ( $handler ) use ( &$sent ) {
				$sent = true;
				return $handler;
			}
		);

		Admin_Menu_Endpoint::refuse_unexpected_input(); // Returns: the request goes on.

		$this->assertFalse( $sent, 'Nothing was sent.' );
	}

	/**
	 * respond() checks the input too (a plugin may have removed the admin_init check).
	 */
	public function test_respond_refuses_foreign_input(): void {
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$_GET = array(
			'action'       => Admin_Menu_Endpoint::ACTION,
			'default_role' => 'administrator',
		);

		$answer = $this->respond();

		$this->assertSame( 'handoff_unexpected_input', $answer['code'] );
		$this->assertSame( array( 'GET default_role' ), $answer['data']['unexpected'] );
		$this->assertArrayNotHasKey( 'full', $answer );
	}

	/**
	 * Through determine_current_user, as WordPress resolves the user of a request.
	 */
	public function test_the_body_signs_in_through_determine_current_user(): void {
		$connection = $this->connect_bridge();
		Admin_Menu_Endpoint::add_hooks();
		$this->post(
			array(
				'user'     => $connection['login'],
				'password' => $connection['password'],
			)
		);
		$this->assertSame( $connection['user']->ID, apply_filters( 'determine_current_user', false ) );
	}

	/**
	 * Nobody signed in: the protocol's 401, as JSON.
	 */
	public function test_respond_to_nobody_is_401(): void {
		$answer = $this->respond();
		$this->assertSame( 'handoff_unauthenticated', $answer['code'] );
		$this->assertSame(
			array(
				'status'               => 401,
				'authorization_header' => false,
			),
			$answer['data']
		);
	}

	/**
	 * An editor signed in with their own Application Password: 403, and no menu.
	 */
	public function test_respond_to_an_editor_is_403(): void {
		$editor  = $this->create_user( 'editor' );
		$created = WP_Application_Passwords::create_new_application_password( $editor->ID, array( 'name' => 'Some app' ) );
		$this->accept_application_passwords();
		$this->post(
			array(
				'user'     => $editor->user_login,
				'password' => $created[0],
			)
		);
		wp_set_current_user( (int) Admin_Menu_Endpoint::authenticate_from_body( false ) );
		$this->assertSame( $editor->ID, get_current_user_id() );

		$answer = $this->respond();

		$this->assertSame( 'handoff_forbidden', $answer['code'] );
		$this->assertSame( array( 'status' => 403 ), $answer['data'] );
		$this->assertArrayNotHasKey( 'full', $answer );
	}

	/**
	 * The bridge user gets the admin menu object.
	 *
	 * @runInSeparateProcess
	 * @preserveGlobalState disabled
	 */
	public function test_respond_to_the_bridge_user_is_the_menu(): void {
		wp_set_current_user( $this->connect_bridge()['user']->ID );

		$answer = $this->respond();

		$this->assertSame( array( 'context', 'full', 'by_role', 'warnings' ), array_keys( $answer ) );
		$this->assertContains( 'sandbox-reports', array_column( $answer['full'], 'slug' ) );
		$this->assertArrayHasKey( 'editor', $answer['by_role'] );
		$this->assert_no_null( $answer );
	}
}
