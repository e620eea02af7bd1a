<?php
/**
 * Tests of the Site Handbook's REST route and XML-RPC methods.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Handbook_Api;
use Handoff\Companion\Handbook_Store;
use Handoff\Companion\Options;
use Handoff\Companion\Xmlrpc_Methods;

/**
 * PUT/GET/DELETE /handoff/v1/handbook and handoff.handbook.publish/status/unpublish: the
 * bridge user only (401/403 otherwise), strict validation (400 with `errors`, 413), the
 * HTML filtered before it is stored, the status without the HTML.
 */
class HandbookApiTest extends Handoff_Test_Case {

	private const ROUTE = '/handoff/v1/handbook';

	/**
	 * A valid handbook document.
	 *
	 * @param array<string, mixed> $changes Keys to replace.
	 * @return array<string, mixed>
	 */
	public static function document( array $changes = array() ): array {
		return array_merge(
			array(
				'title'    => 'Handbook of Sandbox Client Co.',
				'language' => 'en',
				'html'     => '<p>Welcome.</p>'
					. '<h2 id="logging-in">Logging in</h2><p>Open <code>/wp-admin/</code> and sign in.</p>'
					. '<h3>Your password</h3><ul><li>Keep it <strong>secret</strong>.</li><li><em>Never</em> share it.</li></ul>'
					. '<h2 id="pages">Pages &amp; posts</h2><ol><li>Open <a href="https://example.test/wp-admin/edit.php">Pages</a>.</li></ol>'
					. '<table><thead><tr><th>Screen</th><th>Use</th></tr></thead><tbody><tr><td>Media</td><td>Images</td></tr></tbody></table>'
					. '<blockquote><p>Ask us first.</p></blockquote>',
				'hash'     => hash( 'sha256', 'handbook' ),
			),
			$changes
		);
	}

	/**
	 * Loads WordPress's XML-RPC server, as xmlrpc.php does, and accepts Application
	 * Passwords (WordPress does in an XML-RPC request).
	 */
	protected function setUp(): void {
		parent::setUp();
		$this->start_xmlrpc();
	}


	/**
	 * A REST request with a raw JSON body, dispatched in this process.
	 *
	 * @param string      $method HTTP method.
	 * @param string|null $body   JSON text, or null for none.
	 */
	private function send( string $method, ?string $body = null ): WP_REST_Response {
		$request = new WP_REST_Request( $method, self::ROUTE );
		if ( null !== $body ) {
			$request->set_header( 'Content-Type', 'application/json' );
			$request->set_body( $body );
		}
		return rest_do_request( $request );
	}

	/**
	 * PUT of a document.
	 *
	 * @param array<string, mixed> $document The document.
	 */
	private function put( array $document ): WP_REST_Response {
		return $this->send( 'PUT', (string) wp_json_encode( $document ) );
	}

	/**
	 * The stored handbook option, decoded.
	 *
	 * @return array<string, mixed>|null
	 */
	private static function stored(): ?array {
		$raw = get_option( Options::HANDBOOK, '' );
		return is_string( $raw ) && '' !== $raw ? json_decode( $raw, true ) : null;
	}

	/**
	 * Signs the bridge user in.
	 *
	 * @return array<string, mixed> The connection (see connect_bridge()).
	 */
	private function as_bridge(): array {
		$connection = $this->connect_bridge();
		wp_set_current_user( $connection['user']->ID );
		return $connection;
	}

	/**
	 * Every method for every kind of caller: only the bridge user gets in; the others get
	 * the bridge protocol's 401 / 403 (even with a body that is not JSON, or too large).
	 */
	public function test_route_by_role(): void {
		$bridge   = $this->connect_bridge()['user'];
		$requests = array(
			'GET'          => array( 'GET', null ),
			'PUT'          => array( 'PUT', (string) wp_json_encode( self::document() ) ),
			'PUT not JSON' => array( 'PUT', '{"title": ' ),
			'PUT too big'  => array( 'PUT', str_repeat( ' ', Handbook_Api::MAX_BYTES ) . '{' ),
			'DELETE'       => array( 'DELETE', null ),
		);
		$callers  = array(
			'nobody'        => array( 0, 401, 'handoff_unauthenticated' ),
			'subscriber'    => array( $this->create_user( 'subscriber' )->ID, 403, 'handoff_forbidden' ),
			'editor'        => array( $this->create_user( 'editor' )->ID, 403, 'handoff_forbidden' ),
			'administrator' => array( $this->create_user( 'administrator' )->ID, 403, 'handoff_forbidden' ),
		);
		foreach ( $requests as $what => $request ) {
			foreach ( $callers as $who => list( $user_id, $status, $code ) ) {
				wp_set_current_user( $user_id );
				$response = $this->send( ...$request );
				$this->assertSame( $status, $response->get_status(), "{$what} by {$who}." );
				$this->assertSame( $code, $this->rest_data( $response )['code'], "{$what} by {$who}." );
			}
		}
		$this->assertFalse( get_option( Options::HANDBOOK ), 'Nothing was stored.' );
		$this->assertFalse( get_option( Options::HANDBOOK_META ) );

		wp_set_current_user( $bridge->ID );
		$this->assertSame( 200, $this->send( 'GET' )->get_status() );
		$this->assertSame( 200, $this->put( self::document() )->get_status() );
		$this->assertSame( 200, $this->send( 'DELETE' )->get_status() );
		$this->assertSame( 404, $this->send( 'POST', (string) wp_json_encode( self::document() ) )->get_status(), 'POST is not a method of the route.' );
	}

	/**
	 * PUT stores the filtered handbook, the autoloaded meta and the chapters, and answers
	 * published_at, hash, size and the number of chapters.
	 */
	public function test_put_publishes(): void {
		$bridge   = $this->as_bridge();
		$document = self::document();

		$response = $this->put( $document );

		$this->assertSame( 200, $response->get_status() );
		$answer = $this->rest_data( $response );
		$this->assertSame( array( 'published_at', 'hash', 'size', 'sections' ), array_keys( $answer ) );
		$this->assertEqualsWithDelta( time(), $answer['published_at'], 5 );
		$this->assertSame( $document['hash'], $answer['hash'] );
		$this->assertSame( 2, $answer['sections'] );

		$stored = self::stored();
		$this->assertSame( array( 'title', 'language', 'html', 'hash', 'published_at', 'published_by', 'sections' ), array_keys( $stored ) );
		$this->assertSame( $document['title'], $stored['title'] );
		$this->assertSame( 'en', $stored['language'] );
		$this->assertSame( $bridge['login'], $stored['published_by'] );
		$this->assertSame( $answer['published_at'], $stored['published_at'] );
		$this->assertSame( strlen( $stored['html'] ), $answer['size'] );
		$this->assertSame( $document['html'], $stored['html'], 'Clean HTML is stored as it was sent.' );
		$this->assertSame(
			array(
				array(
					'id'    => 'logging-in',
					'title' => 'Logging in',
				),
				array(
					'id'    => 'pages',
					'title' => 'Pages & posts',
				),
			),
			$stored['sections']
		);

		$this->assertSame(
			array(
				'published'    => true,
				'title'        => $document['title'],
				'hash'         => $document['hash'],
				'published_at' => $answer['published_at'],
			),
			json_decode( get_option( Options::HANDBOOK_META ), true )
		);
		$this->assertTrue( Handbook_Store::is_published() );

		global $wpdb;
		$autoload = $wpdb->get_results( $wpdb->prepare( "SELECT option_name, autoload FROM {$wpdb->options} WHERE option_name IN ( %s, %s ) ORDER BY option_name", Options::HANDBOOK, Options::HANDBOOK_META ), ARRAY_A );
		$this->assertSame(
			array(
				array(
					'option_name' => Options::HANDBOOK,
					'autoload'    => self::stored_autoload( false ),
				),
				array(
					'option_name' => Options::HANDBOOK_META,
					'autoload'    => self::stored_autoload( true ),
				),
			),
			$autoload
		);

		$again = $this->rest_data( $this->put( self::document( array( 'title' => 'Second edition' ) ) ) );
		$this->assertSame( 'Second edition', self::stored()['title'], 'Publishing again replaces the handbook.' );
		$this->assertSame( 2, $again['sections'] );
	}

	/**
	 * Non-ASCII titles and bodies (Vietnamese, Chinese, an emoji) survive storage and
	 * count their length in characters.
	 */
	public function test_other_languages(): void {
		$this->as_bridge();
		$title = str_repeat( 'Sổ tay 使用手册 😀', 15 ); // 195 characters.
		$this->assertSame( 195, mb_strlen( $title ) );
		$html = '<h2 id="đăng-nhập">Đăng nhập</h2><p>Mở trang quản trị 😀</p><h2 id="页面">页面</h2><p>编辑页面。</p>';

		$response = $this->put(
			self::document(
				array(
					'title'    => $title,
					'language' => 'vi',
					'html'     => $html,
				)
			)
		);

		$this->assertSame( 200, $response->get_status(), wp_json_encode( $this->rest_data( $response ) ) );
		$stored = self::stored();
		$this->assertSame( $title, $stored['title'] );
		$this->assertSame( $html, $stored['html'] );
		$this->assertSame( array( 'đăng-nhập', '页面' ), array_column( $stored['sections'], 'id' ) );
		$this->assertDoesNotMatchRegularExpression( '/[^\x00-\x7F]/', (string) get_option( Options::HANDBOOK ), 'Stored as ASCII JSON: any database character set keeps it.' );
	}

	/**
	 * Refused documents: 400 `handoff_invalid_handbook` with every problem and its path;
	 * nothing is stored.
	 */
	public function test_validation(): void {
		$this->as_bridge();
		$cases = array(
			'not JSON'         => array( '{"title": "x",', array( '' => 'the body is not valid JSON' ) ),
			'a list'           => array( '[1, 2]', array( '' => 'must be a JSON object' ) ),
			'a string'         => array( '"handbook"', array( '' => 'must be a JSON object' ) ),
			'empty object'     => array(
				'{}',
				array(
					'title'    => 'is required',
					'language' => 'is required',
					'html'     => 'is required',
					'hash'     => 'is required',
				),
			),
			'wrong types'      => array(
				'{"title": 5, "language": null, "html": ["<p>x</p>"], "hash": {"sha256": "x"}}',
				array(
					'title'    => 'must be a string',
					'language' => 'must be a string',
					'html'     => 'must be a string',
					'hash'     => 'must be a string',
				),
			),
			'unknown key'      => array( wp_json_encode( self::document( array( 'sections' => array() ) ) ), array( 'sections' => 'is not an allowed key here' ) ),
			'bad language'     => array( wp_json_encode( self::document( array( 'language' => 'fr' ) ) ), array( 'language' => 'must be one of en, vi, zh' ) ),
			'language case'    => array( wp_json_encode( self::document( array( 'language' => 'EN' ) ) ), array( 'language' => 'must be one of' ) ),
			'short hash'       => array( wp_json_encode( self::document( array( 'hash' => 'abc123' ) ) ), array( 'hash' => '64 lowercase hexadecimal' ) ),
			'uppercase hash'   => array( wp_json_encode( self::document( array( 'hash' => strtoupper( hash( 'sha256', 'x' ) ) ) ) ), array( 'hash' => '64 lowercase hexadecimal' ) ),
			'hash newline'     => array( wp_json_encode( self::document( array( 'hash' => hash( 'sha256', 'x' ) . "\n" ) ) ), array( 'hash' => '64 lowercase hexadecimal' ) ),
			'empty title'      => array( wp_json_encode( self::document( array( 'title' => ' ' ) ) ), array( 'title' => 'must not be empty' ) ),
			'long title'       => array( wp_json_encode( self::document( array( 'title' => str_repeat( 'é', 201 ) ) ) ), array( 'title' => 'at most 200 characters, not 201' ) ),
			'markup in title'  => array( wp_json_encode( self::document( array( 'title' => '<b>Handbook</b>' ) ) ), array( 'title' => 'must not contain < or >' ) ),
			'line in title'    => array( wp_json_encode( self::document( array( 'title' => "Hand\nbook" ) ) ), array( 'title' => 'control characters' ) ),
			'empty html'       => array( wp_json_encode( self::document( array( 'html' => " \n" ) ) ), array( 'html' => 'must not be empty' ) ),
			'only a script'    => array( wp_json_encode( self::document( array( 'html' => '<script>alert(1)</script><iframe src="https://evil.test/"></iframe>' ) ) ), array( 'html' => 'no text left once filtered' ) ),
		);
		foreach ( $cases as $what => list( $body, $expected ) ) {
			$response = $this->send( 'PUT', $body );
			$data     = $this->rest_data( $response );
			$this->assertSame( 400, $response->get_status(), $what );
			$this->assertSame( 'handoff_invalid_handbook', $data['code'], $what );
			$this->assertSame( 400, $data['data']['status'], $what );
			$this->assertSame( array_map( 'strval', array_keys( $expected ) ), array_column( $data['data']['errors'], 'path' ), $what );
			foreach ( array_values( $expected ) as $index => $message ) {
				$this->assertStringContainsString( $message, $data['data']['errors'][ $index ]['message'], $what );
			}
		}
		$this->assertFalse( get_option( Options::HANDBOOK ), 'Nothing was stored.' );
		$this->assertFalse( Handbook_Store::is_published() );

		$this->assertSame( 200, $this->put( self::document( array( 'title' => str_repeat( 'é', 200 ) ) ) )->get_status(), '200 characters are allowed.' );
	}

	/**
	 * What a handbook must not carry is gone before it is stored: scripts, styles,
	 * frames, forms, event attributes, `javascript:` and `data:` links — even when another
	 * plugin allows some of them in posts. What a manual needs stays.
	 */
	public function test_dangerous_html_is_removed(): void {
		$this->as_bridge();
		add_filter(
			'wp_kses_allowed_html',
			static function ( $tags, $context ) {
				if ( 'post' === $context ) {
					$tags['iframe'] = array( 'src' => true );
					$tags['script'] = array( 'src' => true );
					$tags['p']      = array_merge( (array) ( $tags['p'] ?? array() ), array( 'onclick' => true ) );
				}
				return $tags;
			},
			10,
			2
		);
		$html = '<h2 id="start" onclick="steal()">Start</h2>'
			. '<p onclick="steal()" onmouseover="steal()" style="position:fixed;top:0">Click <a href="javascript:alert(1)">here</a>'
			. ' or <a href="JaVaScRiPt:alert(2)">there</a> or <a href="data:text/html;base64,PHNjcmlwdD4=">this</a>.</p>'
			. '<script>alert(3)</script><script src="https://evil.test/x.js"></script>'
			. '<style>#wpadminbar{display:none}</style>'
			. '<iframe src="https://evil.test/"></iframe>'
			. '<form action="https://evil.test/login" method="post"><input name="pwd" type="password"><button>Sign in</button><textarea>x</textarea></form>'
			. '<img src="https://example.test/a.png" alt="Screen" onerror="steal()">'
			. '<svg onload="steal()"><circle r="1"></circle></svg>'
			. '<object data="https://evil.test/x.swf"></object><embed src="https://evil.test/x.swf">'
			. '<p><a href="jav&#x61;script:alert(4)">four</a> <a href=" javascript:alert(5)">five</a> <a href=\'javascript&colon;alert(6)\'>six</a> <a href="mailto:help@example.test">mail</a></p>'
			. '<h3>Keep</h3><p><strong>bold</strong> <em>em</em> <code>code</code> <a href="https://example.test/help" title="Help">help</a></p>'
			. '<table><tr><td>cell</td></tr></table><blockquote>quote</blockquote>';

		$response = $this->put( self::document( array( 'html' => $html ) ) );

		$this->assertSame( 200, $response->get_status(), wp_json_encode( $this->rest_data( $response ) ) );
		$stored = strtolower( self::stored()['html'] );
		foreach ( array( 'alert', 'base64', 'display:none', 'sign in', 'steal', '<script', '</script', '<style', '<iframe', '<form', '<input', '<button', '<textarea', '<svg', '<object', '<embed', 'onclick', 'onmouseover', 'onerror', 'onload', 'javascript:', 'data:', 'style=', 'evil.test' ) as $needle ) {
			$this->assertStringNotContainsString( $needle, $stored, "{$needle} is removed." );
		}
		foreach ( array( '<h2 id="start">start</h2>', '<h3>keep</h3>', '<strong>bold</strong>', '<em>em</em>', '<code>code</code>', '<a href="https://example.test/help" title="help">help</a>', 'click <a>here</a> or <a>there</a> or <a>this</a>.', '<a>four</a> <a>five</a> <a>six</a> <a href="mailto:help@example.test">mail</a>', '<table>', '<td>cell</td>', '<blockquote>quote</blockquote>' ) as $kept ) {
			$this->assertStringContainsString( $kept, $stored, "{$kept} stays." );
		}
		$this->assertStringNotContainsString( '<img', $stored, 'A remote image goes, whole.' );
	}

	/**
	 * Images are published only as `data:` URLs of raster types, never from another
	 * address (which would tell its owner when the client reads the handbook); no `class`
	 * attribute is stored (a handbook must not look like WordPress's own notices).
	 */
	public function test_only_embedded_images_and_no_classes_are_stored(): void {
		$this->as_bridge();
		$logo = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
		$html = '<h2 id="start" class="wp-heading-inline">Start</h2>'
			. '<div class="notice notice-error"><p class="message">Your site is at risk. <a class="button button-primary" href="https://example.test/pay">Pay now</a></p></div>'
			. '<p><img src="' . $logo . '" alt="Logo"><img src="https://tracker.example/pixel.gif?site=1" alt="pixel"><img src="/wp-content/uploads/a.png" alt="upload"></p>'
			. '<p><a href="' . $logo . '">logo</a></p>';

		$response = $this->put( self::document( array( 'html' => $html ) ) );

		$this->assertSame( 200, $response->get_status(), wp_json_encode( $this->rest_data( $response ) ) );
		$this->assertSame(
			'<h2 id="start">Start</h2><div><p>Your site is at risk. <a href="https://example.test/pay">Pay now</a></p></div>'
			. '<p><img src="' . $logo . '" alt="Logo"></p><p><a>logo</a></p>',
			self::stored()['html']
		);
	}

	/**
	 * A body that keeps more than 256 elements open at once is refused with a 400 saying
	 * how deep it nests (browsers and the screen would only struggle with it); 256 is
	 * published, and so are 20,000 elements side by side.
	 */
	public function test_depth_limit(): void {
		$this->as_bridge();
		$refused = array(
			'257 nested'        => array( str_repeat( '<div>', 257 ) . 'x', 257 ),
			'20,000 unclosed'   => array( str_repeat( '<section>', 20000 ) . 'x', 20000 ),
			'unclosed emphasis' => array( '<h2 id="a">A</h2>' . str_repeat( '<em>x', 5000 ), 5000 ),
		);
		foreach ( $refused as $what => list( $body, $depth ) ) {
			$response = $this->put( self::document( array( 'html' => $body ) ) );
			$data     = $this->rest_data( $response );
			$this->assertSame( 400, $response->get_status(), $what );
			$this->assertSame( 'handoff_invalid_handbook', $data['code'], $what );
			$this->assertSame( array( 'html' ), array_column( $data['data']['errors'], 'path' ), $what );
			$this->assertStringContainsString( "nests elements {$depth} deep; at most 256 may be open at once", $data['data']['errors'][0]['message'], $what );
		}
		$this->assertFalse( get_option( Options::HANDBOOK ), 'Nothing was stored.' );

		$response = $this->put( self::document( array( 'html' => str_repeat( '<div>', 256 ) . 'deep' ) ) );
		$this->assertSame( 200, $response->get_status(), '256 open elements are allowed.' );
		$this->assertSame( 256, substr_count( self::stored()['html'], '</div>' ) );

		$siblings = '<h2 id="a">A</h2>' . str_repeat( '<p><em>y</em>', 20000 );
		$response = $this->put( self::document( array( 'html' => $siblings ) ) );
		$this->assertSame( 200, $response->get_status(), '20,000 unclosed paragraphs are siblings.' );
		$this->assertSame( 20000, substr_count( self::stored()['html'], '<p><em>y</em></p>' ) );
	}

	/**
	 * 413 above 2 MiB of JSON (before decoding), over REST, for invalid JSON too.
	 */
	public function test_too_large(): void {
		$this->as_bridge();
		$paragraph = '<p>' . str_repeat( 'All work and no play. ', 40 ) . '</p>';
		$html      = str_repeat( $paragraph, (int) ceil( Handbook_Api::MAX_BYTES / strlen( $paragraph ) ) );

		$response = $this->put( self::document( array( 'html' => $html ) ) );

		$this->assertSame( 413, $response->get_status() );
		$data = $this->rest_data( $response );
		$this->assertSame( 'handoff_handbook_too_large', $data['code'] );
		$this->assertSame( Handbook_Api::MAX_BYTES, $data['data']['limit'] );
		$this->assertGreaterThan( Handbook_Api::MAX_BYTES, $data['data']['size'] );
		$this->assertSame( 413, $this->send( 'PUT', '{"html": "' . str_repeat( 'x', Handbook_Api::MAX_BYTES ) )->get_status(), 'Invalid JSON that large is 413 too.' );
		$this->assertFalse( get_option( Options::HANDBOOK ) );

		$encoded    = strlen( (string) wp_json_encode( $paragraph ) ) - 2;
		$just_under = str_repeat( $paragraph, (int) floor( ( Handbook_Api::MAX_BYTES - 1000 ) / $encoded ) );
		$body       = (string) wp_json_encode( self::document( array( 'html' => $just_under ) ) );
		$this->assertGreaterThan( Handbook_Api::MAX_BYTES - 20000, strlen( $body ) );
		$this->assertLessThanOrEqual( Handbook_Api::MAX_BYTES, strlen( $body ) );
		$this->assertSame( 200, $this->send( 'PUT', $body )->get_status(), 'Just under the limit is published.' );
	}

	/**
	 * GET: nothing published (no nulls, `first_view` an empty object), then the handbook
	 * without its HTML, then the client's first view.
	 */
	public function test_status(): void {
		$this->as_bridge();
		$this->assertSame(
			'{"published":false,"title":"","language":"","hash":"","published_at":0,"published_by":"","sections":[],"first_view":{},"views_by_client":0}',
			wp_json_encode( $this->rest_data( $this->send( 'GET' ) ) )
		);

		$published = $this->rest_data( $this->put( self::document( array( 'language' => 'zh' ) ) ) );
		$status    = $this->rest_data( $this->send( 'GET' ) );
		$this->assertSame( array( 'published', 'title', 'language', 'hash', 'published_at', 'published_by', 'sections', 'first_view', 'views_by_client' ), array_keys( $status ) );
		$this->assertTrue( $status['published'] );
		$this->assertSame( 'zh', $status['language'] );
		$this->assertSame( $published['published_at'], $status['published_at'] );
		$this->assertSame( wp_get_current_user()->user_login, $status['published_by'] );
		$this->assertSame( array( 'logging-in', 'pages' ), array_column( $status['sections'], 'id' ) );
		$this->assertStringNotContainsString( 'Welcome', wp_json_encode( $status ), 'The HTML stays on the site.' );
		$this->assertStringContainsString( '"first_view":{}', wp_json_encode( $status ) );

		$bridge = get_current_user_id();
		$client = $this->create_user( 'editor', array( 'user_login' => 'the-client' ) );
		Handbook_Store::record_view( $client, 1700000000 );
		wp_set_current_user( $bridge );
		$status = $this->rest_data( $this->send( 'GET' ) );
		$this->assertSame(
			array(
				'user_login' => 'the-client',
				'at'         => 1700000000,
			),
			$status['first_view']
		);
		$this->assertSame( 1, $status['views_by_client'] );
		$this->assert_no_null( $status );
	}

	/**
	 * DELETE removes the handbook, its meta, its view record and the users' view
	 * timestamps; a second DELETE says there was nothing.
	 */
	public function test_unpublish(): void {
		$this->as_bridge();
		$bridge = get_current_user_id();
		$this->put( self::document() );
		$client = $this->create_user( 'editor' );
		Handbook_Store::record_view( $client );
		$this->assertNotEmpty( get_user_meta( $client->ID, Options::HANDBOOK_LAST_VIEW, true ) );
		wp_set_current_user( $bridge );

		$response = $this->send( 'DELETE' );

		$this->assertSame(
			array(
				'published' => false,
				'removed'   => true,
			),
			$this->rest_data( $response )
		);
		foreach ( array( Options::HANDBOOK, Options::HANDBOOK_META, Options::HANDBOOK_VIEWS ) as $option ) {
			$this->assertFalse( get_option( $option ), "{$option} is deleted." );
		}
		wp_cache_flush();
		$this->assertSame( '', get_user_meta( $client->ID, Options::HANDBOOK_LAST_VIEW, true ) );
		$this->assertFalse( Handbook_Store::is_published() );
		$this->assertFalse( $this->rest_data( $this->send( 'GET' ) )['published'] );
		$this->assertSame( 0, $this->rest_data( $this->send( 'GET' ) )['views_by_client'] );
		$this->assertFalse( $this->rest_data( $this->send( 'DELETE' ) )['removed'] );
	}

	/**
	 * PUT sent as POST with X-HTTP-Method-Override (as the backend may send it).
	 */
	public function test_method_override(): void {
		$this->as_bridge();
		$request = new WP_REST_Request( 'POST', self::ROUTE );
		$request->set_header( 'X-HTTP-Method-Override', 'PUT' );
		$request->set_header( 'Content-Type', 'application/json' );
		$request->set_body( (string) wp_json_encode( self::document() ) );
		$request->set_method( 'PUT' ); // What WP_REST_Server::serve_request() does with the header.
		$this->assertSame( 2, $this->rest_data( rest_do_request( $request ) )['sections'] );
	}

	/**
	 * The XML-RPC methods: the same services, the document as JSON text, faults with the
	 * HTTP status as code and the error code as prefix.
	 */
	public function test_xmlrpc_methods(): void {
		$connection = $this->connect_bridge();
		$login      = $connection['login'];
		$password   = $connection['password'];
		$server     = $GLOBALS['wp_xmlrpc_server'];
		foreach ( array( 'publish', 'status', 'unpublish' ) as $name ) {
			$this->assertSame( array( Xmlrpc_Methods::class, 'handbook_' . $name ), $server->methods[ 'handoff.handbook.' . $name ] );
		}

		$empty = $server->call( 'handoff.handbook.status', array( $login, $password ) );
		$this->assertFalse( $empty['published'] );
		$this->assertStringContainsString( '<name>first_view</name><value><struct></struct></value>', (string) preg_replace( '/>\s+</', '><', ( new IXR_Value( $empty ) )->getXml() ), '{} is a struct.' );

		$published = $server->call( 'handoff.handbook.publish', array( $login, $password, wp_json_encode( self::document() ) ) );
		$this->assertSame( 2, $published['sections'] );
		$status = $server->call( 'handoff.handbook.status', array( $login, $password ) );
		$this->assertTrue( $status['published'] );
		$this->assertSame( self::document()['hash'], $status['hash'] );

		$invalid = $server->call( 'handoff.handbook.publish', array( $login, $password, wp_json_encode( self::document( array( 'title' => '<b>x</b>', 'language' => 'fr' ) ) ) ) );
		$this->assertInstanceOf( IXR_Error::class, $invalid );
		$this->assertSame( 400, $invalid->code );
		$this->assertSame( 'handoff_invalid_handbook: title: must not contain < or >; language: must be one of en, vi, zh', htmlspecialchars_decode( $invalid->message ) );

		$struct = $server->call( 'handoff.handbook.publish', array( $login, $password, self::document() ) );
		$this->assertSame( 400, $struct->code );
		$this->assertStringStartsWith( 'handoff_invalid_handbook: the handbook must be JSON text', $struct->message );
		$missing = $server->call( 'handoff.handbook.publish', array( $login, $password ) );
		$this->assertSame( 400, $missing->code );
		$not_json = $server->call( 'handoff.handbook.publish', array( $login, $password, '{"title":' ) );
		$this->assertStringStartsWith( 'handoff_invalid_handbook: the handbook is not valid JSON', $not_json->message );

		$large = $server->call( 'handoff.handbook.publish', array( $login, $password, str_repeat( ' ', Handbook_Api::MAX_BYTES ) . wp_json_encode( self::document() ) ) );
		$this->assertSame( 413, $large->code );
		$this->assertStringStartsWith( 'handoff_handbook_too_large: ', $large->message );
		$this->assertSame( 'Handbook of Sandbox Client Co.', self::stored()['title'], 'Refusals changed nothing.' );

		$this->assertSame(
			array(
				'published' => false,
				'removed'   => true,
			),
			$server->call( 'handoff.handbook.unpublish', array( $login, $password ) )
		);
		$this->assertFalse( Handbook_Store::is_published() );
	}

	/**
	 * XML-RPC callers without access: WordPress's 403 for a wrong password, the
	 * protocol's `handoff_forbidden` for a user without the capability.
	 */
	public function test_xmlrpc_by_role(): void {
		$this->connect_bridge();
		$admin = $this->create_user( 'administrator' );
		wp_set_password( 'admin-password', $admin->ID );
		foreach ( array( 'publish' => array( wp_json_encode( self::document() ) ), 'status' => array(), 'unpublish' => array() ) as $name => $more ) {
			$wrong = $this->new_xmlrpc_server()->call( 'handoff.handbook.' . $name, array_merge( array( 'nobody', 'wrong' ), $more ) );
			$this->assertSame( 403, $wrong->code, $name );

			wp_set_current_user( 0 );
			$forbidden = $this->new_xmlrpc_server()->call( 'handoff.handbook.' . $name, array_merge( array( $admin->user_login, 'admin-password' ), $more ) );
			$this->assertSame( 403, $forbidden->code, $name );
			$this->assertStringStartsWith( 'handoff_forbidden:', $forbidden->message, $name );
		}
		$this->assertFalse( get_option( Options::HANDBOOK ) );
	}
}
