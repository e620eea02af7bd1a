<?php
/**
 * Tests of the Site Handbook screen, its menu item, its dashboard widget and view counts.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Capabilities;
use Handoff\Companion\Handbook_Api;
use Handoff\Companion\Handbook_Html;
use Handoff\Companion\Handbook_Screen;
use Handoff\Companion\Handbook_Store;
use Handoff\Companion\Options;
use Handoff\Companion\Plugin;

require_once __DIR__ . '/HandbookApiTest.php'; // Its document() is shared.

/**
 * What a client sees in wp-admin once a handbook is published, and what it costs.
 */
class HandbookScreenTest extends Handoff_Test_Case {

	/**
	 * Loads what wp-admin loads for a screen.
	 */
	protected function setUp(): void {
		parent::setUp();
		require_once ABSPATH . 'wp-admin/includes/admin.php';
		$GLOBALS['menu']             = array();
		$GLOBALS['submenu']          = array();
		$GLOBALS['admin_page_hooks'] = array();
		$GLOBALS['_registered_pages'] = array();
		$GLOBALS['_parent_pages']     = array();
		$_GET                         = array();
	}

	/**
	 * Publishes a handbook as the bridge user would, then restores the current user.
	 *
	 * @param array<string, mixed> $changes Document keys to replace.
	 */
	private function publish( array $changes = array() ): void {
		$previous = get_current_user_id();
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$result = Handbook_Api::publish( (string) wp_json_encode( HandbookApiTest::document( $changes ) ) );
		wp_set_current_user( $previous );
		$this->assertIsArray( $result, is_wp_error( $result ) ? $result->get_error_message() : '' );
	}

	/**
	 * The screen's HTML.
	 */
	private function render(): string {
		ob_start();
		Handbook_Screen::render();
		return (string) ob_get_clean();
	}

	/**
	 * The menu entry of the handbook, or null.
	 *
	 * @return array<int, mixed>|null
	 */
	private static function menu_item(): ?array {
		foreach ( $GLOBALS['menu'] as $item ) {
			if ( Handbook_Screen::PAGE === $item[2] ) {
				return $item;
			}
		}
		return null;
	}

	/**
	 * The hooks: the menu item and the dashboard widget, in wp-admin only.
	 */
	public function test_hooked_in_wp_admin_only(): void {
		Plugin::add_hooks();
		$this->assertFalse( has_action( 'admin_menu', array( Handbook_Screen::class, 'register' ) ) );
		$this->assertFalse( has_action( 'wp_dashboard_setup', array( Handbook_Screen::class, 'add_dashboard_widget' ) ) );
		set_current_screen( 'dashboard' );
		Plugin::add_hooks();
		$this->assertSame( 10, has_action( 'admin_menu', array( Handbook_Screen::class, 'register' ) ) );
		$this->assertSame( 10, has_action( 'wp_dashboard_setup', array( Handbook_Screen::class, 'add_dashboard_widget' ) ) );
	}

	/**
	 * No handbook, no menu item; once published, a top-level item just below the
	 * Dashboard, for anyone who can read, with the view counter on its load hook.
	 */
	public function test_the_menu_item_follows_publication(): void {
		$this->log_in_as( 'editor' );
		Handbook_Screen::register();
		$this->assertNull( self::menu_item() );
		$this->assertSame( '', Handbook_Screen::hook() );

		$this->publish();
		Handbook_Screen::register();
		$item = self::menu_item();
		$this->assertSame( 'Site Handbook', $item[0] );
		$this->assertSame( 'read', $item[1] );
		$this->assertSame( 'dashicons-book', $item[6] );
		$this->assertSame( array( Handbook_Screen::POSITION ), array_keys( $GLOBALS['menu'] ) );
		$this->assertSame( 'toplevel_page_handoff-handbook', Handbook_Screen::hook() );
		$this->assertSame( 10, has_action( 'load-toplevel_page_handoff-handbook', array( Handbook_Screen::class, 'load' ) ) );

		Handbook_Api::unpublish();
		$GLOBALS['menu'] = array();
		Handbook_Screen::register();
		$this->assertNull( self::menu_item(), 'Gone once unpublished.' );
	}

	/**
	 * A client (editor) gets the title, the date, the contents, the search box with its
	 * label and live region, the skip link, the handbook and the script.
	 */
	public function test_the_screen_for_a_client(): void {
		$this->publish();
		$this->log_in_as( 'editor' );

		$html = $this->render();

		$this->assertStringContainsString( '<h1>Handbook of Sandbox Client Co.</h1>', $html );
		$this->assertStringContainsString( 'Published on ' . wp_date( get_option( 'date_format' ) ), $html );
		$this->assertMatchesRegularExpression( '#<nav class="handoff-handbook-toc card" aria-labelledby="handoff-handbook-toc-title">#', $html );
		$this->assertStringContainsString( '<li data-handoff-section="logging-in"><a href="#logging-in">Logging in</a></li>', $html );
		$this->assertStringContainsString( '<li data-handoff-section="pages"><a href="#pages">Pages &amp; posts</a></li>', $html );
		$this->assertStringContainsString( '<label for="handoff-handbook-s">Search the handbook</label>', $html );
		$this->assertStringContainsString( 'role="status" aria-live="polite"', $html );
		$this->assertStringContainsString( 'href="#handoff-handbook-content"', $html );
		$this->assertStringContainsString( '<div id="handoff-handbook-content" class="handoff-handbook-content" tabindex="-1" lang="en">', $html );
		$this->assertStringContainsString( '<h2 id="logging-in">Logging in</h2>', $html );
		$this->assertStringContainsString( '<blockquote><p>Ask us first.</p></blockquote>', $html );
		$this->assertStringContainsString( '<p>Welcome.</p>', $html, 'The introduction before the first chapter is shown.' );
		$this->assertSame( 3, substr_count( $html, '<section class="handoff-handbook-section"' ) );
		$this->assertStringContainsString( '<script', $html );
		$this->assertStringContainsString( '@media print', $html );
		$this->assertStringNotContainsString( 'mark class', $html );
	}

	/**
	 * The content is filtered again when printed: what reached the option some other way
	 * does not reach the page.
	 */
	public function test_the_content_is_filtered_again_on_output(): void {
		$this->publish();
		$stored         = json_decode( get_option( Options::HANDBOOK ), true );
		$stored['html'] = '<h2 id="a" onclick="x()">A</h2><script>alert(1)</script><p style="display:none">p</p><form><input name="pwd"></form>';
		update_option( Options::HANDBOOK, wp_json_encode( $stored ), false );
		$this->log_in_as( 'editor' );

		$html = $this->render();

		$this->assertStringContainsString( '<h2 id="a">A</h2>', $html );
		$this->assertStringNotContainsString( 'alert(1)', $html );
		$this->assertStringNotContainsString( 'onclick', $html );
		$this->assertStringNotContainsString( 'display:none', $html );
		$this->assertStringNotContainsString( 'name="pwd"', $html );
	}

	/**
	 * `?s=word` without JavaScript: only the sections (a heading and its text) containing
	 * the word, marked, each under a link to its chapter, no contents, a count in the live
	 * region and a way back.
	 */
	public function test_search_on_the_server(): void {
		$this->publish();
		$this->log_in_as( 'editor' );
		$_GET['s'] = wp_slash( 'SECRET' );

		$html = $this->render();

		$this->assertSame( 1, substr_count( $html, '<li class="handoff-handbook-result"' ) );
		$this->assertSame( 0, substr_count( $html, '<section class="handoff-handbook-section"' ), 'Not the whole handbook.' );
		$this->assertStringContainsString( '<h3>Your password</h3>', $html );
		$this->assertStringContainsString( '<p class="handoff-handbook-result-chapter"><a href="' . esc_url( admin_url( 'admin.php?page=handoff-handbook' ) ) . '#logging-in">Logging in</a></p>', $html );
		$this->assertStringNotContainsString( '<h2 id="pages">', $html );
		$this->assertStringNotContainsString( 'Welcome.', $html );
		$this->assertStringNotContainsString( '<nav class="handoff-handbook-toc', $html, 'No contents while searching.' );
		$this->assertStringContainsString( '<strong><mark class="handoff-handbook-match">secret</mark></strong>', $html );
		$this->assertStringContainsString( 'Sections matching: 1', $html );
		$this->assertStringContainsString( 'value="SECRET"', $html );
		$this->assertStringContainsString( 'data-filtered="1"', $html );
		$this->assertStringContainsString( '>Show the whole handbook</a>', $html );

		$_GET['s'] = 'no such word';
		$html      = $this->render();
		$this->assertSame( 0, substr_count( $html, '<li class="handoff-handbook-result"' ) );
		$this->assertStringContainsString( 'No section matches. Try another word.', $html );

		$_GET['s'] = '"><script>alert(1)</script>';
		$html      = $this->render();
		$this->assertStringNotContainsString( '<script>alert(1)', $html );

		$_GET['s'] = array( 'x' );
		$this->assertSame( '', Handbook_Screen::search() );
	}

	/**
	 * Nothing published (the page opened by URL): a notice, no error.
	 */
	public function test_the_screen_without_a_handbook(): void {
		$this->log_in_as( 'editor' );
		$this->assertStringContainsString( 'The handbook is not available right now.', $this->render() );
	}

	/**
	 * The first view is a client's: recorded once, never by an administrator or the
	 * bridge user; views count for clients only.
	 */
	public function test_first_view(): void {
		$this->publish();
		$admin = $this->log_in_as( 'administrator' );
		Handbook_Screen::load();
		$this->assertSame(
			array(
				'first_view'      => null,
				'views_by_client' => 0,
			),
			Handbook_Store::views(),
			'An administrator is not counted.'
		);
		$this->assertSame( '', get_user_meta( $admin->ID, Options::HANDBOOK_LAST_VIEW, true ) );

		$bridge = $this->bridge_role_user_ids();
		wp_set_current_user( $bridge[0] );
		$this->assertTrue( current_user_can( Capabilities::BRIDGE_CAP ) );
		Handbook_Screen::load();
		$this->assertNull( Handbook_Store::views()['first_view'], 'Nor is the bridge user.' );

		$client = $this->log_in_as( 'editor' );
		Handbook_Screen::load();
		$views = Handbook_Store::views();
		$this->assertSame( $client->ID, $views['first_view']['user_id'] );
		$this->assertSame( $client->user_login, $views['first_view']['user_login'] );
		$this->assertEqualsWithDelta( time(), $views['first_view']['at'], 5 );
		$this->assertSame( 1, $views['views_by_client'] );

		$author = $this->log_in_as( 'author' );
		Handbook_Screen::load();
		$views = Handbook_Store::views();
		$this->assertSame( $client->user_login, $views['first_view']['user_login'], 'Recorded once.' );
		$this->assertSame( 2, $views['views_by_client'] );
		$this->assertNotSame( $author->ID, $views['first_view']['user_id'] );

		$this->publish( array( 'title' => 'Second edition' ) );
		$this->assertSame( $client->user_login, Handbook_Store::views()['first_view']['user_login'], 'A new edition keeps the record.' );
	}

	/**
	 * A user's views count at most once an hour: within the hour a view reads and
	 * writes nothing at all.
	 */
	public function test_views_are_counted_once_an_hour(): void {
		global $wpdb;
		$this->publish();
		$client = $this->log_in_as( 'editor' );
		$start  = 1700000000;

		$this->assertTrue( Handbook_Store::record_view( $client, $start ) );
		$this->assertSame( $start, (int) get_user_meta( $client->ID, Options::HANDBOOK_LAST_VIEW, true ) );

		$state  = $this->site_state();
		$before = $wpdb->num_queries;
		$this->assertFalse( Handbook_Store::record_view( wp_get_current_user(), $start + 60 ) );
		$this->assertFalse( Handbook_Store::record_view( wp_get_current_user(), $start + HOUR_IN_SECONDS - 1 ) );
		$this->assertSame( $before, $wpdb->num_queries, 'No query within the hour.' );
		$this->assertSame( $state, $this->site_state() );
		$this->assertSame( 1, Handbook_Store::views()['views_by_client'] );

		$this->assertTrue( Handbook_Store::record_view( $client, $start + HOUR_IN_SECONDS ) );
		$this->assertSame( 2, Handbook_Store::views()['views_by_client'] );
		$this->assertSame( $start, Handbook_Store::views()['first_view']['at'], 'The first view stays the first.' );

		$other = $this->create_user( 'editor' );
		$this->assertTrue( Handbook_Store::record_view( $other, $start + HOUR_IN_SECONDS + 1 ), 'Per user.' );
		$this->assertSame( 3, Handbook_Store::views()['views_by_client'] );
	}

	/**
	 * An ordinary admin page costs no query for the handbook, published or not: the menu
	 * item and the widget read the autoloaded meta WordPress has already loaded.
	 */
	public function test_no_query_on_an_ordinary_admin_page(): void {
		global $wpdb, $wp_meta_boxes;
		require_once ABSPATH . 'wp-admin/includes/dashboard.php';
		set_current_screen( 'dashboard' );
		$this->log_in_as( 'editor' );

		foreach ( array( 'not published', 'published' ) as $state ) {
			if ( 'published' === $state ) {
				$this->publish();
			}
			wp_cache_flush();
			wp_load_alloptions();
			$GLOBALS['menu'] = array();
			$wp_meta_boxes   = array();

			$before = $wpdb->num_queries;
			Handbook_Screen::register();
			Handbook_Screen::add_dashboard_widget();
			$this->assertSame( $before, $wpdb->num_queries, "No query when {$state}." );
			$this->assertSame( 'published' === $state, null !== self::menu_item(), $state );
		}
	}

	/**
	 * The dashboard widget: at the top of the second column while a handbook is
	 * published, one sentence and a button to the screen.
	 */
	public function test_the_dashboard_widget(): void {
		global $wp_meta_boxes;
		require_once ABSPATH . 'wp-admin/includes/dashboard.php';
		set_current_screen( 'dashboard' );
		$this->log_in_as( 'editor' );
		$wp_meta_boxes = array();
		Handbook_Screen::add_dashboard_widget();
		$this->assertEmpty( $wp_meta_boxes['dashboard']['side']['high'][ Handbook_Screen::WIDGET ] ?? null );

		$this->publish( array( 'title' => 'Guide & manual' ) );
		Handbook_Screen::add_dashboard_widget();
		$box = $wp_meta_boxes['dashboard']['side']['high'][ Handbook_Screen::WIDGET ];
		$this->assertSame( 'Site Handbook', $box['title'] );

		ob_start();
		Handbook_Screen::render_dashboard_widget();
		$html = (string) ob_get_clean();
		$this->assertStringContainsString( '<strong>Guide &amp; manual</strong> explains', $html );
		$this->assertStringContainsString( '<a class="button button-primary" href="' . esc_url( admin_url( 'admin.php?page=handoff-handbook' ) ) . '">Open the Site Handbook</a>', $html );
	}

	/**
	 * The parts of a prepared body cover it whole (so the screen loses nothing).
	 */
	public function test_the_screen_shows_every_part(): void {
		$this->publish();
		$stored = json_decode( get_option( Options::HANDBOOK ), true );
		$this->assertSame( $stored['html'], implode( '', array_column( Handbook_Html::split( $stored['html'] ), 'html' ) ) );
	}
}
