<?php
/**
 * Tests of the Site Handbook's search on the server: words, folding, stems, synonyms,
 * sections, ranking, marks, and what it costs.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Handbook_Api;
use Handoff\Companion\Handbook_Html;
use Handoff\Companion\Handbook_Screen;
use Handoff\Companion\Handbook_Search;

require_once __DIR__ . '/HandbookApiTest.php'; // Its document() is shared.

/**
 * What a client finds when searching the handbook without JavaScript (`?s=`), and the
 * pieces the browser's search shares with it.
 */
class HandbookSearchTest extends Handoff_Test_Case {

	/**
	 * Loads what wp-admin loads for a screen; no search asked.
	 */
	protected function setUp(): void {
		parent::setUp();
		require_once ABSPATH . 'wp-admin/includes/admin.php';
		$_GET = array();
	}

	/**
	 * The handbooks the backend builds for the sandbox (tests/e2e/test_handbook_search.py
	 * writes them), by language.
	 *
	 * @param string $language en, vi or zh.
	 */
	private static function fixture( string $language ): string {
		return (string) file_get_contents( __DIR__ . "/fixtures/handbook-{$language}.html" );
	}

	/**
	 * Publishes a handbook as the bridge user would, then restores the current user.
	 *
	 * @param string $html     The body.
	 * @param string $language Its language.
	 */
	private function publish( string $html, string $language ): void {
		$previous = get_current_user_id();
		wp_set_current_user( $this->connect_bridge()['user']->ID );
		$result = Handbook_Api::publish(
			(string) wp_json_encode(
				HandbookApiTest::document(
					array(
						'html'     => $html,
						'language' => $language,
					)
				)
			)
		);
		wp_set_current_user( $previous );
		$this->assertIsArray( $result, is_wp_error( $result ) ? $result->get_error_message() : '' );
	}

	/**
	 * The screen's HTML for a search.
	 *
	 * @param string $search What the reader typed.
	 */
	private function render( string $search ): string {
		$_GET['s'] = wp_slash( $search );
		ob_start();
		Handbook_Screen::render();
		return (string) ob_get_clean();
	}

	/**
	 * The queries of tests/php/fixtures/handbook-search-cases.json, by language.
	 *
	 * @return array<string, array{0: string}>
	 */
	public function languages(): array {
		return array(
			'English'    => array( 'en' ),
			'Vietnamese' => array( 'vi' ),
			'Chinese'    => array( 'zh' ),
		);
	}

	/**
	 * Each query a client would type brings its section first on the screen (`?s=`), with
	 * the words marked, in a handbook built by the backend.
	 *
	 * @dataProvider languages
	 *
	 * @param string $language The handbook's language.
	 */
	public function test_each_query_finds_its_section_first( string $language ): void {
		$cases = json_decode( (string) file_get_contents( __DIR__ . '/fixtures/handbook-search-cases.json' ), true );
		$this->publish( self::fixture( $language ), $language );
		$this->log_in_as( 'editor' );
		$wrong = array();
		foreach ( $cases[ $language ] as $case ) {
			$html  = $this->render( $case['query'] );
			// The first result: up to the next one, or the end of the list.
			$first = preg_match( '#<li class="handoff-handbook-result" data-handoff-section="([^"]*)">(.*?)(?:<li class="handoff-handbook-result"|</ol>\s*</div>)#s', $html, $match )
				&& preg_match( '#<h[23][^>]*>(.*?)</h[23]>#s', $match[2], $heading )
				? array( $match[1], html_entity_decode( wp_strip_all_tags( $heading[1] ), ENT_QUOTES, 'UTF-8' ) )
				: array( '', '' );
			if ( array( $case['chapter'], $case['heading'] ) !== $first || false === strpos( $match[2] ?? '', '<mark class="handoff-handbook-match">' ) ) {
				$wrong[] = $case['query'] . ' → ' . implode( ' › ', $first );
			}
		}
		$this->assertSame( array(), $wrong );
	}

	/**
	 * Case and accents are folded, Vietnamese included ("thay doi" finds "thay đổi").
	 */
	public function test_case_and_accents_are_folded(): void {
		$this->assertSame( 'doi mat khau tai anh len', Handbook_Search::fold( 'Đổi MẬT KHẨU Tải Ảnh Lên' ) );
		$this->assertSame( 'uo y a o', Handbook_Search::fold( 'ƯƠ Ỹ Ặ Ờ' ) );
		$this->assertSame( 'cafe', Handbook_Search::fold( "cafe\u{0301}" ), 'A combining accent goes too.' );
		$this->assertSame( '编辑页面', Handbook_Search::fold( '编辑页面' ) );
	}

	/**
	 * English words are stemmed: the forms of a word meet at one stem.
	 */
	public function test_english_words_meet_at_their_stem(): void {
		$lang = Handbook_Search::language( 'en' );
		foreach ( array(
			array( 'edit', 'edits', 'editing', 'edited' ),
			array( 'page', 'pages' ),
			array( 'upload', 'uploads', 'uploading', 'uploaded' ),
			array( 'change', 'changes', 'changing', 'changed' ),
			array( 'add', 'adding', 'added' ),
			array( 'category', 'categories' ),
		) as $forms ) {
			$stems = array_unique(
				array_map(
					static function ( $word ) use ( $lang ) {
						return Handbook_Search::stem( $word, $lang );
					},
					$forms
				)
			);
			$this->assertCount( 1, $stems, implode( ', ', $forms ) . ': ' . implode( ', ', $stems ) );
		}
		$this->assertSame( 'trang', Handbook_Search::stem( 'trang', Handbook_Search::language( 'vi' ) ), 'Vietnamese is not stemmed.' );
	}

	/**
	 * A query is words: little words go, a phrase the synonym lists know is one concept,
	 * and each concept carries its synonyms (weighing less than the word typed); Chinese is
	 * cut at the words the lists know, the rest read by pairs of characters.
	 */
	public function test_a_query_is_concepts_with_synonyms(): void {
		$concepts = Handbook_Search::concepts( 'Edit a page', 'en' );
		$this->assertCount( 2, $concepts );
		$this->assertSame( 1.0, $concepts[0]['edit'] );
		$this->assertSame( 0.6, $concepts[0]['chang'] );
		$this->assertSame( 0.6, $concepts[0]['updat'] );
		$this->assertSame( 1.0, $concepts[1]['pag'] );

		$this->assertCount( 1, Handbook_Search::concepts( 'navigation menu', 'en' ), 'A known phrase.' );
		$this->assertCount( 1, Handbook_Search::concepts( 'menu navigation', 'en' ), 'Two words of one group.' );
		$this->assertArrayHasKey( 'upload', Handbook_Search::concepts( 'add an image', 'en' )[0], '"add image" means upload.' );
		$this->assertSame( array(), Handbook_Search::concepts( 'how do I', 'en' ), 'Only little words.' );

		$vi = Handbook_Search::concepts( 'thay doi trang', 'vi' );
		$this->assertCount( 2, $vi );
		$this->assertArrayHasKey( 'sua', $vi[0] );

		$zh = Handbook_Search::concepts( '怎么修改页面', 'zh' );
		$this->assertSame( array( '修改', '页面' ), array( array_key_first( $zh[0] ), array_key_first( $zh[1] ) ) );
		$this->assertArrayHasKey( '编辑', $zh[0] );
		$this->assertSame(
			array( '忘记', '密码' ),
			array_map( 'array_key_first', Handbook_Search::concepts( '忘记密码', 'zh' ) ),
			'Unknown characters by pairs.'
		);
		$this->assertSame( array( '保存', '存设', '设置' ), array_map( 'array_key_first', Handbook_Search::concepts( '保存设置', 'zh' ) ) );
	}

	/**
	 * Sections, not chapters: a chapter's introduction and each of its `h3` with its text.
	 * When some section has every word, only those are shown, best first; when none has,
	 * those with the most words are.
	 */
	public function test_sections_with_every_word_come_first(): void {
		$html     = '<p>Welcome.</p>'
			. '<h2 id="pages">Pages</h2><p>Pages hold your text.</p>'
			. '<h3>Finding a page</h3><p>Open the list of pages.</p>'
			. '<h3>Changing a page</h3><p>Click into the text and type.</p>'
			. '<h2 id="media">Images</h2><h3>Uploading files</h3><p>Drag a photo into the editor.</p>';
		$sections = Handbook_Search::body_sections(
			$html,
			array(
				'pages' => 'Pages',
				'media' => 'Images',
			)
		);
		$this->assertSame( array( '', 'Pages', 'Finding a page', 'Changing a page', 'Images', 'Uploading files' ), array_column( $sections, 'heading' ) );
		$this->assertSame( array( 0, 2, 3, 3, 2, 3 ), array_column( $sections, 'level' ) );
		$this->assertSame( $html, implode( '', array_column( $sections, 'html' ) ), 'Together, the whole body.' );

		$results = Handbook_Search::search( $sections, 'edit page', 'en' );
		$this->assertSame( array( 'Changing a page' ), array_column( $results, 'heading' ), 'Only the section with both.' );
		$this->assertSame( array( 2, 2 ), array( $results[0]['covered'], $results[0]['asked'] ) );

		$results = Handbook_Search::search( $sections, 'page photo', 'en' );
		$this->assertSame( array( 1, 2 ), array( $results[0]['covered'], $results[0]['asked'] ), 'No section has both: those with one.' );
		$this->assertContains( 'Uploading files', array_column( $results, 'heading' ) );

		$this->assertSame( array(), Handbook_Search::search( $sections, 'zzz', 'en' ) );
		$this->assertSame( array(), Handbook_Search::search( $sections, 'the', 'en' ) );
	}

	/**
	 * Marks go around the words found, as written (accents and case kept), a phrase whole
	 * with its little words, Chinese by characters; never inside a tag; text escaped.
	 */
	public function test_marks(): void {
		$cases = array(
			array( '<p>Editing <a href="/edit">edited</a> pages &amp; page</p>', array( 'edit', 'pag' ), 'en', '<p><mark class="m">Editing</mark> <a href="/edit"><mark class="m">edited</mark></a> <mark class="m">pages</mark> &amp; <mark class="m">page</mark></p>' ),
			array( '<p>Add an image, then add text.</p>', array( 'ad imag' ), 'en', '<p><mark class="m">Add an image</mark>, then add text.</p>' ),
			array( '<p>Thay đổi một trang</p>', array( 'thay doi', 'trang' ), 'vi', '<p><mark class="m">Thay đổi</mark> một <mark class="m">trang</mark></p>' ),
			array( '<p>编辑页面或文章时，点击页面。</p>', array( '页面', '编辑' ), 'zh', '<p><mark class="m">编辑</mark><mark class="m">页面</mark>或文章时，点击<mark class="m">页面</mark>。</p>' ),
			array( '<p>a &lt;page&gt;</p>', array( 'pag' ), 'en', '<p>a &lt;<mark class="m">page</mark>&gt;</p>' ),
			array( '<p>nothing here</p>', array( 'pag' ), 'en', '<p>nothing here</p>' ),
		);
		foreach ( $cases as list( $html, $forms, $language, $marked ) ) {
			$this->assertSame( $marked, Handbook_Search::mark( $html, $forms, $language, 'm' ), $html );
		}
	}

	/**
	 * The browser gets the server's prepared data (one definition of the synonyms) in a
	 * JSON element that no text of the data can close early; the script is enqueued when
	 * the screen loads, and only then.
	 */
	public function test_the_browser_gets_the_same_data_and_script(): void {
		$this->publish( self::fixture( 'vi' ), 'vi' );
		$this->log_in_as( 'editor' );
		$_GET = array();
		ob_start();
		Handbook_Screen::render();
		$html = (string) ob_get_clean();

		$this->assertMatchesRegularExpression( '#<script type="application/json" id="handoff-handbook-search-data">([^<]*)</script>#', $html );
		preg_match( '#<script type="application/json" id="handoff-handbook-search-data">([^<]*)</script>#', $html, $match );
		// Equal, not identical: JSON writes the weight 4.0 as 4.
		$this->assertEquals( Handbook_Search::script_data( 'vi' ), json_decode( $match[1], true ) );
		$this->assertContains( array( 'sua', 'chinh sua', 'thay doi', 'doi', 'cap nhat', 'chinh', 'bien tap', 'edit' ), Handbook_Search::script_data( 'vi' )['groups'] );

		wp_dequeue_script( Handbook_Screen::SCRIPT );
		$this->assertFalse( wp_script_is( Handbook_Screen::SCRIPT, 'enqueued' ) );
		Handbook_Screen::load();
		$this->assertTrue( wp_script_is( Handbook_Screen::SCRIPT, 'enqueued' ) );
		$this->assertFileExists( HANDOFF_COMPANION_DIR . '/assets/handbook-search.js' );
		wp_dequeue_script( Handbook_Screen::SCRIPT );
	}
}
