<?php
/**
 * Tests of menu profile validation.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Menu_Profile_Api;
use Handoff\Companion\Menu_Profile_Validator;
use Handoff\Companion\Options;
use Handoff\Companion\Schema_Validator;

/**
 * Malformed and dangerous profiles are refused with the path of each problem, and a
 * refused profile changes nothing: the stored profile, its version and the history stay
 * exactly as they were.
 */
class MenuProfileValidatorTest extends Handoff_Test_Case {

	/**
	 * A valid profile for editors; `admin` (the sandbox's administrator) is exempt.
	 *
	 * @return array<string, mixed>
	 */
	private static function valid(): array {
		return array(
			'schema_version' => 1,
			'name'           => 'Content editor',
			'description'    => 'Pages, posts and media.',
			'targets'        => array(
				'roles' => array( 'editor' ),
				'users' => array( 'client' ),
			),
			'exempt_users'   => array( 'admin' ),
			'combine'        => 'all_roles',
			'unknown_items'  => 'hide',
			'menu'           => array(
				array(
					'slug'     => 'index.php',
					'state'    => 'visible',
					'title'    => 'Start',
					'children' => array(
						array(
							'slug'  => 'index.php',
							'state' => 'visible',
						),
						array(
							'slug'  => 'update-core.php',
							'state' => 'denied',
						),
					),
				),
				array(
					'slug'  => 'edit.php?post_type=page',
					'state' => 'visible',
				),
				array(
					'slug'  => 'edit.php',
					'state' => 'visible',
					'title' => 'News',
					'icon'  => 'dashicons-megaphone',
				),
				array(
					'slug'  => 'plugins.php',
					'state' => 'denied',
				),
			),
			'custom_links'   => array(
				array(
					'label'   => 'Support',
					'url'     => 'https://agency.example/support',
					'icon'    => 'dashicons-sos',
					'after'   => 'edit.php',
					'new_tab' => true,
				),
			),
			'admin_bar'      => array( 'remove' => array( 'wp-logo' ) ),
			'dashboard'      => array(
				'remove_widgets' => array( 'dashboard_primary' ),
				'start_here'     => array(
					'title'    => 'Start here',
					'text'     => 'Edit your pages under Pages.',
					'contacts' => array(
						array(
							'name'  => 'Agency',
							'email' => 'help@agency.example',
							'phone' => '+44 20 1234',
						),
					),
				),
			),
			'notices'        => array(
				'hide_update_nags'   => true,
				'hide_admin_notices' => false,
			),
		);
	}

	/**
	 * JSON text of a profile as a client sends it.
	 *
	 * @param mixed $profile The profile.
	 */
	private static function json( $profile ): string {
		return (string) wp_json_encode( $profile );
	}

	/**
	 * The two options' rows as they are in the database.
	 *
	 * @return array<int, array<string, string>>
	 */
	private static function stored(): array {
		global $wpdb;
		// phpcs:ignore WordPress.DB -- a fixed query of the test.
		return $wpdb->get_results( $wpdb->prepare( "SELECT option_name, option_value, autoload FROM {$wpdb->options} WHERE option_name IN ( %s, %s ) ORDER BY option_name", Options::MENU, Options::MENU_HISTORY ), ARRAY_A );
	}

	/**
	 * Stores the valid profile as version 1, as the bridge user, so that each test can
	 * check that a refused profile leaves it alone.
	 */
	protected function setUp(): void {
		parent::setUp();
		if ( ! get_user_by( 'login', 'client' ) ) {
			$this->create_user( 'editor', array( 'user_login' => 'client' ) );
		}
		$connection = $this->connect_bridge();
		wp_delete_user( $connection['admin']->ID ); // The sandbox's `admin` is then the only administrator.
		wp_set_current_user( $connection['user']->ID );
		$stored = Menu_Profile_Api::put( self::json( self::valid() ), 0 );
		$this->assertIsArray( $stored, is_wp_error( $stored ) ? wp_json_encode( $stored->get_error_data() ) : '' );
		$this->assertSame( 1, $stored['version'] );
	}

	/**
	 * Sends a profile that must be refused; returns the errors after checking that
	 * nothing changed.
	 *
	 * @param mixed $profile The profile (JSON text or decoded).
	 * @return array<int, array{path: string, message: string}>
	 */
	private function refused( $profile ): array {
		$before = self::stored();
		$result = Menu_Profile_Api::put( is_string( $profile ) ? $profile : self::json( $profile ), 1 );
		$this->assertInstanceOf( WP_Error::class, $result, 'The profile is refused.' );
		$this->assertSame( 'handoff_invalid_profile', $result->get_error_code() );
		$data = $result->get_error_data();
		$this->assertSame( 400, $data['status'] );
		$this->assertNotEmpty( $data['errors'] );
		foreach ( $data['errors'] as $error ) {
			$this->assertSame( array( 'path', 'message' ), array_keys( $error ) );
			$this->assertIsString( $error['path'] );
			$this->assertNotSame( '', $error['message'] );
		}
		$this->assertSame( $before, self::stored(), 'A refused profile changes nothing.' );
		return $data['errors'];
	}

	/**
	 * Asserts that one of the errors is at a path (and says something).
	 *
	 * @param array<int, array{path: string, message: string}> $errors   The errors.
	 * @param string                                           $path     The expected path.
	 * @param string                                           $contains Text the message contains.
	 */
	private function assert_error_at( array $errors, string $path, string $contains = '' ): void {
		foreach ( $errors as $error ) {
			if ( $path === $error['path'] && ( '' === $contains || false !== strpos( $error['message'], $contains ) ) ) {
				$this->addToAssertionCount( 1 );
				return;
			}
		}
		$this->fail( "No error at {$path}" . ( '' === $contains ? '' : " saying '{$contains}'" ) . ': ' . wp_json_encode( $errors ) );
	}

	/**
	 * The valid profile passes, with no warnings.
	 */
	public function test_a_valid_profile_passes(): void {
		$result = ( new Menu_Profile_Validator() )->validate( json_decode( self::json( self::valid() ) ) );
		$this->assertSame(
			array(
				'errors'   => array(),
				'warnings' => array(),
			),
			$result
		);
	}

	/**
	 * Malformed profiles, each refused with an error at the path of the problem.
	 *
	 * @dataProvider malformed_profiles
	 *
	 * @param callable $change   Turns the valid profile (decoded, objects as stdClass) into a bad one.
	 * @param string   $path     Where the error is.
	 * @param string   $contains Text the message contains.
	 */
	public function test_malformed_profiles_are_refused( callable $change, string $path, string $contains = '' ): void {
		$profile = json_decode( self::json( self::valid() ) );
		$profile = $change( $profile ) ?? $profile;
		$this->assert_error_at( $this->refused( $profile ), $path, $contains );
	}

	/**
	 * The malformed profiles: a change, the error's path, part of its message.
	 *
	 * @return array<string, array{0: callable, 1: string, 2?: string}>
	 */
	public function malformed_profiles(): array {
		$set = static function ( string $path, $value ): callable {
			return static function ( stdClass $profile ) use ( $path, $value ) {
				$keys   = explode( '/', $path );
				$last   = array_pop( $keys );
				$target = $profile;
				foreach ( $keys as $key ) {
					$target = is_array( $target ) ? $target[ (int) $key ] : $target->{$key};
				}
				if ( is_array( $target ) ) {
					// Lists are copied by value: rebuild the path.
					throw new LogicException( 'Set list items through an object.' );
				}
				if ( null === $value ) {
					unset( $target->{$last} );
				} else {
					$target->{$last} = $value;
				}
				return $profile;
			};
		};
		$item = static function ( int $index, string $key, $value ): callable {
			return static function ( stdClass $profile ) use ( $index, $key, $value ) {
				$profile->menu[ $index ]->{$key} = $value;
				return $profile;
			};
		};
		return array(
			'schema_version is a string'       => array( $set( 'schema_version', '1' ), 'schema_version', 'must be 1' ),
			'schema_version 2'                 => array( $set( 'schema_version', 2 ), 'schema_version', 'must be 1' ),
			'name missing'                     => array( $set( 'name', null ), 'name', 'is required' ),
			'name empty'                       => array( $set( 'name', '' ), 'name', 'must not be empty' ),
			'name is a number'                 => array( $set( 'name', 5 ), 'name', 'must be a string' ),
			'name with HTML'                   => array( $set( 'name', '<script>alert(1)</script>' ), 'name', '< or >' ),
			'name too long'                    => array( $set( 'name', str_repeat( 'é', 101 ) ), 'name', 'at most 100' ),
			'description with HTML'            => array( $set( 'description', 'Hi <b>there</b>' ), 'description' ),
			'an unknown key'                   => array( $set( 'unexpected', 1 ), 'unexpected', 'not an allowed key' ),
			'targets missing'                  => array( $set( 'targets', null ), 'targets', 'is required' ),
			'targets empty'                    => array( $set( 'targets', new stdClass() ), 'targets', 'none of the allowed forms' ),
			'targets a list'                   => array( $set( 'targets', array() ), 'targets', 'must be an object' ),
			'no role and no user'              => array(
				$set(
					'targets',
					(object) array(
						'roles' => array(),
						'users' => array(),
					)
				),
				'targets',
				'at least 1',
			),
			'roles an object'                  => array( $set( 'targets/roles', (object) array( 'a' => 'editor' ) ), 'targets/roles', 'must be a list' ),
			'a role twice'                     => array( $set( 'targets/roles', array( 'editor', 'editor' ) ), 'targets/roles/1', 'repeats item 0' ),
			'a role with capitals'             => array( $set( 'targets/roles', array( 'Editor' ) ), 'targets/roles/0', 'pattern' ),
			'an unknown key in targets'        => array( $set( 'targets/groups', array( 'x' ) ), 'targets/groups' ),
			'combine unknown'                  => array( $set( 'combine', 'some_roles' ), 'combine', 'all_roles' ),
			'unknown_items unknown'            => array( $set( 'unknown_items', 'remove' ), 'unknown_items', 'one of' ),
			'menu empty'                       => array( $set( 'menu', array() ), 'menu', 'at least 1' ),
			'menu an object'                   => array( $set( 'menu', new stdClass() ), 'menu', 'must be a list' ),
			'an item without state'            => array(
				static function ( stdClass $profile ) {
					unset( $profile->menu[1]->state );
				},
				'menu/1/state',
				'is required',
			),
			'a state unknown'                  => array( $item( 1, 'state', 'shown' ), 'menu/1/state', 'visible' ),
			'an unknown key in an item'        => array( $item( 1, 'colour', 'red' ), 'menu/1/colour' ),
			'a title with HTML'                => array( $item( 1, 'title', '<b>Pages</b>' ), 'menu/1/title', '< or >' ),
			'a title empty'                    => array( $item( 1, 'title', '' ), 'menu/1/title' ),
			'a slug with a space'              => array( $item( 1, 'slug', 'edit.php?x=a b' ), 'menu/1/slug' ),
			'a slug with a quote'              => array( $item( 1, 'slug', "edit.php'onmouseover=x" ), 'menu/1/slug' ),
			'a slug with a final newline'      => array( $item( 1, 'slug', "edit.php\n" ), 'menu/1/slug' ),
			'a slug with a no-break space'     => array( $item( 1, 'slug', "edit.php\u{00A0}x" ), 'menu/1/slug' ),
			'an icon that is not a dashicon'   => array( $item( 2, 'icon', 'fa-home' ), 'menu/2/icon' ),
			'an icon with a URL'               => array( $item( 2, 'icon', 'https://evil.example/x.svg' ), 'menu/2/icon' ),
			'children an object'               => array( $item( 1, 'children', new stdClass() ), 'menu/1/children', 'must be a list' ),
			'children_order unknown'           => array( $item( 1, 'children_order', 'alpha' ), 'menu/1/children_order' ),
			'a javascript: URL'                => array( $set( 'custom_links', array( (object) array( 'label' => 'x', 'url' => 'javascript:alert(1)' ) ) ), 'custom_links/0/url', 'Never javascript:' ),
			'a JavaScript: URL in capitals'    => array( $set( 'custom_links', array( (object) array( 'label' => 'x', 'url' => 'JavaScript:alert(1)' ) ) ), 'custom_links/0/url' ),
			'a data: URL'                      => array( $set( 'custom_links', array( (object) array( 'label' => 'x', 'url' => 'data:text/html,<script>1</script>' ) ) ), 'custom_links/0/url' ),
			'a relative URL'                   => array( $set( 'custom_links', array( (object) array( 'label' => 'x', 'url' => 'wp-admin/x' ) ) ), 'custom_links/0/url' ),
			'a URL with a quote'               => array( $set( 'custom_links', array( (object) array( 'label' => 'x', 'url' => 'https://a.example/"onclick=x' ) ) ), 'custom_links/0/url' ),
			'a link label with HTML'           => array( $set( 'custom_links', array( (object) array( 'label' => '<img src=x>', 'url' => '/x' ) ) ), 'custom_links/0/label' ),
			'a link without a label'           => array( $set( 'custom_links', array( (object) array( 'url' => '/x' ) ) ), 'custom_links/0/label', 'is required' ),
			'new_tab a string'                 => array( $set( 'custom_links', array( (object) array( 'label' => 'x', 'url' => '/x', 'new_tab' => 'yes' ) ) ), 'custom_links/0/new_tab', 'true or false' ),
			'admin_bar a list'                 => array( $set( 'admin_bar', array() ), 'admin_bar', 'must be an object' ),
			'admin_bar.remove an object'       => array( $set( 'admin_bar', (object) array( 'remove' => new stdClass() ) ), 'admin_bar/remove', 'must be a list' ),
			'start_here without text'          => array( $set( 'dashboard/start_here/text', null ), 'dashboard/start_here/text', 'is required' ),
			'a contact name with HTML'         => array( $set( 'dashboard/start_here/contacts', array( (object) array( 'name' => 'Agency <Help>' ) ) ), 'dashboard/start_here/contacts/0/name', '< or >' ),
			'a contact e-mail without @'       => array( $set( 'dashboard/start_here/contacts', array( (object) array( 'name' => 'A', 'email' => 'nobody' ) ) ), 'dashboard/start_here/contacts/0/email' ),
			'a phone with letters'             => array( $set( 'dashboard/start_here/contacts', array( (object) array( 'name' => 'A', 'phone' => 'call me' ) ) ), 'dashboard/start_here/contacts/0/phone' ),
			'hide_update_nags a string'        => array( $set( 'notices/hide_update_nags', 'true' ), 'notices/hide_update_nags' ),
			'a top-level slug twice'           => array(
				static function ( stdClass $profile ) {
					$profile->menu[] = (object) array(
						'slug'  => 'edit.php',
						'state' => 'hidden',
					);
				},
				'menu/4/slug',
				'already listed at menu/2',
			),
			'a submenu slug twice'             => array(
				static function ( stdClass $profile ) {
					$profile->menu[0]->children[] = (object) array(
						'slug'  => 'update-core.php',
						'state' => 'visible',
					);
				},
				'menu/0/children/2/slug',
				'already listed',
			),
			'index.php denied'                 => array( $item( 0, 'state', 'denied' ), 'menu/0/state', 'never denied' ),
			'index.php denied as a child'      => array(
				static function ( stdClass $profile ) {
					$profile->menu[0]->children[0]->state = 'denied';
				},
				'menu/0/children/0/state',
				'never denied',
			),
			'profile.php denied'               => array(
				static function ( stdClass $profile ) {
					$profile->menu[] = (object) array(
						'slug'     => 'users.php',
						'state'    => 'visible',
						'children' => array(
							(object) array(
								'slug'  => 'profile.php',
								'state' => 'denied',
							),
						),
					);
				},
				'menu/4/children/0/state',
				'never denied',
			),
			'an unknown role'                  => array( $set( 'targets/roles', array( 'shop_manager' ) ), 'targets/roles/0', 'no role shop_manager' ),
			'an unknown user'                  => array( $set( 'targets/users', array( 'nobody-here' ) ), 'targets/users/0', 'no user nobody-here' ),
			'an unknown exempt user'           => array( $set( 'exempt_users', array( 'admin', 'ghost' ) ), 'exempt_users/1', 'no user ghost' ),
			'a login in another case'          => array( $set( 'exempt_users', array( 'Admin' ) ), 'exempt_users/0', 'did you mean admin' ),
			'the bridge role'                  => array( $set( 'targets/roles', array( 'editor', 'handoff_bridge' ) ), 'targets/roles/1', 'bridge' ),
			'every administrator, by role'     => array(
				static function ( stdClass $profile ) {
					$profile->targets      = (object) array( 'roles' => array( 'administrator', 'editor' ) );
					$profile->exempt_users = array();
				},
				'exempt_users',
				'every administrator',
			),
			'every administrator, by login'    => array(
				static function ( stdClass $profile ) {
					$profile->targets->users = array( 'admin' );
					$profile->exempt_users   = array();
				},
				'exempt_users',
				'every administrator',
			),
			'a list instead of a profile'      => array(
				static function () {
					return array( 1, 2 );
				},
				'profile',
				'must be a JSON object',
			),
		);
	}

	/**
	 * Text that is not JSON, and no profile at all.
	 */
	public function test_bad_json_and_missing_fields_are_refused(): void {
		$this->assert_error_at( $this->refused( '{"schema_version": 1,' ), 'profile', 'not valid JSON' );
		$before = self::stored();
		$result = Menu_Profile_Api::put( null, null );
		$this->assertSame( 400, $result->get_error_data()['status'] );
		$this->assert_error_at( $result->get_error_data()['errors'], 'profile', 'is required' );
		$this->assert_error_at( $result->get_error_data()['errors'], 'replaces_version', 'is required' );
		foreach ( array( -1, 'one', '1.5', 1.5, true, array() ) as $bad ) {
			$result = Menu_Profile_Api::put( self::json( self::valid() ), $bad );
			$this->assert_error_at( $result->get_error_data()['errors'], 'replaces_version', 'integer' );
		}
		$this->assertSame( $before, self::stored() );
	}

	/**
	 * The bridge user cannot be targeted by login.
	 */
	public function test_the_bridge_user_cannot_be_targeted(): void {
		$bridge  = wp_get_current_user()->user_login;
		$profile = self::valid();

		$profile['targets']['users'] = array( 'client', $bridge );
		$this->assert_error_at( $this->refused( $profile ), 'targets/users/1', 'bridge' );

		$profile['targets']['users'] = array( 'client' );
		$profile['exempt_users']     = array( 'admin', $bridge );
		$this->assertIsArray( Menu_Profile_Api::put( self::json( $profile ), 1 ), 'Exempting it is harmless.' );
	}

	/**
	 * Lockout: with several administrators, one left unrestricted is enough; every one
	 * restricted is refused, whichever way (combine any_role, an administrator who is also
	 * an editor).
	 */
	public function test_at_least_one_administrator_stays_unrestricted(): void {
		$developer = $this->create_user( 'administrator', array( 'user_login' => 'developer' ) );
		$profile   = self::valid();

		$profile['targets']      = array( 'roles' => array( 'administrator' ) );
		$profile['exempt_users'] = array( 'developer' );
		$this->assertIsArray( Menu_Profile_Api::put( self::json( $profile ), 1 ), 'The developer is exempt.' );

		$developer->add_role( 'editor' );
		$profile['targets']      = array(
			'roles' => array( 'editor' ),
			'users' => array( 'admin' ),
		);
		$profile['combine']      = 'any_role';
		$profile['exempt_users'] = array();
		$before                  = self::stored();
		$result                  = Menu_Profile_Api::put( self::json( $profile ), 2 );
		$this->assertInstanceOf( WP_Error::class, $result, 'admin by login, developer as an editor: both restricted.' );
		$this->assert_error_at( $result->get_error_data()['errors'], 'exempt_users', 'every administrator of the site (admin, developer)' );
		$this->assertSame( $before, self::stored() );

		$profile['combine'] = 'all_roles';
		$this->assertIsArray( Menu_Profile_Api::put( self::json( $profile ), 2 ), 'all_roles: an administrator who is also an editor is not restricted.' );
	}

	/**
	 * A profile over 64 KiB (of canonical JSON) is refused with 413, before anything else.
	 */
	public function test_a_profile_over_64_kib_is_413(): void {
		$profile         = self::valid();
		$profile['menu'] = array();
		for ( $i = 0; $i < 400; $i++ ) { // Too many items too: the size is checked first.
			$profile['menu'][] = array(
				'slug'  => 'page-' . $i . '-' . str_repeat( 'x', 180 ),
				'state' => 'hidden',
			);
		}
		$before = self::stored();
		$result = Menu_Profile_Api::put( self::json( $profile ), 1 );
		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertSame( 'handoff_profile_too_large', $result->get_error_code() );
		$data = $result->get_error_data();
		$this->assertSame( 413, $data['status'] );
		$this->assertSame( Menu_Profile_Validator::MAX_BYTES, $data['limit'] );
		$this->assertGreaterThan( 65536, $data['size'] );
		$this->assertSame( $before, self::stored() );

		$this->assertSame( 413, Menu_Profile_Api::put( str_repeat( ' ', 1048577 ) . '{}', 1 )->get_error_data()['status'], 'Huge text is not even decoded.' );
	}

	/**
	 * Allowed edge cases: multibyte text at the limit, empty objects, icon '' and 'none',
	 * a path as URL, 1.0 for 1; and the warnings.
	 */
	public function test_edge_cases_that_pass_and_warnings(): void {
		$profile                    = json_decode( self::json( self::valid() ) );
		$profile->name              = str_repeat( 'é', 100 );
		$profile->admin_bar         = new stdClass();
		$profile->notices           = new stdClass();
		$profile->menu[1]->icon     = '';
		$profile->menu[2]->icon     = 'none';
		$profile->custom_links[0]   = (object) array(
			'label' => 'Shop',
			'url'   => '/shop/?a=1&b=2',
			'after' => 'nowhere.php',
		);
		$profile->targets->users    = array( 'client', 'admin' );
		$json                       = str_replace( '"schema_version":1', '"schema_version":1.0', (string) wp_json_encode( $profile ) );

		$result = Menu_Profile_Api::put( $json, 1 );
		$this->assertIsArray( $result, is_wp_error( $result ) ? wp_json_encode( $result->get_error_data() ) : '' );
		$this->assertSame( 2, $result['version'] );
		$this->assertSame(
			array(
				array(
					'path'    => 'targets/users/1',
					'message' => 'admin is also in exempt_users, so it is never restricted',
				),
				array(
					'path'    => 'custom_links/0/after',
					'message' => 'nowhere.php is not an item of this profile: the link goes at the end unless the site shows such an item',
				),
			),
			$result['warnings']
		);
	}

	/**
	 * The schema validator on its own: {} and [] apart, integers, Unicode lengths, the
	 * pattern's delimiter, anyOf, and the error cap.
	 */
	public function test_the_schema_validator(): void {
		$schema = new Schema_Validator(
			array(
				'type'                 => 'object',
				'additionalProperties' => false,
				'properties'           => array(
					'o' => array( 'type' => 'object' ),
					'l' => array(
						'type'  => 'array',
						'items' => array( 'type' => 'integer' ),
					),
					's' => array(
						'type'      => 'string',
						'maxLength' => 3,
						'pattern'   => '^[#/~a-zé]+$',
					),
					'n' => array(
						'type'    => array( 'integer', 'null' ),
						'minimum' => 0,
					),
					'a' => array(
						'anyOf' => array(
							array( 'type' => 'string' ),
							array( 'type' => 'boolean' ),
						),
					),
				),
			)
		);
		$this->assertSame( array(), $schema->validate( json_decode( '{"o":{},"l":[1,2.0],"s":"#/~","n":null,"a":true}' ) ) );
		$this->assertSame( array(), $schema->validate( json_decode( '{"s":"ééé"}' ) ), 'Lengths count characters.' );
		$this->assertSame(
			array(
				array(
					'path'    => 'o',
					'message' => 'must be an object (not a list)',
				),
				array(
					'path'    => 'l',
					'message' => 'must be a list (not an object)',
				),
			),
			$schema->validate( json_decode( '{"o":[],"l":{}}' ) )
		);
		$errors = $schema->validate( json_decode( '{"l":[1.5,"2"],"s":"abcd","n":-1,"a":3,"x":1}' ) );
		$this->assertSame( array( 'l/0', 'l/1', 's', 'n', 'a', 'x' ), array_column( $errors, 'path' ) );
		$this->assertSame( 'matches none of the allowed forms (must be a string (not an integer), or must be true or false (not an integer))', $errors[4]['message'] );
		$this->assertSame( array( 's' ), array_column( $schema->validate( json_decode( '{"s":"ab\n"}' ) ), 'path' ), '$ is the very end.' );
		$this->assertSame( array( 's' ), array_column( $schema->validate( json_decode( '{"s":"a|b"}' ) ), 'path' ) );
		$this->assertSame( array(), $schema->validate( array( 's' => 'ab' ) ), 'An associative array is an object.' );

		$list = new Schema_Validator(
			array(
				'type'  => 'array',
				'items' => array( 'type' => 'string' ),
			)
		);
		$this->assertCount( Schema_Validator::MAX_ERRORS, $list->validate( range( 1, 500 ) ) );
	}
}
