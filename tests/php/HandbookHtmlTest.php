<?php
/**
 * Tests of the Site Handbook's HTML handling.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Handbook_Html;

/**
 * Filtering, chapters (top-level `h2`), ids, cutting into parts, search and marks.
 */
class HandbookHtmlTest extends Handoff_Test_Case {

	/**
	 * The filter's list: the post rules without code, styles, frames and forms.
	 */
	public function test_allowed_html(): void {
		$allowed = Handbook_Html::allowed_html();
		foreach ( array( 'h2', 'h3', 'p', 'ul', 'ol', 'li', 'strong', 'em', 'a', 'code', 'pre', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'blockquote', 'img', 'mark' ) as $element ) {
			$this->assertArrayHasKey( $element, $allowed, $element );
		}
		foreach ( array( 'script', 'style', 'iframe', 'form', 'input', 'button', 'textarea', 'select', 'option', 'fieldset', 'legend' ) as $element ) {
			$this->assertArrayNotHasKey( $element, $allowed, $element );
		}
		foreach ( $allowed as $element => $attributes ) {
			$this->assertArrayNotHasKey( 'style', $attributes, $element );
			foreach ( array_keys( $attributes ) as $name ) {
				$this->assertStringStartsNotWith( 'on', (string) $name, "{$element} {$name}" );
			}
		}
		$this->assertArrayHasKey( 'id', $allowed['h2'] );
		$this->assertArrayHasKey( 'href', $allowed['a'] );
	}

	/**
	 * Chapters are the top-level `h2`s: ids kept, or given when missing, duplicated or
	 * not usable; titles as plain text; an `h2` inside a quote or a table is not a chapter;
	 * an unclosed paragraph ends where a heading starts.
	 */
	public function test_prepare_finds_the_chapters(): void {
		$prepared = Handbook_Html::prepare(
			'<p>Intro<h2 id="one">One <em>&amp;</em> only</h2><p>a</p>'
			. '<blockquote><h2 id="quoted">Quoted</h2></blockquote>'
			. '<h2>No id</h2><h2 id="one">Twice</h2><h2 id="two words">Spaces</h2>'
			. "<h2 class='x' id='single'>Single quotes</h2>"
			. '<table><tr><td><h2 id="cell">Cell</h2></td></tr></table><H2 ID="upper">Upper</H2>'
		);

		$this->assertSame(
			array(
				array(
					'id'    => 'one',
					'title' => 'One & only',
				),
				array(
					'id'    => 'handbook-section-2',
					'title' => 'No id',
				),
				array(
					'id'    => 'handbook-section-3',
					'title' => 'Twice',
				),
				array(
					'id'    => 'handbook-section-4',
					'title' => 'Spaces',
				),
				array(
					'id'    => 'single',
					'title' => 'Single quotes',
				),
				array(
					'id'    => 'upper',
					'title' => 'Upper',
				),
			),
			$prepared['sections']
		);
		$this->assertStringContainsString( '<h2 id="handbook-section-2">No id</h2>', $prepared['html'] );
		$this->assertStringContainsString( '<h2 id="handbook-section-4">Spaces</h2>', $prepared['html'] );
		$this->assertStringContainsString( '<h2 id="quoted">Quoted</h2>', $prepared['html'], 'Not a chapter: left alone.' );
		$this->assertSame( $prepared['html'], Handbook_Html::prepare( $prepared['html'] )['html'], 'Preparing twice changes nothing.' );
	}

	/**
	 * Balancing: stray closing tags go, inner elements are closed before outer ones,
	 * paragraphs and list items end where browsers end them, the rest is closed at the end.
	 */
	public function test_balance(): void {
		$cases = array(
			'<p>a</p>'                                  => '<p>a</p>',
			'</div><p>a</span></p>'                     => '<p>a</p>',
			'<blockquote><p>a</blockquote>'             => '<blockquote><p>a</p></blockquote>',
			'<p>a<h2>b</h2>'                            => '<p>a</p><h2>b</h2>',
			'<ul><li>a<li>b</ul>'                       => '<ul><li>a</li><li>b</li></ul>',
			'<p>a<br>b<img src="x"/><em>c'              => '<p>a<br>b<img src="x"/><em>c</em></p>',
			'<table><tr><td>x</td></tr></table><H3>y'   => '<table><tr><td>x</td></tr></table><H3>y</h3>',
		);
		foreach ( $cases as $html => $balanced ) {
			$this->assertSame( $balanced, Handbook_Html::balance( $html ), $html );
		}
	}

	/**
	 * The parts: the introduction (id '') and one per chapter; together, the whole body.
	 */
	public function test_split(): void {
		$html  = '<p>Intro</p><h2 id="a">A</h2><p>a</p><blockquote><h2>inner</h2></blockquote><h2 id="b">B</h2><p>b</p>';
		$parts = Handbook_Html::split( $html );
		$this->assertSame( array( '', 'a', 'b' ), array_column( $parts, 'id' ) );
		$this->assertSame( '<h2 id="b">B</h2><p>b</p>', $parts[2]['html'] );
		$this->assertSame( $html, implode( '', array_column( $parts, 'html' ) ) );
		$this->assertSame( array( 'a' ), array_column( Handbook_Html::split( ' <h2 id="a">A</h2>' ), 'id' ), 'No empty introduction.' );
		$this->assertSame( array( '' ), array_column( Handbook_Html::split( '<p>No chapters</p>' ), 'id' ) );
	}

	/**
	 * Search is case-insensitive in every script, on the text only.
	 */
	public function test_contains(): void {
		$this->assertTrue( Handbook_Html::contains( '<p>Đăng NHẬP</p>', 'đăng nhập' ) );
		$this->assertTrue( Handbook_Html::contains( '<p>编辑页面</p>', '页面' ) );
		$this->assertTrue( Handbook_Html::contains( '<p>Pages &amp; posts</p>', 's & p' ) );
		$this->assertFalse( Handbook_Html::contains( '<a href="https://example.test/secret">x</a>', 'secret' ), 'Attributes are not text.' );
		$this->assertTrue( Handbook_Html::contains( '<p>x</p>', '' ) );
	}

	/**
	 * Marks go around the matches in the text, never inside a tag; the text is escaped.
	 */
	public function test_highlight(): void {
		$html = '<p class="media">Media &amp; MEDIA <a href="/media">media</a> &lt;b&gt;</p>';
		$this->assertSame(
			'<p class="media"><mark class="m">Media</mark> &amp; <mark class="m">MEDIA</mark> <a href="/media"><mark class="m">media</mark></a> &lt;b&gt;</p>',
			Handbook_Html::highlight( $html, 'media', 'm' )
		);
		$this->assertSame( '<p>a &amp; <mark class="m">&lt;b&gt;</mark></p>', Handbook_Html::highlight( '<p>a &amp; &lt;b&gt;</p>', '<b>', 'm' ) );
		$this->assertSame( $html, Handbook_Html::highlight( $html, '', 'm' ) );
		$this->assertSame( '<p>Trang <mark class="m">quản trị</mark></p>', Handbook_Html::highlight( '<p>Trang quản trị</p>', 'QUẢN TRỊ', 'm' ) );
	}
}
