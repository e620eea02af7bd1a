<?php
/**
 * Tests of the health answer's facts (GET /handoff/v1/health).
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Handbook_Store;
use Handoff\Companion\Health;
use Handoff\Companion\Health_Content_Scan;
use Handoff\Companion\Menu_Profile_Store;

/**
 * Every fact as the bridge user reads it on the fresh sandbox, and each fact following a
 * change of the site (made inside the test's transaction). Who may read the answer is in
 * HealthAccessTest; the Site Health tests' guards are in HealthSiteTestsTest.
 */
class HealthTest extends Handoff_Test_Case {

	/**
	 * The facts of docs/handover.md, in its order.
	 */
	private const FACTS = array(
		'site_health',
		'updates',
		'inactive_plugins',
		'inactive_themes',
		'debug',
		'disallow_file_edit',
		'salts',
		'users',
		'application_passwords',
		'registration',
		'search_engines',
		'permalinks',
		'title',
		'tagline',
		'site_icon',
		'sample_content',
		'privacy_policy',
		'timezone',
		'admin_email',
		'local_urls',
		'menu_profile',
		'handbook',
		'backup_plugins',
	);

	/**
	 * Files a test created, removed in tearDown.
	 *
	 * @var string[]
	 */
	private array $created_files = array();

	/**
	 * The bridge user's ID once connect_bridge() ran in this test.
	 *
	 * @var int
	 */
	private int $bridge_id = 0;

	/**
	 * Removes the files a test created.
	 */
	protected function tearDown(): void {
		foreach ( array_reverse( $this->created_files ) as $path ) {
			if ( is_dir( $path ) ) {
				rmdir( $path );
			} elseif ( file_exists( $path ) ) {
				unlink( $path );
			}
		}
		$this->created_files = array();
		parent::tearDown();
	}

	/**
	 * Reads the answer through the REST route as the bridge user (connected once per test).
	 *
	 * @return array<string, mixed>
	 */
	private function read_health(): array {
		if ( 0 === $this->bridge_id ) {
			$this->bridge_id = $this->connect_bridge()['user']->ID;
		}
		wp_set_current_user( $this->bridge_id );
		$response = $this->rest( 'GET', '/handoff/v1/health' );
		$this->assertSame( 200, $response->get_status(), wp_json_encode( $response->get_data() ) );
		return $this->rest_data( $response );
	}

	/**
	 * The facts, as a client decodes the JSON (objects as arrays).
	 *
	 * @return array<string, mixed>
	 */
	private function facts(): array {
		return json_decode( wp_json_encode( $this->read_health()['facts'] ), true );
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
	 * Creates a published item.
	 *
	 * @param string               $type    Post type.
	 * @param string               $title   Title.
	 * @param string               $content Content.
	 * @param array<string, mixed> $fields  More wp_insert_post() fields.
	 */
	private function publish( string $type, string $title, string $content, array $fields = array() ): int {
		$id = wp_insert_post(
			array_merge(
				array(
					'post_type'    => $type,
					'post_title'   => $title,
					'post_content' => $content,
					'post_status'  => 'publish',
				),
				$fields
			),
			true
		);
		$this->assertIsInt( $id, is_wp_error( $id ) ? $id->get_error_message() : '' );
		return $id;
	}

	/**
	 * The answer: generated_at, and exactly the contract's facts in its order; no null
	 * anywhere; `{}` for an empty first view.
	 */
	public function test_the_answer_has_the_contract_shape(): void {
		$answer = $this->read_health();

		$this->assertSame( array( 'generated_at', 'facts' ), array_keys( $answer ) );
		$this->assertMatchesRegularExpression( '/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/', $answer['generated_at'] );
		$this->assertLessThan( 5, abs( strtotime( $answer['generated_at'] ) - time() ) );
		$this->assertSame( self::FACTS, array_keys( $answer['facts'] ) );
		$this->assert_no_null( $answer );

		$facts = json_decode( wp_json_encode( $answer['facts'] ), true );
		$this->assertSame( array( 'core', 'plugins', 'themes' ), array_keys( $facts['updates'] ) );
		$this->assertSame( array( 'wp_debug', 'display', 'log', 'log_file', 'log_file_bytes' ), array_keys( $facts['debug'] ) );
		$this->assertSame( array( 'placeholder', 'duplicates', 'empty' ), array_keys( $facts['salts'] ) );
		$this->assertSame( array( 'open', 'default_role' ), array_keys( $facts['registration'] ) );
		$this->assertSame( array( 'discouraged', 'environment_type' ), array_keys( $facts['search_engines'] ) );
		$this->assertSame( array( 'hello_world', 'sample_page', 'default_comment', 'lorem_ipsum' ), array_keys( $facts['sample_content'] ) );
		$this->assertSame( array( 'page_id', 'published' ), array_keys( $facts['privacy_policy'] ) );
		$this->assertSame( array( 'string', 'offset' ), array_keys( $facts['timezone'] ) );
		$this->assertSame( array( 'home', 'site', 'in_content', 'in_options' ), array_keys( $facts['local_urls'] ) );
		$this->assertSame( array( 'version', 'hash', 'safe_mode' ), array_keys( $facts['menu_profile'] ) );
		$this->assertSame( array( 'published', 'first_view' ), array_keys( $facts['handbook'] ) );
		$this->assertSame( '{}', wp_json_encode( $answer['facts']['handbook']['first_view'] ), 'An empty first view is an object.' );
		foreach ( $facts['users'] as $user ) {
			$this->assertSame( array( 'login', 'email_domain', 'roles', 'registered' ), array_keys( $user ) );
		}
		foreach ( $facts['site_health'] as $test ) {
			$this->assertSame( array( 'test', 'status', 'label', 'badge' ), array_keys( $test ) );
			$this->assertContainsOnly( 'string', $test );
		}
	}

	/**
	 * The fresh sandbox: a realistic development site, every fact as it really is.
	 */
	public function test_the_fresh_sandbox(): void {
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		$facts = $this->facts();

		$this->assertSame(
			array(
				'core'    => '',
				'plugins' => array(),
				'themes'  => array(),
			),
			$facts['updates'],
			'The sandbox never checked for updates.'
		);
		$this->assertSame(
			array(
				array(
					'file' => 'akismet/akismet.php',
					'name' => self::release_fact( 'akismet_name' ),
				),
			),
			$facts['inactive_plugins']
		);
		$this->assertSame( array(), $facts['inactive_themes'], 'The default theme is the only theme.' );

		$this->assertTrue( $facts['debug']['wp_debug'] );
		$this->assertFalse( $facts['debug']['display'] );
		$this->assertTrue( $facts['debug']['log'] );
		$this->assertSame( 'wp-content/debug.log', $facts['debug']['log_file'] );
		$this->assertIsInt( $facts['debug']['log_file_bytes'] );
		clearstatcache();
		$path = ABSPATH . $facts['debug']['log_file'];
		$this->assertSame( file_exists( $path ) ? filesize( $path ) > 0 : false, $facts['debug']['log_file_bytes'] > 0 );
		$this->assertFalse( $facts['disallow_file_edit'] );
		$this->assertSame(
			array(
				'placeholder' => array(),
				'duplicates'  => array(),
				'empty'       => array(),
			),
			$facts['salts'],
			'The sandbox has real random salts.'
		);

		$admin = $this->find( $facts['users'], 'login', 'admin' );
		$this->assertSame(
			array(
				'login'        => 'admin',
				'email_domain' => 'example.test',
				'roles'        => array( 'administrator' ),
				'registered'   => substr( get_user_by( 'login', 'admin' )->user_registered, 0, 10 ),
			),
			$admin
		);
		$this->assertSame( array( 'editor' ), $this->find( $facts['users'], 'login', 'client' )['roles'] );
		$this->assertSame( 'handoff.invalid', $this->find( $facts['users'], 'login', 'handoff-bridge' )['email_domain'] );
		$this->assertSame( array(), $facts['application_passwords'], 'The bridge user\'s password is left out.' );

		$this->assertSame(
			array(
				'open'         => false,
				'default_role' => 'subscriber',
			),
			$facts['registration']
		);
		$this->assertSame(
			array(
				'discouraged'      => true,
				'environment_type' => 'local',
			),
			$facts['search_engines']
		);
		$this->assertSame( '/%postname%/', $facts['permalinks'] );
		$this->assertSame( 'Sandbox Client Co.', $facts['title'] );
		$this->assertSame( get_option( 'blogdescription' ), $facts['tagline'] );
		$this->assertFalse( $facts['site_icon'] );
		$this->assertSame(
			array(
				'hello_world'     => true,
				'sample_page'     => true,
				'default_comment' => true,
				'lorem_ipsum'     => array(),
			),
			$facts['sample_content']
		);
		$policy = (int) get_option( 'wp_page_for_privacy_policy' );
		$this->assertGreaterThan( 0, $policy );
		$this->assertSame(
			array(
				'page_id'   => $policy,
				'published' => false,
			),
			$facts['privacy_policy'],
			'The installer\'s privacy policy page is a draft.'
		);
		$this->assertSame( get_option( 'timezone_string' ), $facts['timezone']['string'] );
		$this->assertEquals( (float) get_option( 'gmt_offset' ), $facts['timezone']['offset'] );
		$this->assertSame( 'admin@example.test', $facts['admin_email'] );
		$this->assertSame(
			array(
				'home'       => home_url(),
				'site'       => site_url(),
				'in_content' => array(),
				'in_options' => array(),
			),
			$facts['local_urls']
		);
		$this->assertSame(
			array(
				'version'   => 0,
				'hash'      => '',
				'safe_mode' => false,
			),
			$facts['menu_profile']
		);
		$this->assertSame(
			array(
				'published'  => false,
				'first_view' => array(),
			),
			$facts['handbook']
		);
		$this->assertSame( array(), $facts['backup_plugins'] );
	}

	/**
	 * Site Health: the direct tests' results — the async ones are left out — with what
	 * a development site shows.
	 */
	public function test_site_health_lists_the_direct_tests(): void {
		require_once ABSPATH . 'wp-admin/includes/class-wp-site-health.php';
		$facts = $this->facts();
		$tests = array_column( $facts['site_health'], null, 'test' );

		// Each test is named as its result names it: `debug_enabled` answers as `is_in_debug_mode`.
		$direct = array_keys( WP_Site_Health::get_tests()['direct'] );
		$named  = str_replace( 'debug_enabled', 'is_in_debug_mode', $direct );
		$this->assertSame( $named, array_column( $facts['site_health'], 'test' ), 'Every direct test, in WordPress\'s order.' );
		foreach ( array( 'dotorg_communication', 'background_updates', 'loopback_requests', 'https_status', 'authorization_header', 'page_cache' ) as $async ) {
			$this->assertArrayNotHasKey( $async, $tests );
		}
		foreach ( $facts['site_health'] as $test ) {
			$this->assertContains( $test['status'], array( 'good', 'recommended', 'critical' ), $test['test'] );
			$this->assertNotSame( '', $test['label'], $test['test'] );
			$this->assertContains( $test['badge'], array( 'Performance', 'Security' ), $test['test'] );
			$this->assertStringNotContainsString( '<', $test['label'] );
			$this->assertStringNotContainsString( '&#', $test['label'] );
		}
		$this->assertSame( 'critical', $tests['is_in_debug_mode']['status'], 'Debug logging to a public file.' );
		$this->assertSame( 'good', $tests['php_version']['status'] );
		$this->assertSame( 'Security', $tests['is_in_debug_mode']['badge'] );
		$this->assertSame( 'recommended', $tests['plugin_version']['status'], 'Akismet is inactive.' );
	}

	/**
	 * Every fact follows a change of the site.
	 */
	public function test_the_facts_follow_the_site(): void {
		$this->read_health(); // Connects the bridge before anything else changes.
		$client = get_user_by( 'login', 'client' );
		$admin  = get_user_by( 'login', 'admin' );

		update_option( 'blogdescription', 'Fresh bread daily' );
		update_option( 'blogname', 'Bakery' );
		update_option( 'users_can_register', 1 );
		update_option( 'default_role', 'editor' );
		update_option( 'blog_public', '1' );
		update_option( 'permalink_structure', '' );
		update_option( 'admin_email', 'office@bakery.example' );
		update_option( 'timezone_string', 'Europe/Paris' );
		wp_trash_comment( 1 );
		$about   = $this->publish( 'page', 'About', '<p>Lorem ipsum dolor sit amet.</p>' );
		$shouted = $this->publish( 'post', 'Shouted', 'LOREM IPSUM, in capitals.' );
		$this->publish( 'page', 'Draft', 'Lorem ipsum in a draft.', array( 'post_status' => 'draft' ) );
		$local   = $this->publish( 'page', 'Contact', '<a href="http://localhost:8888/x">us</a>' );
		$this->publish( 'page', 'Links to itself', '<a href="' . home_url( '/about/' ) . '">about</a>' );
		$staging = $this->publish( 'post', 'Staging', '<img src="https://staging.bakery.example/img.png">' );
		update_option( 'widget_text', array( 2 => array( 'text' => '<a href="http://shop.local/">shop</a>' ) ) );
		update_option( 'widget_block', array( 2 => array( 'content' => '<!-- wp:paragraph --><p>Nothing local</p><!-- /wp:paragraph -->' ) ) );
		list( , $item ) = WP_Application_Passwords::create_new_application_password( $admin->ID, array( 'name' => 'build script' ) );
		$reader     = $this->create_user( 'subscriber' );
		$consultant = $this->create_user( 'editor', array( 'user_email' => 'sam@Agency.Example' ) );
		$privacy    = (int) get_option( 'wp_page_for_privacy_policy' );
		wp_publish_post( $privacy );
		add_filter( 'file_mod_allowed', '__return_false' );

		$facts = $this->facts();

		$this->assertSame( 'Fresh bread daily', $facts['tagline'] );
		$this->assertSame( 'Bakery', $facts['title'] );
		$this->assertSame(
			array(
				'open'         => true,
				'default_role' => 'editor',
			),
			$facts['registration']
		);
		$this->assertFalse( $facts['search_engines']['discouraged'] );
		$this->assertSame( '', $facts['permalinks'] );
		$this->assertSame( 'office@bakery.example', $facts['admin_email'] );
		$this->assertSame( 'Europe/Paris', $facts['timezone']['string'] );
		$this->assertTrue( $facts['disallow_file_edit'], 'File changes disallowed turn the editors off.' );
		$this->assertSame(
			array(
				'page_id'   => $privacy,
				'published' => true,
			),
			$facts['privacy_policy']
		);

		$this->assertTrue( $facts['sample_content']['hello_world'] );
		$this->assertFalse( $facts['sample_content']['default_comment'], 'A trashed comment is gone.' );
		$this->assertSame(
			array(
				array(
					'id'    => $about,
					'title' => 'About',
				),
				array(
					'id'    => $shouted,
					'title' => 'Shouted',
				),
			),
			$facts['sample_content']['lorem_ipsum'],
			'Published items only, any case.'
		);
		$this->assertSame(
			array(
				array(
					'id'    => $local,
					'title' => 'Contact',
					'url'   => 'http://localhost:8888/x',
				),
				array(
					'id'    => $staging,
					'title' => 'Staging',
					'url'   => 'https://staging.bakery.example/img.png',
				),
			),
			$facts['local_urls']['in_content'],
			'Links to the site itself are not reported.'
		);
		$this->assertSame( array( 'widget_text' ), $facts['local_urls']['in_options'] );

		$this->assertSame(
			array(
				array(
					'login'     => 'admin',
					'name'      => 'build script',
					'created'   => (int) $item['created'],
					'last_used' => 0,
				),
			),
			$facts['application_passwords']
		);
		$logins = array_column( $facts['users'], 'login' );
		$this->assertNotContains( $reader->user_login, $logins, 'Subscribers are not listed.' );
		$listed = $this->find( $facts['users'], 'login', $consultant->user_login );
		$this->assertSame( 'agency.example', $listed['email_domain'] );
		$this->assertSame( gmdate( 'Y-m-d' ), $listed['registered'] );
		$this->assertSame( array( 'editor' ), $this->find( $facts['users'], 'login', $client->user_login )['roles'] );

		wp_delete_post( 1, true );
		update_option( 'gmt_offset', 5.5 );
		update_option( 'timezone_string', '' );
		update_option( 'users_can_register', 0 );
		$facts = $this->facts();
		$this->assertFalse( $facts['sample_content']['hello_world'] );
		$this->assertSame(
			array(
				'string' => '',
				'offset' => 5.5,
			),
			$facts['timezone']
		);
		$this->assertFalse( $facts['registration']['open'] );
	}

	/**
	 * The sample page counts while it is published under its title.
	 */
	public function test_the_sample_page_counts_while_published(): void {
		$page = get_page_by_path( 'sample-page' );
		$this->assertInstanceOf( WP_Post::class, $page );
		$this->assertTrue( $this->facts()['sample_content']['sample_page'] );

		wp_update_post(
			array(
				'ID'          => $page->ID,
				'post_status' => 'draft',
			)
		);
		$this->assertFalse( $this->facts()['sample_content']['sample_page'] );
	}

	/**
	 * Updates come from the transients, with the installed versions.
	 */
	public function test_updates_come_from_the_transients(): void {
		set_site_transient(
			'update_core',
			(object) array(
				'updates'         => array(
					(object) array(
						'response' => 'upgrade',
						'current'  => '6.9.1',
					),
				),
				'last_checked'    => time(),
				'version_checked' => get_bloginfo( 'version' ),
			)
		);
		set_site_transient(
			'update_plugins',
			(object) array(
				'response'     => array(
					'akismet/akismet.php' => (object) array( 'new_version' => '9.0' ),
					'gone/gone.php'       => (object) array( 'new_version' => '2.0' ),
				),
				'last_checked' => time(),
			)
		);
		set_site_transient(
			'update_themes',
			(object) array(
				'response'     => array( self::release_fact( 'theme' ) => array( 'new_version' => '9.9' ) ),
				'last_checked' => time(),
			)
		);
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		$akismet = get_plugins()['akismet/akismet.php'];

		$updates = $this->facts()['updates'];

		$this->assertSame( '6.9.1', $updates['core'] );
		$this->assertSame(
			array(
				array(
					'file'        => 'akismet/akismet.php',
					'name'        => self::release_fact( 'akismet_name' ),
					'version'     => $akismet['Version'],
					'new_version' => '9.0',
				),
			),
			$updates['plugins'],
			'A plugin that is no longer installed is left out.'
		);
		$this->assertSame( self::release_fact( 'theme' ), $updates['themes'][0]['stylesheet'] );
		$this->assertSame( self::release_fact( 'theme_name' ), $updates['themes'][0]['name'] );
		$this->assertSame( wp_get_theme( self::release_fact( 'theme' ) )->get( 'Version' ), $updates['themes'][0]['version'] );
		$this->assertSame( '9.9', $updates['themes'][0]['new_version'] );
	}

	/**
	 * A known backup plugin is listed, active or not; other plugins are not.
	 */
	public function test_backup_plugins_are_recognised_by_folder(): void {
		foreach ( array( 'updraftplus' => 'UpdraftPlus - Backup/Restore', 'updraftplus-addons' => 'Not a backup plugin' ) as $folder => $name ) {
			$dir = WP_PLUGIN_DIR . '/' . $folder;
			$this->assertFalse( file_exists( $dir ), "{$dir} does not exist before the test." );
			mkdir( $dir );
			$this->created_files[] = $dir;
			file_put_contents( "{$dir}/{$folder}.php", "<?php\n/**\n * Plugin Name: {$name}\n * Version: 1.0\n */\n" );
			$this->created_files[] = "{$dir}/{$folder}.php";
		}
		wp_cache_delete( 'plugins', 'plugins' );

		$this->assertSame(
			array(
				array(
					'file'   => 'updraftplus/updraftplus.php',
					'name'   => 'UpdraftPlus - Backup/Restore',
					'active' => false,
				),
			),
			$this->facts()['backup_plugins']
		);

		update_option( 'active_plugins', array_merge( (array) get_option( 'active_plugins' ), array( 'updraftplus/updraftplus.php' ) ) );
		$this->assertTrue( $this->facts()['backup_plugins'][0]['active'] );
	}

	/**
	 * The menu profile's version and hash, and the handbook with its first view.
	 */
	public function test_menu_profile_and_handbook(): void {
		$profile = json_decode( '{"schema_version": 1, "name": "Client", "targets": {"users": ["client"]}, "menu": [{"slug": "index.php", "state": "visible"}]}' );
		$this->assertIsArray( ( new Menu_Profile_Store() )->put( $profile, 0, 'admin' ) );
		Handbook_Store::publish(
			array(
				'title'    => 'Handbook',
				'language' => 'en',
				'html'     => '<h2 id="start">Start</h2>',
				'hash'     => str_repeat( 'a', 64 ),
				'sections' => array(),
			),
			'admin'
		);

		$facts = $this->facts();
		$this->assertSame(
			array(
				'version'   => 1,
				'hash'      => Menu_Profile_Store::hash( $profile ),
				'safe_mode' => false,
			),
			$facts['menu_profile']
		);
		$this->assertSame(
			array(
				'published'  => true,
				'first_view' => array(),
			),
			$facts['handbook']
		);

		Handbook_Store::record_view( get_user_by( 'login', 'client' ), 1764000000 );
		$this->assertSame(
			array(
				'user_login' => 'client',
				'at'         => 1764000000,
			),
			$this->facts()['handbook']['first_view']
		);
	}

	/**
	 * A site icon counts when it is a real attachment.
	 */
	public function test_the_site_icon(): void {
		$icon = wp_insert_attachment(
			array(
				'post_title'     => 'Icon',
				'post_mime_type' => 'image/png',
				'post_status'    => 'inherit',
			),
			'2026/11/icon.png'
		);
		update_option( 'site_icon', $icon );
		$this->assertTrue( $this->facts()['site_icon'] );
		update_option( 'site_icon', $icon + 1000 );
		$this->assertFalse( $this->facts()['site_icon'] );
	}

	/**
	 * Users are capped at 200, the first by ID; subscribers do not count.
	 */
	public function test_users_are_capped(): void {
		global $wpdb;
		$rows = array();
		for ( $i = 1; $i <= Health::USER_LIMIT; $i++ ) {
			$rows[] = $wpdb->prepare( '(%s, %s, %s, %s, %s)', "bulk-{$i}", '*', "bulk-{$i}", "bulk-{$i}@example.test", '2026-01-01 00:00:00' );
		}
		// phpcs:ignore WordPress.DB -- rows prepared above.
		$wpdb->query( "INSERT INTO {$wpdb->users} (user_login, user_pass, user_nicename, user_email, user_registered) VALUES " . implode( ', ', $rows ) );
		// phpcs:ignore WordPress.DB -- a fixed statement: every bulk user is an author.
		$wpdb->query( $wpdb->prepare( "INSERT INTO {$wpdb->usermeta} (user_id, meta_key, meta_value) SELECT ID, %s, %s FROM {$wpdb->users} WHERE user_login LIKE 'bulk-%%'", $wpdb->prefix . 'capabilities', maybe_serialize( array( 'author' => true ) ) ) );
		wp_cache_flush();

		$users = $this->facts()['users'];
		$this->assertCount( Health::USER_LIMIT, $users );
		$this->assertSame( 'admin', $users[0]['login'] );
		$this->assertSame( '2026-01-01', $this->find( $users, 'login', 'bulk-1' )['registered'] );
	}

	/**
	 * Salts: placeholders, empty or undefined ones and duplicates, by name only.
	 */
	public function test_the_salt_analysis(): void {
		$values = array(
			'AUTH_KEY'         => 'put your unique phrase here',
			'SECURE_AUTH_KEY'  => ' Put Your Unique Phrase Here ',
			'LOGGED_IN_KEY'    => '',
			'NONCE_KEY'        => null,
			'AUTH_SALT'        => 'same-secret-value',
			'SECURE_AUTH_SALT' => 'unique-1',
			'LOGGED_IN_SALT'   => 'same-secret-value',
			'NONCE_SALT'       => 'unique-2',
		);
		$result = Health::salts( $values );
		$this->assertSame(
			array(
				'placeholder' => array( 'AUTH_KEY', 'SECURE_AUTH_KEY' ),
				'duplicates'  => array( 'AUTH_SALT', 'LOGGED_IN_SALT' ),
				'empty'       => array( 'LOGGED_IN_KEY', 'NONCE_KEY' ),
			),
			$result
		);
		$this->assertStringNotContainsString( 'same-secret-value', wp_json_encode( $result ) );

		$unique = array();
		foreach ( Health::SALTS as $i => $name ) {
			$unique[ $name ] = "value-{$i}";
		}
		$this->assertSame(
			array(
				'placeholder' => array(),
				'duplicates'  => array(),
				'empty'       => array(),
			),
			Health::salts( $unique )
		);
	}

	/**
	 * The answer names the salts, never their values.
	 */
	public function test_no_secret_leaves_the_site(): void {
		$json = wp_json_encode( $this->read_health() );
		foreach ( Health::SALTS as $name ) {
			$this->assertStringNotContainsString( (string) constant( $name ), $json );
		}
		$this->assertStringNotContainsString( 'admin@example.test', wp_json_encode( $this->facts()['users'] ), 'Users carry e-mail domains only.' );
	}

	/**
	 * A log file's path is relative to the WordPress directory when inside it; its size
	 * is read fresh; a missing file is 0 bytes.
	 */
	public function test_the_log_file_fact(): void {
		$inside = WP_CONTENT_DIR . '/handoff-health-test-' . wp_generate_password( 8, false ) . '.log';
		file_put_contents( $inside, str_repeat( 'x', 1234 ) );
		$this->created_files[] = $inside;
		$this->assertSame(
			array(
				'path'   => substr( wp_normalize_path( $inside ), strlen( wp_normalize_path( ABSPATH ) ) ),
				'exists' => true,
				'bytes'  => 1234,
			),
			Health::log_file( $inside )
		);
		file_put_contents( $inside, 'more', FILE_APPEND );
		$this->assertSame( 1238, Health::log_file( $inside )['bytes'] );
		unlink( $inside );
		$this->assertSame( 0, Health::log_file( $inside )['bytes'] );
		$this->assertFalse( Health::log_file( $inside )['exists'] );

		$outside = tempnam( sys_get_temp_dir(), 'handoff-health' );
		$this->created_files[] = $outside;
		file_put_contents( $outside, 'abc' );
		$this->assertSame(
			array(
				'path'   => wp_normalize_path( $outside ),
				'exists' => true,
				'bytes'  => 3,
			),
			Health::log_file( $outside )
		);
	}

	/**
	 * The debug log of the sandbox: the size reported is the file's at that moment.
	 */
	public function test_the_debug_log_size_is_the_files(): void {
		$path    = ABSPATH . 'wp-content/debug.log';
		$created = ! file_exists( $path );
		if ( $created ) {
			file_put_contents( $path, "test line\n" );
			$this->created_files[] = $path;
		}
		clearstatcache();
		$before = filesize( $path );
		$debug  = $this->facts()['debug'];
		clearstatcache();
		$after = filesize( $path );

		$this->assertSame( 'wp-content/debug.log', $debug['log_file'] );
		$this->assertGreaterThanOrEqual( $before, $debug['log_file_bytes'] );
		$this->assertLessThanOrEqual( $after, $debug['log_file_bytes'] );
	}

	/**
	 * Development links: what counts, and what does not.
	 *
	 * @return array<string, array{0: string, 1: string}>
	 */
	public function local_url_cases(): array {
		return array(
			'localhost with a port'      => array( '<a href="http://localhost:8888/x">', 'http://localhost:8888/x' ),
			'127.0.0.1, another port'    => array( 'src="//127.0.0.1:3000/a.js"', '//127.0.0.1:3000/a.js' ),
			'a .local host'              => array( 'see https://client.local/shop.', 'https://client.local/shop' ),
			'a .test host, no slash'     => array( '"url":"https://client.test"', 'https://client.test' ),
			'an .invalid host'           => array( 'http://x.invalid/?a=1', 'http://x.invalid/?a=1' ),
			'a staging host'             => array( 'https://staging.client.example/p', 'https://staging.client.example/p' ),
			'a dev host'                 => array( 'http://dev.client.example', 'http://dev.client.example' ),
			'JSON-escaped slashes'       => array( '{"url":"http:\\/\\/shop.local\\/a"}', 'http://shop.local/a' ),
			'a live host'                => array( 'https://client.example/about', '' ),
			'developer is not dev.'      => array( 'https://developer.example.com/', '' ),
			'test.com is not .test'      => array( 'https://www.test.com/', '' ),
			'an e-mail on .test'         => array( 'mailto:jane@client.test', '' ),
			'plain text'                 => array( 'localhost and 127.0.0.1 without a link', '' ),
			'the first of two'           => array( 'https://client.example/ and http://localhost/a and http://b.local/', 'http://localhost/a' ),
		);
	}

	/**
	 * Which links count as development links.
	 *
	 * @dataProvider local_url_cases
	 *
	 * @param string $text     The text.
	 * @param string $expected The URL found, or ''.
	 */
	public function test_local_url_detection( string $text, string $expected ): void {
		$this->assertSame( $expected, Health_Content_Scan::local_url( $text ) );
	}

	/**
	 * Links to the site's own address are not development links, unless they name
	 * another port of the same host.
	 */
	public function test_the_sites_own_host_is_not_a_local_url(): void {
		add_filter(
			'home_url',
			static function ( $url, $path ) {
				return 'http://client.local' . ( $path ? '/' . ltrim( $path, '/' ) : '' );
			},
			10,
			2
		);
		$this->assertSame( '', Health_Content_Scan::local_url( '<a href="http://client.local/about/">' ) );
		$this->assertSame( '', Health_Content_Scan::local_url( '<a href="http://client.local:80/about/">' ) );
		$this->assertSame( 'http://client.local:8080/x', Health_Content_Scan::local_url( 'http://client.local:8080/x' ) );
		$this->assertSame( 'http://other.local/', Health_Content_Scan::local_url( 'http://client.local/ http://other.local/' ) );
	}

	/**
	 * At most 20 items are listed, by ID; published items only.
	 */
	public function test_content_lists_are_capped(): void {
		$ids = array();
		for ( $i = 1; $i <= 22; $i++ ) {
			$ids[] = $this->publish( 'post', "Local {$i}", "Lorem ipsum <a href=\"http://localhost/{$i}\">x</a>" );
		}
		$this->publish( 'post', 'Private', 'Lorem ipsum http://localhost/private', array( 'post_status' => 'private' ) );

		$facts = $this->facts();
		$this->assertSame( array_slice( $ids, 0, 20 ), array_column( $facts['local_urls']['in_content'], 'id' ) );
		$this->assertSame( array_slice( $ids, 0, 20 ), array_column( $facts['sample_content']['lorem_ipsum'], 'id' ) );
		$this->assertSame( 'http://localhost/1', $facts['local_urls']['in_content'][0]['url'] );
	}

	/**
	 * The active theme's settings count among the options; a custom link of a menu counts
	 * among the items.
	 */
	public function test_theme_settings_and_menu_links(): void {
		set_theme_mod( 'header_link', 'https://staging.client.example/' );
		$menu = wp_create_nav_menu( 'Main' );
		$item = wp_update_nav_menu_item(
			$menu,
			0,
			array(
				'menu-item-title'  => 'Shop',
				'menu-item-url'    => 'http://shop.test/cart',
				'menu-item-status' => 'publish',
				'menu-item-type'   => 'custom',
			)
		);

		$facts = $this->facts();
		$this->assertSame( array( 'theme_mods_' . get_stylesheet() ), $facts['local_urls']['in_options'] );
		$this->assertSame(
			array(
				array(
					'id'    => $item,
					'title' => 'Shop',
					'url'   => 'http://shop.test/cart',
				),
			),
			$facts['local_urls']['in_content']
		);
	}
}
