<?php
/**
 * Tests of the capability guard: "denied" holds beyond the screen.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Menu_Capability_Guard;
use Handoff\Companion\Menu_Dead_Links;
use Handoff\Companion\Menu_Lock_Plan;
use Handoff\Companion\Menu_Profile_Store;
use Handoff\Companion\Menu_Screen_Guard;
use Handoff\Companion\Options;

/**
 * The guard on a known menu (a captured map stored as the push stores it): which
 * capabilities a restricted user loses, which objects are denied when a capability is
 * shared, REST and admin-ajax refusals, the links that go, and who is never touched.
 */
class MenuCapabilityGuardTest extends Handoff_Test_Case {

	/**
	 * The site's menu as captured: slug, capability, children.
	 */
	private const TREE = array(
		array( 'index.php', 'read', array( array( 'index.php', 'read' ), array( 'update-core.php', 'update_core' ) ) ),
		array( 'edit.php', 'edit_posts', array( array( 'edit.php', 'edit_posts' ), array( 'post-new.php', 'edit_posts' ), array( 'edit-tags.php?taxonomy=category', 'manage_categories' ) ) ),
		array( 'upload.php', 'upload_files', array( array( 'upload.php', 'upload_files' ), array( 'media-new.php', 'upload_files' ) ) ),
		array( 'edit.php?post_type=page', 'edit_pages', array( array( 'edit.php?post_type=page', 'edit_pages' ), array( 'post-new.php?post_type=page', 'edit_pages' ) ) ),
		array( 'edit-comments.php', 'edit_posts', array() ),
		array( 'edit.php?post_type=portfolio', 'edit_posts', array( array( 'edit.php?post_type=portfolio', 'edit_posts' ), array( 'post-new.php?post_type=portfolio', 'edit_posts' ) ) ),
		array( 'tools.php', 'edit_posts', array() ),
		array( 'sandbox-reports', 'edit_posts', array() ),
		array( 'fixture-reports', 'fixture_manage_reports', array() ),
		array( 'options-general.php', 'manage_options', array( array( 'options-general.php', 'manage_options' ), array( 'options-writing.php', 'manage_options' ) ) ),
		array( 'profile.php', 'read', array() ),
	);

	/**
	 * The guard of this request is forgotten after each test (it is per request).
	 */
	protected function tearDown(): void {
		Menu_Capability_Guard::stop();
		parent::tearDown();
	}

	/**
	 * The captured tree as Menu_Capability_Map keeps it.
	 *
	 * @return array<int, array<string, mixed>>
	 */
	private static function tree(): array {
		$tree = array();
		foreach ( self::TREE as list( $slug, $cap, $children ) ) {
			$tree[] = array(
				'slug'       => $slug,
				'capability' => $cap,
				'children'   => array_map(
					static fn ( $child ) => array(
						'slug'       => $child[0],
						'capability' => $child[1],
					),
					$children
				),
			);
		}
		return $tree;
	}

	/**
	 * A profile for editors denying some items; `admin` is exempt.
	 *
	 * @param string[]             $denied  Slugs denied.
	 * @param array<string, mixed> $changes Other top-level keys.
	 * @return array<string, mixed>
	 */
	private static function profile( array $denied, array $changes = array() ): array {
		$menu = array(
			array(
				'slug'  => 'index.php',
				'state' => 'visible',
			),
		);
		foreach ( self::TREE as list( $slug ) ) {
			if ( 'index.php' !== $slug ) {
				$menu[] = array(
					'slug'  => $slug,
					'state' => in_array( $slug, $denied, true ) ? 'denied' : 'visible',
				);
			}
		}
		return array_merge(
			array(
				'schema_version' => 1,
				'name'           => 'Client',
				'targets'        => array( 'roles' => array( 'editor' ) ),
				'exempt_users'   => array( 'admin' ),
				'unknown_items'  => 'hide',
				'menu'           => $menu,
			),
			$changes
		);
	}

	/**
	 * Stores the profile and the captured menu as a push does, and starts the guard as a
	 * request would.
	 *
	 * @param array<string, mixed> $profile The profile.
	 */
	private function push( array $profile ): void {
		$store   = new Menu_Profile_Store();
		$current = $store->current();
		$this->assertIsArray( $store->put( json_decode( wp_json_encode( $profile ), false ), $current ? $current['version'] : 0, 'test' ) );
		update_option( Options::MENU_MAP, wp_json_encode( array( 'tree' => self::tree() ) ), true );
		Menu_Capability_Guard::start();
		$this->assertInstanceOf( Menu_Capability_Guard::class, Menu_Capability_Guard::active() );
	}

	/**
	 * An editor who may also open the fixture plugin's page.
	 */
	private function client(): WP_User {
		$user = $this->create_user( 'editor' );
		$user->add_cap( 'fixture_manage_reports' );
		return new WP_User( $user->ID );
	}

	/**
	 * A post of a type and status.
	 *
	 * @param string $type   Post type.
	 * @param string $status Status.
	 */
	private function post( string $type, string $status = 'publish' ): int {
		return (int) wp_insert_post(
			array(
				'post_type'   => $type,
				'post_title'  => 'A ' . $type,
				'post_status' => $status,
				'post_author' => 1,
			)
		);
	}

	/**
	 * A capability that opens only denied items is withheld from the restricted user — a
	 * core one (Media: upload_files) and a plugin's own — and kept by everyone else.
	 */
	public function test_a_capability_opening_only_denied_items_is_withheld(): void {
		$client = $this->client();
		$this->assertTrue( user_can( $client, 'upload_files' ), 'Before the push.' );
		$this->push( self::profile( array( 'upload.php', 'fixture-reports' ) ) );

		$this->assertFalse( user_can( $client, 'upload_files' ) );
		$this->assertFalse( user_can( $client, 'fixture_manage_reports' ) );
		$this->assertTrue( user_can( $client, 'edit_posts' ), 'Posts stays open.' );
		$this->assertTrue( user_can( $client, 'edit_pages' ) );
		$this->assertTrue( user_can( get_user_by( 'login', 'admin' ), 'upload_files' ), 'The exempt administrator keeps it.' );
		$this->assertTrue( user_can( $this->create_user( 'author' ), 'upload_files' ), 'An untargeted role keeps it.' );
	}

	/**
	 * A capability another open item needs is kept, and the denied post type's objects are
	 * denied instead: edit, delete, publish, private reads; "Add New" through create_posts.
	 */
	public function test_a_shared_capability_is_kept_and_the_type_denied_by_object(): void {
		$client    = $this->client();
		$project   = $this->post( 'portfolio' );
		$private   = $this->post( 'portfolio', 'private' );
		$news      = $this->post( 'post' );
		$this->push( self::profile( array( 'edit.php?post_type=portfolio' ) ) );
		wp_set_current_user( $client->ID );

		$this->assertTrue( current_user_can( 'edit_posts' ), '`edit_posts` also opens Posts.' );
		foreach ( array( 'edit_post', 'delete_post', 'publish_post' ) as $cap ) {
			$this->assertFalse( current_user_can( $cap, $project ), "{$cap} on a project." );
			$this->assertTrue( current_user_can( $cap, $news ), "{$cap} on a post." );
		}
		$this->assertFalse( current_user_can( 'read_post', $private ), 'A private project.' );
		$this->assertTrue( current_user_can( 'read_post', $project ), 'A published project reads as on the site.' );

		$this->assertSame( 'edit_posts', get_post_type_object( 'portfolio' )->cap->create_posts );
		Menu_Capability_Guard::active()->deny_creation();
		$this->assertFalse( current_user_can( get_post_type_object( 'portfolio' )->cap->create_posts ), 'Add New Project.' );
		$this->assertTrue( current_user_can( get_post_type_object( 'post' )->cap->create_posts ), 'Add New Post.' );
		Menu_Capability_Guard::stop();
		$this->assertSame( 'edit_posts', get_post_type_object( 'portfolio' )->cap->create_posts, 'Put back when the guard stops.' );
	}

	/**
	 * The plan withholds a capability only when every item of the user's menu that needs
	 * it is denied: edit_posts stays while Media (attachments) needs it, and goes with it.
	 */
	public function test_withheld_only_when_every_item_needing_it_is_denied(): void {
		$caps     = get_role( 'editor' )->capabilities;
		$all_edit = array( 'edit.php', 'edit-comments.php', 'edit.php?post_type=portfolio', 'tools.php', 'sandbox-reports' );

		$plan = Menu_Lock_Plan::build( self::profile( $all_edit ), self::tree(), $caps );
		$this->assertArrayNotHasKey( 'edit_posts', $plan->withheld );
		$this->assertContains( 'upload.php', $plan->kept_by( 'edit_posts' ), 'Media edits attachments with it.' );
		$this->assertArrayHasKey( 'moderate_comments', $plan->withheld );
		$this->assertArrayHasKey( 'manage_categories', $plan->withheld, 'Categories went with Posts.' );

		$plan = Menu_Lock_Plan::build( self::profile( array_merge( $all_edit, array( 'upload.php' ) ) ), self::tree(), $caps );
		$this->assertArrayHasKey( 'edit_posts', $plan->withheld );
		$this->assertArrayHasKey( 'upload_files', $plan->withheld );
		$this->assertArrayNotHasKey( 'edit_pages', $plan->withheld );
		$this->assertArrayNotHasKey( 'read', $plan->withheld, 'Never.' );

		$plan = Menu_Lock_Plan::build( self::profile( array( 'fixture-reports' ) ), self::tree(), $caps );
		$this->assertSame( array(), $plan->withheld, 'A capability the user does not hold is not "withheld".' );
	}

	/**
	 * Comments denied: edit_comment is denied on every comment, moderate_comments withheld,
	 * and core's comment actions in admin-ajax are refused before their handlers.
	 */
	public function test_comments_denied_closes_comment_actions(): void {
		$client  = $this->client();
		$comment = wp_insert_comment(
			array(
				'comment_post_ID' => $this->post( 'post' ),
				'comment_content' => 'Hello',
			)
		);
		$this->push( self::profile( array( 'edit-comments.php' ) ) );
		wp_set_current_user( $client->ID );

		$this->assertFalse( current_user_can( 'edit_comment', $comment ) );
		$this->assertFalse( current_user_can( 'moderate_comments' ) );
		$this->assertTrue( current_user_can( 'edit_post', get_comment( $comment )->comment_post_ID ), 'The post itself stays editable.' );

		add_filter( 'wp_doing_ajax', '__return_true' );
		$_REQUEST['action'] = 'replyto-comment';
		$_POST['action']    = 'replyto-comment';
		$die                = $this->expect_wp_die( array( Menu_Capability_Guard::active(), 'guard_admin_request' ) );
		$this->assertSame( 403, $die->status );

		$_REQUEST['action'] = 'heartbeat';
		Menu_Capability_Guard::active()->guard_admin_request();
		$this->addToAssertionCount( 1 ); // Another action runs.
	}

	/**
	 * REST: a denied type's routes refuse writes and context=edit (whatever the shared
	 * capability says), creating included; reading what the site shows stays; the user's
	 * own account and visible types are untouched.
	 *
	 * @runInSeparateProcess
	 * @preserveGlobalState disabled
	 */
	public function test_rest_routes_of_denied_items_refuse_writes(): void {
		$client  = $this->client();
		$project = $this->post( 'portfolio' );
		$comment = wp_insert_comment(
			array(
				'comment_post_ID' => $this->post( 'post' ),
				'comment_content' => 'Hello',
			)
		);
		$this->push( self::profile( array( 'edit.php?post_type=portfolio', 'upload.php', 'edit-comments.php' ) ) );
		wp_set_current_user( $client->ID );

		$refused = array(
			array( 'POST', "/wp/v2/portfolio/{$project}", array( 'title' => 'Changed' ) ),
			array( 'POST', '/wp/v2/portfolio', array( 'title' => 'New' ) ),
			array( 'DELETE', "/wp/v2/portfolio/{$project}", array() ),
			array( 'GET', "/wp/v2/portfolio/{$project}", array( 'context' => 'edit' ) ),
			array( 'POST', '/wp/v2/media', array() ),
			array( 'POST', "/wp/v2/comments/{$comment}", array( 'status' => 'hold' ) ),
		);
		foreach ( $refused as list( $method, $route, $params ) ) {
			$response = $this->rest( $method, $route, $params );
			$this->assertSame( 403, $response->get_status(), "{$method} {$route}" );
		}
		$this->assertSame( 'A portfolio', get_post( $project )->post_title, 'Nothing changed.' );

		$this->assertSame( 200, $this->rest( 'GET', "/wp/v2/portfolio/{$project}" )->get_status(), 'What the site shows.' );
		$this->assertSame( 200, $this->rest( 'GET', '/wp/v2/users/me' )->get_status() );
		$this->assertSame( 201, $this->rest( 'POST', '/wp/v2/posts', array( 'title' => 'News' ) )->get_status(), 'Posts stays open.' );
	}

	/**
	 * Settings denied for a restricted administrator: manage_options stays (other open
	 * items need it here? no: Settings is its only item, so it is withheld), options.php and
	 * /wp/v2/settings refuse.
	 *
	 * @runInSeparateProcess
	 * @preserveGlobalState disabled
	 */
	public function test_a_restricted_administrator_cannot_save_settings(): void {
		$second = $this->create_user( 'administrator' );
		$this->push( self::profile( array( 'options-general.php' ), array( 'targets' => array( 'roles' => array( 'administrator' ) ) ) ) );
		wp_set_current_user( $second->ID );

		$this->assertFalse( current_user_can( 'manage_options' ) );
		$this->assertSame( 403, $this->rest( 'POST', '/wp/v2/settings', array( 'description' => 'Changed' ) )->get_status() );
		$this->assertNotSame( 'Changed', get_option( 'blogdescription' ) );
		$this->assertTrue( user_can( get_user_by( 'login', 'admin' ), 'manage_options' ), 'The exempt administrator still can.' );
	}

	/**
	 * Nobody else is touched: the exempt user, the bridge user, an administrator the
	 * profile does not target, anyone in safe mode.
	 *
	 * @dataProvider unrestricted
	 * @runInSeparateProcess
	 * @preserveGlobalState disabled
	 *
	 * @param string $who Which user.
	 */
	public function test_unrestricted_users_keep_every_capability( string $who ): void {
		$profile = self::profile( array( 'upload.php', 'edit.php?post_type=portfolio', 'options-general.php', 'edit-comments.php' ) );
		switch ( $who ) {
			case 'exempt':
				$user                    = $this->client();
				$profile['exempt_users'] = array( 'admin', $user->user_login );
				break;
			case 'bridge':
				$user               = $this->connect_bridge()['user'];
				$profile['targets'] = array( 'roles' => array( 'editor', 'handoff_bridge' ) );
				break;
			case 'bridge capability':
				$user = $this->client();
				$user->add_cap( 'handoff_bridge_access' );
				$user = new WP_User( $user->ID );
				break;
			case 'administrator':
				$user = get_user_by( 'login', 'admin' );
				break;
			default:
				define( 'HANDOFF_SAFE_MODE', true );
				$user = $this->client();
		}
		$project = $this->post( 'portfolio' );
		$before  = array( user_can( $user, 'upload_files' ), user_can( $user, 'edit_post', $project ), user_can( $user, 'manage_options' ) );
		$store   = new Menu_Profile_Store();
		$this->assertIsArray( $store->put( json_decode( wp_json_encode( $profile ), false ), 0, 'test' ) );
		update_option( Options::MENU_MAP, wp_json_encode( array( 'tree' => self::tree() ) ), true );
		Menu_Capability_Guard::start();

		$guard = Menu_Capability_Guard::active();
		if ( 'safe mode' === $who ) {
			$this->assertNull( $guard, 'Not even started.' );
		} else {
			$this->assertNull( $guard->plan_for( $user ) );
		}
		$this->assertSame( $before, array( user_can( $user, 'upload_files' ), user_can( $user, 'edit_post', $project ), user_can( $user, 'manage_options' ) ) );
	}

	/**
	 * The unrestricted users.
	 *
	 * @return array<string, array{0: string}>
	 */
	public function unrestricted(): array {
		return array(
			'exempt user'            => array( 'exempt' ),
			'bridge user'            => array( 'bridge' ),
			'bridge capability'      => array( 'bridge capability' ),
			'unrestricted administrator' => array( 'administrator' ),
			'safe mode'              => array( 'safe mode' ),
		);
	}

	/**
	 * Links to denied screens go: admin-bar nodes by where they lead ("+ New › Project",
	 * Comments), row actions (the Activity widget's comment actions among them); links to
	 * open screens stay.
	 */
	public function test_links_to_denied_screens_disappear(): void {
		require_once ABSPATH . WPINC . '/class-wp-admin-bar.php';
		$project = $this->post( 'portfolio' );
		$links   = new Menu_Dead_Links(
			array( 'admin_bar' => array( 'remove' => array( 'wp-logo' ) ) ),
			new Menu_Screen_Guard(
				array(
					'edit.php?post_type=portfolio'     => true,
					'post-new.php?post_type=portfolio' => true,
					'edit-comments.php'                => true,
					'sandbox-reports'                  => true,
				)
			)
		);
		$bar     = new WP_Admin_Bar();
		$nodes   = array(
			'wp-logo'       => admin_url( 'about.php' ),
			'comments'      => admin_url( 'edit-comments.php' ),
			'new-content'   => admin_url( 'post-new.php' ),
			'new-post'      => admin_url( 'post-new.php' ),
			'new-portfolio' => admin_url( 'post-new.php?post_type=portfolio' ),
			'reports'       => admin_url( 'admin.php?page=sandbox-reports' ),
			'site-name'     => home_url( '/' ),
		);
		foreach ( $nodes as $id => $href ) {
			$bar->add_node(
				array(
					'id'     => $id,
					'title'  => $id,
					'href'   => $href,
					'parent' => 0 === strpos( $id, 'new-' ) && 'new-content' !== $id ? 'new-content' : false,
				)
			);
		}
		$links->edit_admin_bar( $bar );
		$this->assertSame( array( 'new-content', 'new-post', 'site-name' ), array_keys( (array) $bar->get_nodes() ) );

		$actions = array(
			'edit'      => '<a href="' . esc_url( admin_url( "post.php?post={$project}&action=edit" ) ) . '">Edit</a>',
			'view'      => '<a href="' . esc_url( get_permalink( $project ) ) . '">View</a>',
			'approve'   => '<a href="comment.php?c=1&amp;action=approvecomment">Approve</a>',
			'reply'     => '<button type="button">Reply</button>',
		);
		$this->assertSame( array( 'view', 'reply' ), array_keys( $links->filter_row_actions( $actions ) ) );
	}
}
