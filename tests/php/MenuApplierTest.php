<?php
/**
 * Tests of the menu profile applied in wp-admin.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Menu_Applier;
use Handoff\Companion\Menu_Item_States;
use Handoff\Companion\Menu_Dashboard;
use Handoff\Companion\Menu_Profile_Store;
use Handoff\Companion\Options;
use Handoff\Companion\Plugin;

/**
 * What a restricted user gets in wp-admin: the menu built by wp-admin/menu.php (as a
 * wp-admin request builds it, with every plugin's `admin_menu` callbacks) and then
 * rewritten, the denied screens refused, the admin bar, dashboard and notices trimmed.
 * wp-admin/menu.php runs only once per process: each test runs in a process of its own.
 *
 * @runTestsInSeparateProcesses
 * @preserveGlobalState disabled
 */
class MenuApplierTest extends Handoff_Test_Case {

	/**
	 * Globals wp-admin/menu.php writes (see Admin_Menu_Snapshot).
	 */
	private const MENU_GLOBALS = array(
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
	);

	/**
	 * The profile of most tests, for editors; `admin` is exempt.
	 *
	 * @param array<string, mixed> $changes Top-level keys to replace.
	 * @return array<string, mixed>
	 */
	private static function profile( array $changes = array() ): array {
		return array_merge(
			array(
				'schema_version' => 1,
				'name'           => 'Client editor',
				'targets'        => array( 'roles' => array( 'editor' ) ),
				'exempt_users'   => array( 'admin' ),
				'unknown_items'  => 'hide',
				'menu'           => array(
					array(
						'slug'  => 'edit.php?post_type=page',
						'state' => 'visible',
						'title' => 'Our pages & more',
					),
					array(
						'slug'  => 'index.php',
						'state' => 'visible',
						'icon'  => 'dashicons-admin-home',
					),
					array(
						'slug'     => 'edit.php',
						'state'    => 'visible',
						'title'    => 'News',
						'icon'     => 'dashicons-megaphone',
						'children' => array(
							array(
								'slug'  => 'post-new.php',
								'state' => 'visible',
								'title' => 'Write news',
							),
							array(
								'slug'  => 'edit.php',
								'state' => 'visible',
							),
							array(
								'slug'  => 'edit-tags.php?taxonomy=category',
								'state' => 'denied',
							),
						),
					),
					array(
						'slug'  => 'upload.php',
						'state' => 'visible',
					),
					array(
						'slug'  => 'sandbox-reports',
						'state' => 'denied',
					),
					array(
						'slug'  => 'edit.php?post_type=portfolio',
						'state' => 'denied',
					),
					array(
						'slug'  => 'tools.php',
						'state' => 'denied',
					),
					array(
						'slug'  => 'edit-comments.php',
						'state' => 'hidden',
					),
					array(
						'slug'  => 'profile.php',
						'state' => 'visible',
					),
				),
				'custom_links'   => array(
					array(
						'label'   => 'Get help',
						'url'     => 'https://agency.example/help?a=1&b=2',
						'after'   => 'upload.php',
						'new_tab' => true,
					),
					array(
						'label' => 'Our site',
						'url'   => '/about/',
					),
				),
				'admin_bar'      => array( 'remove' => array( 'wp-logo', 'comments' ) ),
				'dashboard'      => array(
					'remove_widgets' => array( 'dashboard_primary', 'dashboard_quick_press' ),
					'start_here'     => array(
						'title'    => 'Start here',
						'text'     => "Edit your pages under <Our pages>.\n\nCall us & ask.",
						'contacts' => array(
							array(
								'name'  => 'Smith & Sons',
								'role'  => 'Developer',
								'email' => 'help@agency.example',
								'phone' => '+44 (0)20 1234',
							),
						),
					),
				),
				'notices'        => array( 'hide_update_nags' => true ),
			),
			$changes
		);
	}

	/**
	 * Stores a profile as the active one (objects kept as objects), as the API would.
	 *
	 * @param array<string, mixed> $profile The profile.
	 */
	private function activate( array $profile ): void {
		$store   = new Menu_Profile_Store();
		$current = $store->current();
		$stored  = $store->put( json_decode( wp_json_encode( $profile ), false ), $current ? $current['version'] : 0, 'test' );
		$this->assertIsArray( $stored );
	}

	/**
	 * Sets up the globals of a wp-admin request, as wp-admin/admin.php does.
	 *
	 * @param string $pagenow The wp-admin file.
	 */
	private function enter_wp_admin( string $pagenow = 'index.php' ): void {
		foreach ( self::MENU_GLOBALS as $name ) {
			$GLOBALS[ $name ] = array();
		}
		$GLOBALS['pagenow']     = $pagenow;
		$GLOBALS['plugin_page'] = null;
		$GLOBALS['typenow']     = '';
		$GLOBALS['taxnow']      = '';
		require_once ABSPATH . 'wp-admin/includes/admin.php';
		set_current_screen( 'dashboard' );
	}

	/**
	 * Builds the admin menu for a user as wp-admin does: wp-admin/menu.php, which fires
	 * `admin_menu` (where the applier runs, as Plugin::add_hooks() hooks it in wp-admin).
	 *
	 * @param WP_User       $user  The user.
	 * @param callable|null $extra More `admin_menu` work (a plugin adding pages).
	 */
	private function build_menu( WP_User $user, ?callable $extra = null ): void {
		// phpcs:ignore Squiz.PHP.GlobalKeyword -- wp-admin/menu.php expects these at global scope.
		global $menu, $submenu, $_wp_menu_nopriv, $_wp_submenu_nopriv, $_wp_real_parent_file, $_registered_pages, $_parent_pages, $admin_page_hooks, $menu_order, $default_menu_order, $_wp_last_object_menu, $_wp_last_utility_menu;
		wp_set_current_user( $user->ID );
		$this->enter_wp_admin();
		if ( $extra ) {
			add_action( 'admin_menu', $extra );
		}
		add_action( 'admin_menu', array( Menu_Applier::class, 'boot' ), PHP_INT_MAX );
		ob_start();
		try {
			require ABSPATH . 'wp-admin/menu.php';
		} finally {
			ob_end_clean();
		}
	}

	/**
	 * The menu the user sees: what is left once the menu is about to be printed.
	 *
	 * @return array<int, array{title: string, slug: string, icon: string, class: string, children: array<int, array{title: string, slug: string}>}>
	 */
	private static function shown_menu(): array {
		$applier = Menu_Applier::active();
		if ( $applier ) {
			$applier->drop_hidden_items();
		}
		$shown = array();
		foreach ( $GLOBALS['menu'] as $item ) {
			$children = array();
			foreach ( $GLOBALS['submenu'][ $item[2] ] ?? array() as $child ) {
				$children[] = array(
					'title' => self::plain( $child[0] ),
					'slug'  => $child[2],
				);
			}
			$shown[] = array(
				'title'    => self::plain( $item[0] ),
				'slug'     => $item[2],
				'icon'     => (string) ( $item[6] ?? '' ),
				'class'    => (string) ( $item[4] ?? '' ),
				'children' => $children,
			);
		}
		return $shown;
	}

	/**
	 * A menu title without its counter and markup.
	 *
	 * @param string $title A title from $menu.
	 */
	private static function plain( string $title ): string {
		return trim( html_entity_decode( wp_strip_all_tags( (string) preg_replace( '#<span\b.*$#is', '', $title ) ), ENT_QUOTES, 'UTF-8' ) );
	}

	/**
	 * The item with a title.
	 *
	 * @param array<int, array<string, mixed>> $shown From shown_menu().
	 * @param string                           $title A title.
	 * @return array<string, mixed>
	 */
	private function item( array $shown, string $title ): array {
		foreach ( $shown as $item ) {
			if ( $title === $item['title'] ) {
				return $item;
			}
		}
		$this->fail( "No menu item {$title}." );
	}

	/**
	 * Whether the applier refuses a request: the globals and the screen are set up as
	 * wp-admin/admin.php sets them, and set_current_screen() fires `current_screen`.
	 *
	 * @param string                $pagenow The wp-admin file.
	 * @param array<string, string> $get     The query.
	 */
	private function is_refused( string $pagenow, array $get ): bool {
		$GLOBALS['pagenow']     = $pagenow;
		$GLOBALS['plugin_page'] = isset( $get['page'] ) ? plugin_basename( $get['page'] ) : null;
		$GLOBALS['hook_suffix'] = $GLOBALS['plugin_page'] ?? $pagenow;
		$_GET                   = $get;
		$_REQUEST               = $get;
		try {
			set_current_screen();
		} catch ( Handoff_Test_Die $die ) {
			$this->assertSame( 403, $die->status );
			return true;
		}
		return false;
	}

	/**
	 * An editor gets the profile's menu: its order, titles (escaped), icons, children, the
	 * custom links in place, no separators; hidden and denied items left out.
	 */
	public function test_an_editor_gets_the_profile_menu(): void {
		$this->activate( self::profile() );
		$this->build_menu( $this->create_user( 'editor' ) );

		$this->assertInstanceOf( Menu_Applier::class, Menu_Applier::active() );
		$shown = self::shown_menu();
		$this->assertSame( array( 'Our pages & more', 'Dashboard', 'News', 'Media', 'Get help', 'Profile', 'Our site' ), array_column( $shown, 'title' ) );

		$pages = $this->item( $shown, 'Our pages & more' );
		$this->assertStringStartsWith( 'Our pages &amp; more', $GLOBALS['menu'][0][0], 'Titles are escaped.' );
		$this->assertSame( 'edit.php?post_type=page', $pages['slug'] );

		$this->assertSame( 'dashicons-admin-home', $this->item( $shown, 'Dashboard' )['icon'] );
		$news = $this->item( $shown, 'News' );
		$this->assertSame( 'dashicons-megaphone', $news['icon'] );
		$this->assertSame(
			array(
				array(
					'title' => 'Write news',
					'slug'  => 'post-new.php',
				),
				array(
					'title' => 'All Posts',
					'slug'  => 'edit.php',
				),
			),
			$news['children'],
			'Children in the profile\'s order; the denied one and the unnamed Tags left out.'
		);
		$this->assertSame( array( 'upload.php', 'media-new.php' ), array_column( $this->item( $shown, 'Media' )['children'], 'slug' ), 'No children listed: the submenu is the site\'s.' );

		$help = $this->item( $shown, 'Get help' );
		$this->assertSame( esc_url( 'https://agency.example/help?a=1&b=2' ), $help['slug'], 'The link is the escaped URL.' );
		$this->assertStringContainsString( Menu_Applier::NEW_TAB_CLASS, $help['class'] );
		$this->assertSame( Menu_Applier::DEFAULT_LINK_ICON, $help['icon'] );
		$site = $this->item( $shown, 'Our site' );
		$this->assertSame( esc_url( home_url( '/about/' ) ), $site['slug'], 'A path is a URL on the site.' );
		$this->assertStringNotContainsString( Menu_Applier::NEW_TAB_CLASS, $site['class'] );

		$this->assertStringContainsString( 'menu-top-first', $shown[0]['class'] );
		$this->assertStringContainsString( 'menu-top-last', $shown[ count( $shown ) - 1 ]['class'] );
		foreach ( $GLOBALS['menu'] as $item ) {
			$this->assertArrayNotHasKey( Menu_Applier::STATE, $item, 'The marks are gone once the menu is printed.' );
			$this->assertStringNotContainsString( 'wp-menu-separator', (string) $item[4] );
		}

		$denied = Menu_Applier::active()->denied_slugs();
		sort( $denied );
		$this->assertSame(
			array( 'edit-tags.php?taxonomy=category', 'edit.php?post_type=portfolio', 'post-new.php?post_type=portfolio', 'sandbox-reports', 'tools.php' ),
			$denied,
			'Denied items and every child of a denied item.'
		);
	}

	/**
	 * Until the menu is printed, hidden and denied items stay in $menu and $submenu
	 * (marked), so that WordPress still finds a hidden screen's page hook when it is
	 * opened by URL — a plugin's submenu page under its own top-level page included.
	 */
	public function test_hidden_items_stay_until_the_menu_is_printed(): void {
		$this->activate( self::profile() );
		$this->build_menu(
			$this->create_user( 'editor' ),
			static function () {
				add_menu_page( 'Newsletter', 'Newsletter', 'edit_posts', 'newsletter', '__return_null' );
				add_submenu_page( 'newsletter', 'Lists', 'Lists', 'edit_posts', 'newsletter-lists', '__return_null' );
			}
		);

		$states = array();
		foreach ( $GLOBALS['menu'] as $item ) {
			$states[ $item[2] ] = $item[ Menu_Applier::STATE ];
		}
		$this->assertSame( 'hidden', $states['edit-comments.php'] );
		$this->assertSame( 'denied', $states['sandbox-reports'] );
		$this->assertSame( 'visible', $states['upload.php'] );
		$this->assertSame( 'hidden', $states['newsletter'], 'Unknown items are hidden.' );
		$this->assertFalse( $this->is_refused( 'edit-comments.php', array() ) );
		$this->assertFalse( $this->is_refused( 'admin.php', array( 'page' => 'newsletter-lists' ) ), 'Hidden is not denied.' );
		$this->assertSame( 'newsletter_page_newsletter-lists', get_plugin_page_hook( 'newsletter-lists', 'admin.php' ), 'A hidden plugin subpage still opens.' );

		$this->assertNotContains( 'Newsletter', array_column( self::shown_menu(), 'title' ) );
		$this->assertArrayNotHasKey( 'newsletter', $GLOBALS['submenu'] );
		$this->assertNull( get_plugin_page_hook( 'newsletter-lists', 'admin.php' ), 'Why they stay until then: without them the page would not open.' );
	}

	/**
	 * The order: the profile's items first, then (unknown_items show) the others in the
	 * site's order; `children_order: site` keeps the site's order; an item without
	 * `children` keeps its submenu as the site has it.
	 */
	public function test_unknown_items_shown_follow_in_the_sites_order(): void {
		$this->activate(
			self::profile(
				array(
					'unknown_items' => 'show',
					'custom_links'  => array(),
					'menu'          => array(
						array(
							'slug'  => 'upload.php',
							'state' => 'visible',
						),
						array(
							'slug'           => 'edit.php',
							'state'          => 'visible',
							'children_order' => 'site',
							'children'       => array(
								array(
									'slug'  => 'edit-tags.php?taxonomy=post_tag',
									'state' => 'visible',
									'title' => 'Labels',
								),
								array(
									'slug'  => 'edit.php',
									'state' => 'visible',
								),
							),
						),
					),
				)
			)
		);
		$this->build_menu( $this->create_user( 'editor' ) );
		$shown = self::shown_menu();

		$this->assertSame(
			array( 'Media', 'Posts', 'Dashboard', 'Pages', 'Comments', 'Portfolio', 'Profile', 'Tools', 'Sandbox Reports' ),
			array_column( $shown, 'title' )
		);
		$this->assertSame( array( 'All Posts', self::release_fact( 'add_post_label' ), 'Categories', 'Labels' ), array_column( $this->item( $shown, 'Posts' )['children'], 'title' ), 'Site order; unknown children shown.' );
		$this->assertSame( array( 'Library', self::release_fact( 'add_media_label' ) ), array_column( $this->item( $shown, 'Media' )['children'], 'title' ) );
		$this->assertSame( array(), Menu_Applier::active()->denied_slugs() );
	}

	/**
	 * `unknown_items: deny` denies a page a plugin adds later, with its children; the
	 * dashboard and the profile screen are only ever hidden.
	 */
	public function test_unknown_items_deny_covers_plugin_pages_added_later(): void {
		$this->activate(
			self::profile(
				array(
					'unknown_items' => 'deny',
					'menu'          => array(
						array(
							'slug'  => 'edit.php',
							'state' => 'visible',
						),
					),
				)
			)
		);
		$this->build_menu(
			$this->create_user( 'editor' ),
			static function () {
				add_menu_page( 'Newsletter', 'Newsletter', 'edit_posts', 'newsletter', '__return_null' );
				add_submenu_page( 'newsletter', 'Lists', 'Lists', 'edit_posts', 'newsletter-lists', '__return_null' );
			}
		);

		$this->assertSame( array( 'Posts', 'Get help', 'Our site' ), array_column( self::shown_menu(), 'title' ), 'Custom links always show.' );
		$denied = Menu_Applier::active()->denied_slugs();
		$this->assertContains( 'newsletter', $denied );
		$this->assertContains( 'newsletter-lists', $denied );
		$this->assertNotContains( 'index.php', $denied );
		$this->assertNotContains( 'profile.php', $denied );
		$this->assertTrue( $this->is_refused( 'admin.php', array( 'page' => 'newsletter-lists' ) ) );
		$this->assertFalse( $this->is_refused( 'index.php', array() ) );
		$this->assertFalse( $this->is_refused( 'profile.php', array() ) );
	}

	/**
	 * `custom_post_types: show` keeps the site's own public content types (Portfolio) in the
	 * menu when `unknown_items` hides or denies the rest; a type that is not public (a
	 * plugin's internal records with a menu of their own) still follows `unknown_items`,
	 * and so does everything else. The doors that build no menu read the same rule.
	 *
	 * @dataProvider unknown_policies
	 *
	 * @param string $policy The profile's `unknown_items`.
	 */
	public function test_public_custom_post_types_follow_custom_post_types( string $policy ): void {
		register_post_type(
			'internal_log',
			array(
				'label'        => 'Internal log',
				'public'       => false,
				'show_ui'      => true,
				'show_in_menu' => true,
			)
		);
		$profile = self::profile(
			array(
				'unknown_items'     => $policy,
				'custom_post_types' => 'show',
				'custom_links'      => array(),
				'menu'              => array(
					array(
						'slug'  => 'edit.php',
						'state' => 'visible',
					),
				),
			)
		);
		$this->activate( $profile );
		$this->build_menu( $this->create_user( 'editor' ) );
		$shown = self::shown_menu();
		$this->assertSame( array( 'Posts', 'Portfolio' ), array_column( $shown, 'title' ) );
		$this->assertSame( 'All Projects', $this->item( $shown, 'Portfolio' )['children'][0]['title'] );
		$denied = Menu_Applier::active()->denied_slugs();
		$this->assertNotContains( 'edit.php?post_type=portfolio', $denied );
		$this->assertSame( 'deny' === $policy, in_array( 'edit.php?post_type=internal_log', $denied, true ) );
		$tree   = array(
			array(
				'slug'       => 'edit.php?post_type=portfolio',
				'capability' => 'edit_posts',
				'children'   => array(),
			),
			array(
				'slug'       => 'edit.php?post_type=internal_log',
				'capability' => 'edit_posts',
				'children'   => array(),
			),
		);
		$states = array_column( Menu_Item_States::of( $profile, $tree ), 'state', 'slug' );
		$this->assertSame( 'visible', $states['edit.php?post_type=portfolio'] );
		$this->assertSame( 'deny' === $policy ? 'denied' : 'hidden', $states['edit.php?post_type=internal_log'] );
	}

	/**
	 * The policies `custom_post_types: show` is tried with.
	 *
	 * @return array<string, array{0: string}>
	 */
	public function unknown_policies(): array {
		return array(
			'unknown items hidden' => array( 'hide' ),
			'unknown items denied' => array( 'deny' ),
		);
	}

	/**
	 * Denied screens refuse to load by URL: plugin pages (top level and submenu, under a
	 * core parent or a plugin's), core screens by file and post type or taxonomy, and
	 * post.php / term.php by the type of what they edit.
	 */
	public function test_denied_screens_are_identified(): void {
		$profile                       = self::profile();
		$profile['menu'][0]['state']   = 'denied'; // Pages.
		$profile['menu'][0]['children'] = array(
			array(
				'slug'  => 'edit.php?post_type=page',
				'state' => 'visible',
			),
		);
		$profile['menu'][]             = array(
			'slug'     => 'options-general.php',
			'state'    => 'visible',
			'children' => array(
				array(
					'slug'  => 'page-helper',
					'state' => 'denied',
				),
			),
		);
		$this->activate( $profile );
		$page      = wp_insert_post(
			array(
				'post_type'   => 'page',
				'post_title'  => 'About',
				'post_status' => 'publish',
			)
		);
		$post      = wp_insert_post(
			array(
				'post_type'   => 'post',
				'post_title'  => 'News item',
				'post_status' => 'publish',
			)
		);
		$project   = wp_insert_post(
			array(
				'post_type'   => 'portfolio',
				'post_title'  => 'Case study',
				'post_status' => 'publish',
			)
		);
		$category  = (int) get_option( 'default_category' );
		$editor    = $this->create_user( 'editor' );
		$editor->add_cap( 'manage_options' ); // Settings, for a plugin page under it.
		$this->build_menu(
			$editor,
			static function () {
				add_submenu_page( 'tools.php', 'Tool', 'Tool', 'edit_posts', 'handoff-test-tool', '__return_null' );
				add_options_page( 'Helper', 'Helper', 'edit_posts', 'page-helper', '__return_null' );
				add_options_page( 'Other', 'Other', 'edit_posts', 'other-helper', '__return_null' );
			}
		);

		$refused = array(
			'plugin top-level page'             => array( 'admin.php', array( 'page' => 'sandbox-reports' ) ),
			'plugin page under a denied parent' => array( 'tools.php', array( 'page' => 'handoff-test-tool' ) ),
			'plugin page denied under Settings' => array( 'options-general.php', array( 'page' => 'page-helper' ) ),
			'core screen'                       => array( 'tools.php', array() ),
			'pages list'                        => array( 'edit.php', array( 'post_type' => 'page' )),
			'new page'                          => array( 'post-new.php', array( 'post_type' => 'page' )),
			'editing a page'                    => array(
				'post.php',
				array(
					'post'   => (string) $page,
					'action' => 'edit',
				),
			),
			'portfolio list'                    => array( 'edit.php', array( 'post_type' => 'portfolio' )),
			'new project'                       => array( 'post-new.php', array( 'post_type' => 'portfolio' )),
			'editing a project'                 => array(
				'post.php',
				array(
					'post'   => (string) $project,
					'action' => 'edit',
				),
			),
			'categories'                        => array( 'edit-tags.php', array( 'taxonomy' => 'category' )),
			'a category'                        => array(
				'term.php',
				array(
					'taxonomy' => 'category',
					'tag_ID'   => (string) $category,
				),
			),
		);
		foreach ( $refused as $what => $request ) {
			$this->assertTrue( $this->is_refused( $request[0], $request[1] ), "Refused: {$what}." );
		}

		$allowed = array(
			'dashboard'                     => array( 'index.php', array() ),
			'posts list'                    => array( 'edit.php', array() ),
			'posts list, post type named'   => array( 'edit.php', array( 'post_type' => 'post' )),
			'new post'                      => array( 'post-new.php', array() ),
			'editing a post'                => array(
				'post.php',
				array(
					'post'   => (string) $post,
					'action' => 'edit',
				),
			),
			'tags'                          => array( 'edit-tags.php', array( 'taxonomy' => 'post_tag' )),
			'media'                         => array( 'upload.php', array() ),
			'a hidden screen'               => array( 'edit-comments.php', array() ),
			'profile'                       => array( 'profile.php', array() ),
			'another Settings plugin page'  => array( 'options-general.php', array( 'page' => 'other-helper' ) ),
			'the Settings screen itself'    => array( 'options-general.php', array() ),
		);
		foreach ( $allowed as $what => $request ) {
			$this->assertFalse( $this->is_refused( $request[0], $request[1] ), "Allowed: {$what}." );
		}
	}

	/**
	 * The 403 page says what happened, links to the dashboard and names the contacts,
	 * escaped.
	 */
	public function test_the_refusal_page(): void {
		$this->activate( self::profile() );
		$this->build_menu( $this->create_user( 'editor' ) );
		$GLOBALS['pagenow']     = 'tools.php';
		$GLOBALS['hook_suffix'] = 'tools.php';

		$die = $this->expect_wp_die(
			static function () {
				set_current_screen();
			}
		);
		$this->assertSame( 403, $die->status );
		$this->assertStringContainsString( 'This screen is not part of your site', $die->getMessage() );

		$html = Menu_Applier::active()->refusal_html();
		$this->assertStringContainsString( '<a href="' . esc_url( admin_url() ) . '">', $html );
		$this->assertStringContainsString( '<strong>Smith &amp; Sons</strong> (Developer)', $html );
		$this->assertStringContainsString( '<a href="mailto:help@agency.example">help@agency.example</a>', $html );
		$this->assertStringContainsString( '<a href="tel:+44020' . '1234">+44 (0)20 1234</a>', $html );
		$this->assertStringContainsString( '<h1>', $html );
	}

	/**
	 * Unrestricted users keep the whole menu: an exempt administrator, an editor named
	 * in exempt_users, the bridge user, everyone in safe mode.
	 *
	 * @dataProvider unrestricted_users
	 *
	 * @param string $who Which user.
	 */
	public function test_unrestricted_users_keep_the_whole_menu( string $who ): void {
		$this->activate( self::profile() );
		switch ( $who ) {
			case 'administrator':
				$user = get_user_by( 'login', 'admin' );
				break;
			case 'exempt editor':
				$user = $this->create_user( 'editor', array( 'user_login' => 'exempt-editor' ) );
				$this->activate( self::profile( array( 'exempt_users' => array( 'admin', 'exempt-editor' ) ) ) );
				break;
			case 'bridge':
				$user = $this->connect_bridge()['user'];
				$this->activate( self::profile( array( 'targets' => array( 'roles' => array( 'editor', 'handoff_bridge' ) ) ) ) );
				break;
			case 'editor in safe mode':
				define( 'HANDOFF_SAFE_MODE', true );
				$user = $this->create_user( 'editor' );
				break;
			default:
				$user = $this->create_user( 'author' ); // Not targeted.
		}
		$this->build_menu( $user );

		$this->assertNull( Menu_Applier::active() );
		$titles = array_column( self::shown_menu(), 'title' );
		$this->assertContains( 'Dashboard', $titles );
		if ( 'bridge' !== $who ) { // The bridge role can only `read`.
			$this->assertContains( 'Sandbox Reports', $titles );
			$this->assertContains( 'Tools', $titles );
		}
		foreach ( $GLOBALS['menu'] as $item ) {
			$this->assertArrayNotHasKey( Menu_Applier::STATE, $item );
		}
	}

	/**
	 * The unrestricted users.
	 *
	 * @return array<string, array{0: string}>
	 */
	public function unrestricted_users(): array {
		return array(
			'administrator'       => array( 'administrator' ),
			'exempt editor'       => array( 'exempt editor' ),
			'bridge'              => array( 'bridge' ),
			'editor in safe mode' => array( 'editor in safe mode' ),
			'author not targeted' => array( 'author' ),
		);
	}

	/**
	 * A user named in targets.users is restricted whatever their roles; with
	 * `combine: all_roles` an extra untargeted role frees a user, with `any_role` not.
	 */
	public function test_targeting_by_login_and_combined_roles(): void {
		$editor_author = $this->create_user( 'editor' );
		$editor_author->add_role( 'author' );
		$named = $this->create_user( 'author' );
		$all   = self::profile( array( 'targets' => array( 'roles' => array( 'editor' ), 'users' => array( $named->user_login ) ) ) );
		$any   = array_merge( $all, array( 'combine' => 'any_role' ) );

		$this->assertFalse( ( new Menu_Applier( $all, $editor_author ) )->restricts(), 'all_roles: author is not targeted.' );
		$this->assertTrue( ( new Menu_Applier( $any, $editor_author ) )->restricts(), 'any_role: editor is.' );
		$this->assertTrue( ( new Menu_Applier( $all, $named ) )->restricts(), 'Named by login.' );
		$this->assertFalse( ( new Menu_Applier( $all, $named, true ) )->restricts(), 'Never in safe mode.' );
		$this->assertFalse( ( new Menu_Applier( $all, new WP_User() ) )->restricts(), 'Nobody signed in.' );
	}

	/**
	 * Applying the profile costs no query: the option is autoloaded, and nothing is
	 * written. Measured around the applier's work on a built menu.
	 */
	public function test_applying_costs_no_query(): void {
		global $wpdb;
		$this->activate( self::profile() );
		$editor = $this->create_user( 'editor' );
		$this->build_menu( $editor );
		remove_action( 'admin_menu', array( Menu_Applier::class, 'boot' ), PHP_INT_MAX );
		Menu_Applier::active()->remove_hooks();
		require_once ABSPATH . WPINC . '/class-wp-admin-bar.php';
		wp_load_alloptions();
		$this->assertSame( array( 'editor' ), wp_get_current_user()->roles );
		$GLOBALS['hook_suffix'] = 'upload.php';
		$screen                 = WP_Screen::get();

		$before = $wpdb->num_queries;
		Menu_Applier::boot();
		$applier = Menu_Applier::active();
		$GLOBALS['pagenow'] = 'upload.php';
		$applier->refuse_denied_screen( $screen );
		$applier->drop_hidden_items();
		$applier->edit_admin_bar( new WP_Admin_Bar() );
		$applier->dashboard()->hide_notices();
		$this->assertSame( $before, $wpdb->num_queries, 'No query with a profile.' );

		$applier->remove_hooks();
		delete_option( Options::MENU );
		wp_load_alloptions();
		$before = $wpdb->num_queries;
		Menu_Applier::boot();
		$this->assertNull( Menu_Applier::active() );
		$this->assertSame( $before, $wpdb->num_queries, 'No query without one.' );
	}

	/**
	 * The applier is hooked in wp-admin only, after every plugin's admin_menu callbacks,
	 * and does nothing in admin-ajax.php (where the inventory's menu snapshot is built).
	 */
	public function test_hooked_in_wp_admin_only(): void {
		$boot = array( Menu_Applier::class, 'boot' );
		remove_action( 'admin_menu', $boot, PHP_INT_MAX );
		Plugin::add_hooks();
		$this->assertFalse( has_action( 'admin_menu', $boot ), 'Not on the front end, in REST or XML-RPC.' );

		$this->enter_wp_admin();
		Plugin::add_hooks();
		$this->assertSame( PHP_INT_MAX, has_action( 'admin_menu', $boot ) );

		$this->activate( self::profile() );
		wp_set_current_user( $this->create_user( 'editor' )->ID );
		add_filter( 'wp_doing_ajax', '__return_true' );
		Menu_Applier::boot();
		$this->assertNull( Menu_Applier::active() );
	}

	/**
	 * Admin bar nodes go, and the updates counter with update nags hidden.
	 */
	public function test_the_admin_bar_loses_its_nodes(): void {
		require_once ABSPATH . WPINC . '/class-wp-admin-bar.php';
		$bar = new WP_Admin_Bar();
		foreach ( array( 'wp-logo', 'comments', 'updates', 'my-account' ) as $node ) {
			$bar->add_node(
				array(
					'id'    => $node,
					'title' => $node,
				)
			);
		}
		( new Menu_Applier( self::profile(), new WP_User() ) )->edit_admin_bar( $bar );
		$this->assertSame( array( 'my-account' ), array_keys( (array) $bar->get_nodes() ) );
	}

	/**
	 * Dashboard widgets go from every column; "Start here" comes first, in plain text.
	 */
	public function test_the_dashboard_gets_start_here_first(): void {
		global $wp_meta_boxes;
		$this->enter_wp_admin();
		require_once ABSPATH . 'wp-admin/includes/dashboard.php';
		$wp_meta_boxes = array();
		wp_add_dashboard_widget( 'dashboard_activity', 'Activity', '__return_null' );
		wp_add_dashboard_widget( 'dashboard_quick_press', 'Quick Draft', '__return_null', null, null, 'side' );
		wp_add_dashboard_widget( 'dashboard_primary', 'Events', '__return_null', null, null, 'column3', 'low' );
		$applier = new Menu_Dashboard( self::profile() );

		$applier->edit_dashboard();

		$boxes = $wp_meta_boxes['dashboard'];
		$this->assertFalse( $boxes['side']['core']['dashboard_quick_press'] );
		$this->assertFalse( $boxes['side']['low']['dashboard_primary'] );
		$this->assertIsArray( $boxes['normal']['core']['dashboard_activity'] );
		$this->assertSame( array( Menu_Applier::START_HERE_WIDGET ), array_keys( array_filter( $boxes['normal']['high'] ) ), 'The only box of the first priority.' );
		$this->assertSame( 'Start here', $boxes['normal']['high'][ Menu_Applier::START_HERE_WIDGET ]['title'] );

		ob_start();
		$applier->render_start_here();
		$html = (string) ob_get_clean();
		$this->assertStringContainsString( '<p>Edit your pages under &lt;Our pages&gt;.</p>', $html );
		$this->assertStringContainsString( '<p>Call us &amp; ask.</p>', $html );
		$this->assertStringContainsString( '<strong>Smith &amp; Sons</strong>', $html );
		$this->assertStringNotContainsString( '<Our pages>', $html );
	}

	/**
	 * Update nags are hidden by default; `hide_admin_notices` hides every notice.
	 */
	public function test_notices(): void {
		add_action( 'admin_notices', 'update_nag', 3 );
		add_action( 'admin_notices', 'maintenance_nag', 10 );
		add_action( 'admin_notices', '__return_null' );
		( new Menu_Dashboard( self::profile() ) )->hide_notices();
		$this->assertFalse( has_action( 'admin_notices', 'update_nag' ) );
		$this->assertFalse( has_action( 'admin_notices', 'maintenance_nag' ) );
		$this->assertSame( 10, has_action( 'admin_notices', '__return_null' ) );

		add_action( 'all_admin_notices', '__return_null' );
		( new Menu_Dashboard( self::profile( array( 'notices' => array( 'hide_admin_notices' => true ) ) ) ) )->hide_notices();
		$this->assertFalse( has_action( 'admin_notices' ) );
		$this->assertFalse( has_action( 'all_admin_notices' ) );

		add_action( 'admin_notices', 'update_nag', 3 );
		( new Menu_Dashboard( self::profile( array( 'notices' => array( 'hide_update_nags' => false ) ) ) ) )->hide_notices();
		$this->assertSame( 3, has_action( 'admin_notices', 'update_nag' ) );
	}

	/**
	 * Update counters leave menu titles when update nags are hidden, and stay otherwise;
	 * other counters (comments awaiting moderation) stay, after a new title too.
	 */
	public function test_update_counters_leave_menu_titles(): void {
		$GLOBALS['menu']    = array(
			5  => array( 'Plugins <span class="update-plugins count-2"><span class="plugin-count">2</span></span>', 'read', 'plugins.php', '', 'menu-top', 'menu-plugins', 'dashicons-admin-plugins' ),
			10 => array( "Comments <span class='awaiting-mod count-1'><span class='pending-count'>1</span></span>", 'read', 'edit-comments.php', '', 'menu-top', 'menu-comments', 'dashicons-admin-comments' ),
		);
		$GLOBALS['submenu'] = array();
		$profile            = self::profile(
			array(
				'custom_links' => array(),
				'menu'         => array(
					array(
						'slug'  => 'plugins.php',
						'state' => 'visible',
					),
					array(
						'slug'  => 'edit-comments.php',
						'state' => 'visible',
						'title' => 'Feedback',
					),
				),
			)
		);
		( new Menu_Applier( $profile, new WP_User() ) )->rewrite_menu();
		$this->assertSame( 'Plugins', $GLOBALS['menu'][0][0] );
		$this->assertSame( "Feedback <span class='awaiting-mod count-1'><span class='pending-count'>1</span></span>", $GLOBALS['menu'][1][0] );

		$GLOBALS['menu'] = array( 5 => array( 'Plugins <span class="update-plugins count-2"><span class="plugin-count">2</span></span>', 'read', 'plugins.php', '', 'menu-top', 'menu-plugins', '' ) );
		( new Menu_Applier( array_merge( $profile, array( 'notices' => array( 'hide_update_nags' => false ) ) ), new WP_User() ) )->rewrite_menu();
		$this->assertStringContainsString( 'update-plugins', $GLOBALS['menu'][0][0] );
	}

	/**
	 * Links marked new_tab get a small script that opens them in a new tab; none without.
	 */
	public function test_the_new_tab_script(): void {
		ob_start();
		( new Menu_Applier( self::profile(), new WP_User() ) )->rewriter()->print_new_tab_script();
		$html = (string) ob_get_clean();
		$this->assertStringContainsString( '<script', $html );
		$this->assertStringContainsString( 'a.' . Menu_Applier::NEW_TAB_CLASS, $html );
		$this->assertStringContainsString( 'noopener', $html );

		ob_start();
		( new Menu_Applier( self::profile( array( 'custom_links' => array() ) ), new WP_User() ) )->rewriter()->print_new_tab_script();
		$this->assertSame( '', ob_get_clean() );
	}
}
