<?php
/**
 * Tests of the plugin's translations: loaded on the first string shown, in the user's
 * language, on the screens a client sees.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Handbook_Screen;
use Handoff\Companion\Menu_Refusal_Page;
use Handoff\Companion\Plugin;
use Handoff\Companion\Site_Contacts;
use Handoff\Companion\Translations;

/**
 * The .mo files of languages/ (built by scripts/plugin-languages.sh) are read only when a
 * string of the plugin is looked up, once, and never for en_US.
 */
class TranslationsTest extends Handoff_Test_Case {

	/**
	 * The locale the test pretends the user has ('' for the site's).
	 *
	 * @var string
	 */
	private string $locale = '';

	/**
	 * .mo files of the plugin WordPress read during the test.
	 *
	 * @var string[]
	 */
	private array $loaded = array();

	/**
	 * WordPress's text domain registry as it was: load_plugin_textdomain() leaves the
	 * domain's folder there, which would carry over to the next test.
	 *
	 * @var WP_Textdomain_Registry
	 */
	private WP_Textdomain_Registry $registry;

	/**
	 * Starts with the domain not loaded and counts every .mo WordPress reads for it.
	 */
	protected function setUp(): void {
		parent::setUp();
		$this->registry = clone $GLOBALS['wp_textdomain_registry'];
		Translations::reset();
		add_filter(
			'determine_locale',
			function ( $locale ) {
				return '' === $this->locale ? $locale : $this->locale;
			},
			PHP_INT_MAX
		);
		add_filter(
			'load_textdomain_mofile',
			function ( $mofile, $domain ) {
				// Only files that exist: WordPress 6.7+ looks for a -en_US.mo too.
				if ( Translations::DOMAIN === $domain && is_readable( $mofile ) ) {
					$this->loaded[] = basename( $mofile );
				}
				return $mofile;
			},
			10,
			2
		);
	}

	/**
	 * Forgets the domain for the next test.
	 */
	protected function tearDown(): void {
		parent::tearDown();
		Translations::reset();
		$GLOBALS['wp_textdomain_registry'] = $this->registry;
	}

	/**
	 * Hooks the first lookup as Plugin::add_hooks() does in wp-admin, as a user of $locale.
	 *
	 * @param string $locale The user's locale.
	 */
	private function as_user_of( string $locale ): void {
		$this->locale = $locale;
		Translations::add_hooks();
	}

	/**
	 * The first string of the plugin loads its language, once; the hooks then go away.
	 * (WordPress 6.7+ loads it just in time by itself, and nothing is hooked.)
	 */
	public function test_the_first_string_loads_the_language_once(): void {
		$this->as_user_of( 'vi' );
		$this->assertFalse( is_textdomain_loaded( Translations::DOMAIN ), 'Nothing is read before a string is shown.' );
		$this->assertSame( array(), $this->loaded );
		$this->assertSame( Translations::needs_hooks() ? 10 : false, has_filter( 'gettext_handoff-companion', array( Translations::class, 'gettext' ) ) );
		$this->assertSame( version_compare( get_bloginfo( 'version' ), '6.7', '<' ), Translations::needs_hooks() );

		$this->assertSame( 'Mục lục', __( 'Contents', 'handoff-companion' ) );
		$this->assertSame( 'Sổ tay trang web', esc_html__( 'Site Handbook', 'handoff-companion' ) );
		$this->assertSame( 'Tìm kiếm', __( 'Search', 'handoff-companion' ), "Not WordPress's own domain, but the same words." );

		$this->assertTrue( is_textdomain_loaded( Translations::DOMAIN ) );
		$this->assertSame( array( 'handoff-companion-vi.mo' ), array_values( array_unique( $this->loaded ) ) );
		foreach ( array_keys( Translations::FILTERS ) as $filter ) {
			$this->assertFalse( has_filter( $filter ), "{$filter} is unhooked once loaded." );
		}
	}

	/**
	 * Simplified Chinese, and the first lookup made through the plural or context
	 * functions loads as well.
	 *
	 * @dataProvider first_lookups
	 *
	 * @param string $how Which i18n function comes first.
	 */
	public function test_chinese_whichever_function_comes_first( string $how ): void {
		$this->as_user_of( 'zh_CN' );
		switch ( $how ) {
			case '_n':
				// phpcs:ignore WordPress.WP.I18n -- a lookup for the test, not a string of the plugin.
				_n( 'one section', 'sections', 2, 'handoff-companion' );
				break;
			case '_x':
				// phpcs:ignore WordPress.WP.I18n -- a lookup for the test, not a string of the plugin.
				_x( 'Search', 'a button', 'handoff-companion' );
				break;
			default:
				__( 'Contents', 'handoff-companion' );
		}
		$this->assertTrue( is_textdomain_loaded( Translations::DOMAIN ), $how );
		$this->assertSame( '网站手册', __( 'Site Handbook', 'handoff-companion' ) );
		$this->assertSame( '目录', __( 'Contents', 'handoff-companion' ) );
	}

	/**
	 * The functions that can look up first.
	 *
	 * @return array<string, array{0: string}>
	 */
	public function first_lookups(): array {
		return array(
			'__' => array( '__' ),
			'_n' => array( '_n' ),
			'_x' => array( '_x' ),
		);
	}

	/**
	 * In English nothing is read, and the strings are the code's.
	 */
	public function test_english_reads_nothing(): void {
		$this->as_user_of( 'en_US' );
		$this->assertSame( 'Contents', __( 'Contents', 'handoff-companion' ) );
		$this->assertFalse( is_textdomain_loaded( Translations::DOMAIN ) );
		$this->assertSame( array(), $this->loaded );
	}

	/**
	 * Only wp-admin (and XML-RPC) requests hook the first lookup at once; REST requests at
	 * rest_api_init; front-end page views never.
	 */
	public function test_hooked_where_the_plugin_shows_strings(): void {
		require_once ABSPATH . 'wp-admin/includes/admin.php';
		foreach ( array_keys( Translations::FILTERS ) as $filter ) {
			remove_all_filters( $filter );
		}
		Plugin::add_hooks();
		$this->assertFalse( has_filter( 'gettext_handoff-companion' ), 'Not on the front end.' );
		$this->assertSame( 10, has_action( 'rest_api_init', array( Translations::class, 'add_hooks' ) ) );

		set_current_screen( 'dashboard' );
		Plugin::add_hooks();
		$this->assertSame( Translations::needs_hooks() ? 10 : false, has_filter( 'gettext_handoff-companion', array( Translations::class, 'gettext' ) ), 'In wp-admin, before WordPress 6.7.' );
	}

	/**
	 * The 403 page and the contacts' labels in Vietnamese; the values stay as written.
	 */
	public function test_the_refusal_page_in_vietnamese(): void {
		$this->as_user_of( 'vi' );
		Site_Contacts::store(
			array(
				'name'  => 'Agency',
				'email' => 'help@agency.example',
				'hours' => 'Thứ Hai–Thứ Sáu 8:00–17:00',
			)
		);

		$html = Menu_Refusal_Page::html( array() );

		$this->assertStringContainsString( '<h1>Màn hình này không khả dụng</h1>', $html );
		$this->assertStringContainsString( 'Đến Bảng thông tin', $html );
		$this->assertStringContainsString( 'Thư điện tử: <a href="mailto:help@agency.example">', $html );
		$this->assertStringContainsString( 'Giờ hỗ trợ: Thứ Hai–Thứ Sáu 8:00–17:00', $html );
	}

	/**
	 * The Site Handbook's menu item and widget title in Chinese.
	 */
	public function test_the_handbook_menu_item_in_chinese(): void {
		require_once ABSPATH . 'wp-admin/includes/admin.php';
		$this->as_user_of( 'zh_CN' );
		update_option( \Handoff\Companion\Options::HANDBOOK_META, wp_json_encode( array( 'published' => true, 'title' => 'Handbook', 'hash' => '', 'published_at' => 1 ) ), true );
		wp_set_current_user( $this->create_user( 'editor' )->ID );
		$GLOBALS['menu']    = array();
		$GLOBALS['submenu'] = array();

		Handbook_Screen::register();

		$titles = array_column( $GLOBALS['menu'], 0 );
		$this->assertContains( '网站手册', $titles );
	}
}
