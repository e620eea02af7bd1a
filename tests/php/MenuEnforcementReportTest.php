<?php
/**
 * Tests of the enforcement report returned with a pushed profile.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Menu_Profile_Store;

/**
 * The push answer says, per denied item and targeted role, which doors are closed and why
 * any stays open — computed from the site's real menu (captured with wp-admin/menu.php,
 * so each test runs in a process of its own) and REST routes.
 *
 * @runTestsInSeparateProcesses
 * @preserveGlobalState disabled
 */
class MenuEnforcementReportTest extends Handoff_Test_Case {

	/**
	 * A plugin with a page of its own capability and two REST routes, one checking its own
	 * capability, one `edit_posts`.
	 */
	private function add_fixture_plugin(): void {
		get_role( 'editor' )->add_cap( 'fixture_manage_reports' );
		add_action(
			'admin_menu',
			static function () {
				add_menu_page( 'Fixture reports', 'Fixture reports', 'fixture_manage_reports', 'fixture-reports', '__return_null' );
			}
		);
		add_action(
			'rest_api_init',
			static function () {
				register_rest_route(
					'fixture/v1',
					'/reports',
					array(
						'methods'             => 'POST',
						'callback'            => '__return_true',
						'permission_callback' => static fn () => current_user_can( 'fixture_manage_reports' ),
					)
				);
				register_rest_route(
					'fixture/v1',
					'/drafts',
					array(
						'methods'             => 'POST',
						'callback'            => '__return_true',
						'permission_callback' => static fn () => current_user_can( 'edit_posts' ),
					)
				);
			}
		);
	}

	/**
	 * The profile: Media, the fixture page, Portfolio and Sandbox Reports denied for editors.
	 *
	 * @return array<string, mixed>
	 */
	private static function profile(): array {
		$menu = array(
			array(
				'slug'  => 'index.php',
				'state' => 'visible',
			),
			array(
				'slug'  => 'edit.php',
				'state' => 'visible',
			),
		);
		foreach ( array( 'upload.php', 'fixture-reports', 'edit.php?post_type=portfolio', 'sandbox-reports' ) as $slug ) {
			$menu[] = array(
				'slug'  => $slug,
				'state' => 'denied',
			);
		}
		return array(
			'schema_version' => 1,
			'name'           => 'Client',
			'targets'        => array( 'roles' => array( 'editor' ) ),
			'exempt_users'   => array( 'admin' ),
			'unknown_items'  => 'hide',
			'menu'           => $menu,
		);
	}

	/**
	 * The report's row of an item for editors.
	 *
	 * @param array<string, mixed> $report The report.
	 * @param string               $slug   The item.
	 * @return array<string, mixed>
	 */
	private function row( array $report, string $slug ): array {
		foreach ( $report['items'] as $item ) {
			if ( $slug === $item['slug'] && '' === $item['parent'] ) {
				$this->assertSame( 'role:editor', $item['targets'][0]['target'] );
				return $item['targets'][0];
			}
		}
		$this->fail( "No row for {$slug}: " . implode( ', ', array_column( $report['items'], 'slug' ) ) );
	}

	/**
	 * PUT answers with the report: closed doors say why; a shared capability leaves doors
	 * open, and says which item keeps it; a plugin's REST route is found by the capability
	 * its permission check asks for.
	 */
	public function test_the_push_answer_reports_each_door(): void {
		$this->add_fixture_plugin();
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$request  = new WP_REST_Request( 'PUT', '/handoff/v1/menu-profile' );
		$request->set_header( 'content-type', 'application/json' );
		$request->set_body( (string) wp_json_encode( array( 'profile' => self::profile(), 'replaces_version' => 0 ) ) );
		$response = rest_do_request( $request );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$report = $this->rest_data( $response )['enforcement'];
		$this->assert_no_null( $report );

		$media = $this->row( $report, 'upload.php' );
		$this->assertContains( 'upload_files', $media['withheld'] );
		foreach ( array( 'screen', 'rest', 'admin_ajax', 'admin_post', 'xmlrpc' ) as $door ) {
			$this->assertContains( $media['doors'][ $door ]['status'], array( 'closed', 'open', 'unknown' ) );
			$this->assertNotSame( '', $media['doors'][ $door ]['reason'] );
		}
		$this->assertSame( 'closed', $media['doors']['screen']['status'] );
		$this->assertSame( 'closed', $media['doors']['rest']['status'] );
		$this->assertStringContainsString( '/wp/v2/media', $media['doors']['rest']['reason'] );

		$fixture = $this->row( $report, 'fixture-reports' );
		$this->assertSame( array( 'fixture_manage_reports' ), $fixture['withheld'] );
		$this->assertSame( 'closed', $fixture['doors']['rest']['status'] );
		$this->assertStringContainsString( '/fixture/v1/reports', $fixture['doors']['rest']['reason'] );
		$this->assertSame( 'closed', $fixture['doors']['admin_post']['status'] );
		$this->assertSame( 'closed', $fixture['doors']['admin_ajax']['status'] );

		$reports = $this->row( $report, 'sandbox-reports' );
		$this->assertSame( array(), $reports['withheld'] );
		$this->assertSame( 'edit_posts', $reports['shared'][0]['capability'] );
		$this->assertContains( 'edit.php', $reports['shared'][0]['kept_by'] );
		$this->assertSame( 'open', $reports['doors']['admin_post']['status'] );
		$this->assertStringContainsString( '`edit_posts`, which also opens edit.php', $reports['doors']['admin_post']['reason'] );
		$this->assertSame( 'open', $reports['doors']['rest']['status'] );
		$this->assertStringContainsString( '/fixture/v1/drafts', $reports['doors']['rest']['reason'] );

		$portfolio = $this->row( $report, 'edit.php?post_type=portfolio' );
		$this->assertSame( 'closed', $portfolio['doors']['rest']['status'] );
		$this->assertSame( 'closed', $portfolio['doors']['xmlrpc']['status'] );
		$this->assertStringContainsString( 'denied by object', $portfolio['doors']['xmlrpc']['reason'] );
	}

	/**
	 * POST /menu-profile/report computes the same report without storing the profile, and
	 * refuses what PUT refuses.
	 */
	public function test_the_report_route_stores_nothing(): void {
		$this->add_fixture_plugin();
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$request = new WP_REST_Request( 'POST', '/handoff/v1/menu-profile/report' );
		$request->set_header( 'content-type', 'application/json' );
		$request->set_body( (string) wp_json_encode( array( 'profile' => self::profile() ) ) );
		$response = rest_do_request( $request );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame( 'closed', $this->row( $this->rest_data( $response )['enforcement'], 'upload.php' )['doors']['rest']['status'] );
		$this->assertNull( ( new Menu_Profile_Store() )->current() );

		$bad = new WP_REST_Request( 'POST', '/handoff/v1/menu-profile/report' );
		$bad->set_header( 'content-type', 'application/json' );
		$bad->set_body( (string) wp_json_encode( array( 'profile' => array_merge( self::profile(), array( 'menu' => array( array( 'slug' => 'index.php', 'state' => 'denied' ) ) ) ) ) ) );
		$this->assertSame( 400, rest_do_request( $bad )->get_status() );

		wp_set_current_user( $this->create_user( 'editor' )->ID );
		$this->assertSame( 403, rest_do_request( $request )->get_status(), 'Bridge only.' );
	}
}
