<?php
/**
 * The base of every test: runs the test in a database transaction that is rolled back, and
 * puts back what WordPress keeps in memory.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Bridge_Connection;
use Handoff\Companion\Capabilities;
use Handoff\Companion\Connect_Screen;
use PHPUnit\Framework\TestCase;

/**
 * Isolates each test from the others and from the sandbox:
 *
 * - the database: `START TRANSACTION` in setUp, `ROLLBACK` in tearDown (the sandbox's tables
 *   are InnoDB; bootstrap.php checks it), so users, roles and options a test writes vanish;
 * - memory: hooks, the wp-admin menu globals, $_SERVER/$_GET/$_POST/$_REQUEST/$_COOKIE are
 *   restored; the object cache is flushed, roles are reloaded from the database, the current
 *   user is nobody and the REST server is rebuilt on next use;
 * - wp_die() throws Handoff_Test_Die instead of printing a page and exiting;
 * - a deprecation raised in the plugin's own code fails the test (PHPUnit already turns
 *   notices and warnings into errors; WordPress's own deprecations on PHP 8.2 are left to
 *   its debug.log).
 */
abstract class Handoff_Test_Case extends TestCase {

	/**
	 * The plugin's basename in the sandbox.
	 */
	protected const PLUGIN_FILE = 'handoff-companion/handoff-companion.php';

	/**
	 * Globals WordPress's admin code and the XML-RPC server write, restored after each test.
	 */
	private const GLOBALS = array(
		'menu',
		'submenu',
		'_wp_menu_nopriv',
		'_wp_submenu_nopriv',
		'_wp_real_parent_file',
		'_registered_pages',
		'_parent_pages',
		'admin_page_hooks',
		'menu_order',
		'default_menu_order',
		'_wp_last_object_menu',
		'_wp_last_utility_menu',
		'pagenow',
		'plugin_page',
		'typenow',
		'taxnow',
		'current_screen',
		'hook_suffix',
		'title',
		'parent_file',
		'submenu_file',
		'wp_xmlrpc_server',
	);

	/**
	 * The filters that choose wp_die()'s handler.
	 */
	private const DIE_FILTERS = array(
		'wp_die_handler',
		'wp_die_ajax_handler',
		'wp_die_json_handler',
		'wp_die_jsonp_handler',
		'wp_die_xmlrpc_handler',
		'wp_die_xml_handler',
	);

	/**
	 * How many users the tests of this process created (for unique logins).
	 *
	 * @var int
	 */
	private static int $users_created = 0;

	/**
	 * Globals saved in setUp (name => [existed, value]).
	 *
	 * @var array<string, array{0: bool, 1: mixed}>
	 */
	private array $saved_globals = array();

	/**
	 * $_SERVER, $_GET, $_POST, $_REQUEST and $_COOKIE as they were in setUp.
	 *
	 * @var array<string, array<string, mixed>>
	 */
	private array $saved_superglobals = array();

	/**
	 * Whether setUp installed its error handler (tearDown removes it).
	 *
	 * @var bool
	 */
	private bool $error_handler_set = false;

	/**
	 * Copies of the hooks as they were in setUp.
	 *
	 * @var array<string, mixed>
	 */
	private array $saved_hooks = array();

	/**
	 * Starts the transaction and a clean WordPress state.
	 */
	protected function setUp(): void {
		parent::setUp();
		$this->back_up_state();
		$this->query( 'SET autocommit = 0' );
		$this->query( 'START TRANSACTION' );
		$this->reset_wordpress();
		foreach ( self::DIE_FILTERS as $filter ) {
			add_filter( $filter, array( Handoff_Test_Die::class, 'get_handler' ), PHP_INT_MAX );
		}
		$this->fail_on_plugin_deprecations();
	}

	/**
	 * Rolls the database back and restores what the test changed in memory.
	 */
	protected function tearDown(): void {
		if ( $this->error_handler_set ) {
			restore_error_handler();
			$this->error_handler_set = false;
		}
		$this->query( 'ROLLBACK' );
		$this->restore_state();
		$this->reset_wordpress();
		parent::tearDown();
	}

	/**
	 * Turns E_DEPRECATED and E_USER_DEPRECATED raised in a file of the plugin into an
	 * exception; everything else goes to the handler already in place (PHPUnit's).
	 */
	private function fail_on_plugin_deprecations(): void {
		$previous = null;
		$plugin   = realpath( HANDOFF_COMPANION_DIR ) . '/';
		$previous = set_error_handler(
			static function ( int $level, string $message, string $file = '', int $line = 0 ) use ( &$previous, $plugin ) {
				if ( ( E_DEPRECATED | E_USER_DEPRECATED ) & $level && 0 === strpos( (string) realpath( $file ), $plugin ) ) {
					throw new ErrorException( "Deprecated in the plugin: {$message}", 0, $level, $file, $line );
				}
				return null !== $previous ? $previous( $level, $message, $file, $line ) : false;
			}
		);
		$this->error_handler_set = true;
	}

	/**
	 * Runs a statement of the test harness; a failure stops the test.
	 *
	 * @param string $sql The statement.
	 */
	private function query( string $sql ): void {
		global $wpdb;
		if ( false === $wpdb->query( $sql ) ) { // phpcs:ignore WordPress.DB -- fixed statements of the harness.
			throw new RuntimeException( "The test harness could not run '{$sql}': {$wpdb->last_error}" );
		}
	}

	/**
	 * Forgets what WordPress and the plugin cached in memory.
	 */
	private function reset_wordpress(): void {
		wp_cache_flush();
		// Roles live in an option: reload them from the (rolled back) database.
		wp_roles()->for_site();
		wp_set_current_user( 0 );
		$GLOBALS['wp_rest_server'] = null;
		Connect_Screen::reset();
	}

	/**
	 * Saves hooks, globals and superglobals.
	 */
	private function back_up_state(): void {
		$this->saved_hooks = array(
			'wp_filter'         => array(),
			'wp_actions'        => $GLOBALS['wp_actions'],
			'wp_filters'        => $GLOBALS['wp_filters'] ?? array(),
			'wp_current_filter' => $GLOBALS['wp_current_filter'],
		);
		foreach ( $GLOBALS['wp_filter'] as $hook_name => $hook ) {
			$this->saved_hooks['wp_filter'][ $hook_name ] = clone $hook;
		}
		$this->saved_globals = array();
		foreach ( self::GLOBALS as $name ) {
			$this->saved_globals[ $name ] = array( array_key_exists( $name, $GLOBALS ), $GLOBALS[ $name ] ?? null );
		}
		$this->saved_superglobals = array(
			'_SERVER'  => $_SERVER,
			'_GET'     => $_GET,
			'_POST'    => $_POST, // phpcs:ignore WordPress.Security.NonceVerification -- saved, not read.
			'_REQUEST' => $_REQUEST, // phpcs:ignore WordPress.Security.NonceVerification -- saved, not read.
			'_COOKIE'  => $_COOKIE,
		);
	}

	/**
	 * Puts back what back_up_state() saved.
	 */
	private function restore_state(): void {
		foreach ( $this->saved_hooks as $name => $value ) {
			$GLOBALS[ $name ] = $value;
		}
		foreach ( $this->saved_globals as $name => list( $existed, $value ) ) {
			if ( $existed ) {
				$GLOBALS[ $name ] = $value;
			} else {
				unset( $GLOBALS[ $name ] );
			}
		}
		$_SERVER  = $this->saved_superglobals['_SERVER'];
		$_GET     = $this->saved_superglobals['_GET'];
		$_POST    = $this->saved_superglobals['_POST'];
		$_REQUEST = $this->saved_superglobals['_REQUEST'];
		$_COOKIE  = $this->saved_superglobals['_COOKIE'];
	}

	/**
	 * What the sandbox's WordPress releases show differently, by branch (the suite runs on
	 * each: HANDOFF_TEST_WORDPRESS). Each value is what that release really ships.
	 */
	private const RELEASE_FACTS = array(
		'6.1' => array(
			'theme'            => 'twentytwentythree',
			'theme_name'       => 'Twenty Twenty-Three',
			'akismet_name'     => 'Akismet Anti-Spam',
			'add_post_label'   => 'Add New',
			'add_media_label'  => 'Add New',
			'autoload_on'      => 'yes',
			'autoload_off'     => 'no',
		),
		'6.8' => array(
			'theme'            => 'twentytwentyfive',
			'theme_name'       => 'Twenty Twenty-Five',
			'akismet_name'     => 'Akismet Anti-spam: Spam Protection',
			'add_post_label'   => 'Add Post',
			'add_media_label'  => 'Add Media File',
			// WordPress 6.6 stores an explicit autoload choice as on/off, no longer yes/no.
			'autoload_on'      => 'on',
			'autoload_off'     => 'off',
		),
	);

	/**
	 * The branch of the WordPress under test ("6.1", "6.8").
	 */
	protected static function wordpress_branch(): string {
		return implode( '.', array_slice( explode( '.', get_bloginfo( 'version' ) ), 0, 2 ) );
	}

	/**
	 * One fact of self::RELEASE_FACTS for the WordPress under test; fails on an unknown release.
	 *
	 * @param string $name A key of self::RELEASE_FACTS, e.g. 'theme'.
	 */
	protected static function release_fact( string $name ): string {
		$branch = self::wordpress_branch();
		if ( ! isset( self::RELEASE_FACTS[ $branch ][ $name ] ) ) {
			self::fail( "No release fact '{$name}' for WordPress {$branch}: add it to RELEASE_FACTS." );
		}
		return self::RELEASE_FACTS[ $branch ][ $name ];
	}

	/**
	 * The `autoload` column WordPress writes for an option added with an explicit choice.
	 *
	 * @param bool $autoloaded Whether the option was asked to be autoloaded.
	 */
	protected static function stored_autoload( bool $autoloaded ): string {
		return self::release_fact( $autoloaded ? 'autoload_on' : 'autoload_off' );
	}

	/**
	 * Creates a user inside the test's transaction.
	 *
	 * @param string               $role   A role name.
	 * @param array<string, mixed> $fields More wp_insert_user() fields (user_login, user_email, …).
	 */
	protected function create_user( string $role, array $fields = array() ): WP_User {
		++self::$users_created;
		$login = $fields['user_login'] ?? 'handoff-test-' . $role . '-' . self::$users_created;
		$id    = wp_insert_user(
			array_merge(
				array(
					'user_login' => $login,
					'user_email' => $login . '@example.test',
					'user_pass'  => wp_generate_password( 24 ),
					'role'       => $role,
				),
				$fields
			)
		);
		if ( is_wp_error( $id ) ) {
			$this->fail( "Could not create the {$role} '{$login}': " . $id->get_error_message() );
		}
		return new WP_User( $id );
	}

	/**
	 * Creates a user with a role and makes it the current user.
	 *
	 * @param string $role A role name.
	 */
	protected function log_in_as( string $role ): WP_User {
		$user = $this->create_user( $role );
		wp_set_current_user( $user->ID );
		return $user;
	}

	/**
	 * Connects the site as a new administrator, as the Connect screen does, then restores the
	 * current user.
	 *
	 * @return array{key: string, login: string, password: string, payload: array<string, mixed>, user: WP_User, admin: WP_User}
	 */
	protected function connect_bridge(): array {
		$previous = get_current_user_id();
		$admin    = $this->create_user( 'administrator' );
		wp_set_current_user( $admin->ID );
		$result = ( new Bridge_Connection() )->connect();
		wp_set_current_user( $previous );
		if ( is_wp_error( $result ) ) {
			$this->fail( 'connect() failed: ' . $result->get_error_code() . ': ' . $result->get_error_message() );
		}
		$payload = $this->decode_key( $result['key'] );
		$user    = get_user_by( 'login', $result['user_login'] );
		$this->assertInstanceOf( WP_User::class, $user, 'The bridge user exists after connect().' );
		return array(
			'key'      => $result['key'],
			'login'    => $result['user_login'],
			'password' => (string) $payload['password'],
			'payload'  => $payload,
			'user'     => $user,
			'admin'    => $admin,
		);
	}

	/**
	 * Decodes a connection key (`handoff1.` + base64url(JSON), no padding).
	 *
	 * @param string $key The key.
	 * @return array<string, mixed> The JSON object, keys in their order.
	 */
	protected function decode_key( string $key ): array {
		$this->assertStringStartsWith( 'handoff1.', $key );
		$body = substr( $key, strlen( 'handoff1.' ) );
		$this->assertMatchesRegularExpression( '/^[A-Za-z0-9_-]+$/', $body, 'The key is base64url without padding.' );
		$json = base64_decode( strtr( $body, '-_', '+/' ), true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions -- decoding the key format.
		$this->assertIsString( $json, 'The key body is valid base64.' );
		$payload = json_decode( $json, true );
		$this->assertIsArray( $payload, 'The key body is a JSON object.' );
		return $payload;
	}

	/**
	 * Dispatches a REST request in this process (rest_get_server() fires rest_api_init).
	 *
	 * @param string               $method HTTP method.
	 * @param string               $route  Route, e.g. /handoff/v1/status.
	 * @param array<string, mixed> $params Parameters.
	 */
	protected function rest( string $method, string $route, array $params = array() ): WP_REST_Response {
		$request = new WP_REST_Request( $method, $route );
		foreach ( $params as $name => $value ) {
			$request->set_param( $name, $value );
		}
		return rest_do_request( $request );
	}

	/**
	 * A REST response's body as the client receives it (errors as code/message/data).
	 *
	 * @param WP_REST_Response $response The response.
	 * @return array<string, mixed>
	 */
	protected function rest_data( WP_REST_Response $response ): array {
		return (array) rest_get_server()->response_to_data( $response, false );
	}

	/**
	 * Runs code that must end in wp_die(); returns what wp_die() was given.
	 *
	 * @param callable $callback The code.
	 */
	protected function expect_wp_die( callable $callback ): Handoff_Test_Die {
		try {
			$callback();
		} catch ( Handoff_Test_Die $die ) {
			return $die;
		}
		$this->fail( 'wp_die() was not called.' );
	}

	/**
	 * IDs of the users holding the bridge role.
	 *
	 * @return int[]
	 */
	protected function bridge_role_user_ids(): array {
		return array_map( 'intval', get_users( array( 'role' => Capabilities::BRIDGE_ROLE, 'fields' => 'ID' ) ) );
	}

	/**
	 * Every Application Password stored on the site, as (user ID, name) pairs.
	 *
	 * @return array<int, array{0: int, 1: string}>
	 */
	protected function all_application_passwords(): array {
		$all = array();
		foreach ( get_users( array( 'fields' => 'ID' ) ) as $user_id ) {
			foreach ( WP_Application_Passwords::get_user_application_passwords( (int) $user_id ) as $item ) {
				$all[] = array( (int) $user_id, (string) $item['name'] );
			}
		}
		return $all;
	}

	/**
	 * The rows that say who can do what: users, user meta, options (transients left out).
	 * Two equal states mean nothing a test cares about changed.
	 *
	 * @return array<string, array<int, array<string, string>>>
	 */
	protected function site_state(): array {
		global $wpdb;
		// phpcs:disable WordPress.DB -- fixed queries of the test harness.
		return array(
			'users'    => $wpdb->get_results( "SELECT ID, user_login, user_email, user_pass FROM {$wpdb->users} ORDER BY ID", ARRAY_A ),
			'usermeta' => $wpdb->get_results( "SELECT user_id, meta_key, meta_value FROM {$wpdb->usermeta} ORDER BY umeta_id", ARRAY_A ),
			'options'  => $wpdb->get_results( "SELECT option_name, option_value FROM {$wpdb->options} WHERE option_name NOT LIKE '\\_transient\\_%' AND option_name NOT LIKE '\\_site\\_transient\\_%' ORDER BY option_name", ARRAY_A ),
		);
		// phpcs:enable
	}

	/**
	 * Asserts that a document contains no null at any depth (the protocol forbids them).
	 *
	 * @param mixed $value The document.
	 */
	protected function assert_no_null( $value ): void {
		$this->assertSame( array(), self::null_paths( $value, '$' ), 'The document contains null at these paths.' );
	}

	/**
	 * Paths of the nulls in a value.
	 *
	 * @param mixed  $value The value.
	 * @param string $path  Its path.
	 * @return string[]
	 */
	private static function null_paths( $value, string $path ): array {
		if ( null === $value ) {
			return array( $path );
		}
		$paths = array();
		if ( is_array( $value ) || is_object( $value ) ) {
			foreach ( (array) $value as $key => $item ) {
				$paths = array_merge( $paths, self::null_paths( $item, "{$path}.{$key}" ) );
			}
		}
		return $paths;
	}

	/**
	 * Makes Application Passwords count as accepted for this request, as they are during a
	 * REST or XML-RPC request (WordPress refuses them otherwise).
	 */
	protected function accept_application_passwords(): void {
		add_filter( 'application_password_is_api_request', '__return_true' );
	}

	/**
	 * Loads WordPress's XML-RPC server as xmlrpc.php does, accepts Application Passwords
	 * (WordPress does in an XML-RPC request) and starts a fresh server.
	 */
	protected function start_xmlrpc(): void {
		require_once ABSPATH . WPINC . '/class-IXR.php';
		require_once ABSPATH . WPINC . '/class-wp-xmlrpc-server.php';
		$this->accept_application_passwords();
		$this->new_xmlrpc_server();
	}

	/**
	 * Replaces the global XML-RPC server with a fresh one: one request (after a failed
	 * login a server refuses every login).
	 */
	protected function new_xmlrpc_server(): wp_xmlrpc_server {
		$server                      = new wp_xmlrpc_server();
		$server->callbacks           = $server->methods; // What serve_request() does.
		$GLOBALS['wp_xmlrpc_server'] = $server;
		return $server;
	}

	/**
	 * Asserts that a method answered with a fault.
	 *
	 * @param mixed  $result What the method returned.
	 * @param int    $code   The expected fault code.
	 * @param string $prefix The expected start of the fault string.
	 */
	protected function assert_fault( $result, int $code, string $prefix ): void {
		$this->assertInstanceOf( IXR_Error::class, $result );
		$this->assertSame( $code, $result->code, $result->message );
		$this->assertStringStartsWith( $prefix, $result->message );
	}
}
