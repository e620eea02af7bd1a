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

	/**
	 * The searched word is taken literally (no pattern), every match in a run of text is
	 * marked, case is ignored in other scripts too, and text that is not valid UTF-8 is
	 * left as it is.
	 */
	public function test_highlight_takes_the_word_literally(): void {
		$cases = array(
			array( '<p>a.b axb A.B</p>', 'a.b', '<p><mark class="m">a.b</mark> axb <mark class="m">A.B</mark></p>' ),
			array( '<p>(x)/[y] $1</p>', '(x)/[y] $1', '<p><mark class="m">(x)/[y] $1</mark></p>' ),
			array( '<p>xxx</p>', 'x', '<p><mark class="m">x</mark><mark class="m">x</mark><mark class="m">x</mark></p>' ),
			array( '<p>ΣΟΦΙΑ σοφία</p>', 'σοφ', '<p><mark class="m">ΣΟΦ</mark>ΙΑ <mark class="m">σοφ</mark>ία</p>' ),
			array( '<p>Привет ПРИВЕТ</p>', 'привет', '<p><mark class="m">Привет</mark> <mark class="m">ПРИВЕТ</mark></p>' ),
			array( "<p>x \xff x</p>", 'x', "<p>x \xff x</p>" ),
		);
		foreach ( $cases as list( $html, $needle, $marked ) ) {
			$this->assertSame( $marked, Handbook_Html::highlight( $html, $needle, 'm' ), $needle );
		}
	}

	/**
	 * A raster image encoded in the page (PNG, JPEG, GIF, WebP as a `data:` URL).
	 *
	 * @param string $type The image type.
	 */
	private static function data_image( string $type ): string {
		return 'data:image/' . $type . ';base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
	}

	/**
	 * Images come only from `data:` URLs of raster types: an image from anywhere else
	 * (another site, a protocol-relative or relative address, SVG or HTML as data, an
	 * address obfuscated with entities) would tell whoever serves it that the client opened
	 * the handbook, so the whole image goes. Audio and video go for the same reason.
	 */
	public function test_images_only_from_raster_data_urls(): void {
		foreach ( array( 'png', 'jpeg', 'gif', 'webp', 'PNG' ) as $type ) {
			$image = '<img src="' . self::data_image( $type ) . '" alt="Logo" width="10">';
			$this->assertSame( '<p>' . $image . '</p>', Handbook_Html::kses( '<p>' . $image . '</p>' ), $type );
		}
		$dropped = array(
			'remote'            => '<img src="https://tracker.example/pixel.gif?client=1" alt="x">',
			'remote, unquoted'  => '<img src=https://tracker.example/p.gif>',
			'protocol-relative' => '<img src="//tracker.example/p.gif">',
			'relative'          => '<img src="/wp-content/uploads/logo.png">',
			'no address'        => '<img alt="nothing">',
			'svg as data'       => '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
			'html as data'      => '<img src="data:text/html;base64,PHNjcmlwdD4=">',
			'not base64'        => '<img src="data:image/png,hello">',
			'entity in scheme'  => '<img src="data&#58;image/png;base64,AAAA">',
			'space before'      => '<img src=" data:image/png;base64,AAAA">',
			'remote second'     => '<img alt="a" src="https://tracker.example/p.gif" src="' . self::data_image( 'png' ) . '">',
			'javascript'        => '<img src="javascript:alert(1)">',
			'video'             => '<video src="https://tracker.example/v.mp4" poster="https://tracker.example/p.jpg" preload="auto"></video>',
			'audio'             => '<audio src="https://tracker.example/a.mp3" preload="auto"></audio>',
			'track'             => '<video><track src="https://tracker.example/t.vtt"></video>',
		);
		foreach ( $dropped as $what => $html ) {
			$this->assertSame( '<p>text</p>', Handbook_Html::kses( '<p>text</p>' . $html ), $what );
		}
		$this->assertSame(
			'<a>link</a> <blockquote>q</blockquote>',
			Handbook_Html::kses( '<a href="' . self::data_image( 'png' ) . '">link</a> <blockquote cite="' . self::data_image( 'png' ) . '">q</blockquote>' ),
			'A data: URL is an image source only, never a link or a citation.'
		);
		$prepared = Handbook_Html::prepare( '<h2 id="a">A</h2><p><img src="' . self::data_image( 'webp' ) . '" alt="Logo"><img src="https://tracker.example/p.gif"></p>' );
		$this->assertSame( '<h2 id="a">A</h2><p><img src="' . self::data_image( 'webp' ) . '" alt="Logo"></p>', $prepared['html'] );
	}

	/**
	 * No `class` attribute survives, on any element (a handbook could otherwise dress up as
	 * a WordPress notice or button); `style` and event attributes stay gone.
	 */
	public function test_class_attributes_are_dropped(): void {
		foreach ( Handbook_Html::allowed_html() as $element => $attributes ) {
			$this->assertArrayNotHasKey( 'class', $attributes, $element );
		}
		$this->assertSame(
			'<div><p>Your licence expired.</p></div><h2 id="a">A</h2><p><a href="https://example.test/">Renew</a></p><table><tr><td>x</td></tr></table>',
			Handbook_Html::kses(
				'<div class="notice notice-error is-dismissible"><p class="x">Your licence expired.</p></div>'
				. '<h2 class="wp-heading-inline" id="a">A</h2><p CLASS=\'a\'><a class="button button-primary" href="https://example.test/" onclick="x()" style="color:red">Renew</a></p>'
				. '<table class="widefat"><tr><td class=x>x</td></tr></table>'
			)
		);
	}

	/**
	 * The deepest nesting of the prepared body: what is open at once, once paragraphs and
	 * list items are ended where browsers end them and void elements are left out.
	 */
	public function test_prepare_reports_the_depth(): void {
		$cases = array(
			'<p>a</p><p>b</p>'                          => 1,
			'<p>a<p>b<p>c'                              => 1,
			'<ul><li>a<li>b<li><em>c</em></ul>'         => 3,
			'<div><div><div>x</div></div></div>'        => 3,
			'<p>a<br>b<img src="x"><hr>'                => 1,
			str_repeat( '<em>', 300 ) . 'x'             => 300,
			str_repeat( '<div>x</div>', 1000 )          => 1,
			str_repeat( '<span>', 5 ) . '</b></i></s>'  => 5,
		);
		foreach ( $cases as $html => $depth ) {
			$this->assertSame( $depth, Handbook_Html::prepare( $html )['depth'], substr( $html, 0, 60 ) );
		}
	}

	/**
	 * Scripts, styles and the other code elements go with their content, up to the first
	 * closing tag of their name; one never closed loses only its tag (kses).
	 */
	public function test_code_elements_go_with_their_content(): void {
		$cases = array(
			'<p>a<script>x()</script>b<SCRIPT type="t">y()</script >c<style>p{}</style></p>' => '<p>abc</p>',
			'<p>a<script>x()</script>b</script>c</p>'           => '<p>abc</p>',
			'<p>a<title>t<script>s</script></title>b</p>'       => '<p>ab</p>',
			'<p>a<script a="</script>">x</script>b</p>'         => '<p>ab</p>',
			'<p>a<textarea>t</p>'                               => '<p>at</p>',
			'<p>a<svg><circle/></svg>b<template><p>t</p></template>c</p>' => '<p>abc</p>',
		);
		foreach ( $cases as $html => $filtered ) {
			$this->assertSame( $filtered, Handbook_Html::kses( $html ), $html );
		}
	}

	/**
	 * Preparing a body of 100,000 small tags (800 KB) and cutting it into parts take a few
	 * megabytes, not one array entry per tag (which took about 190 MB, more than many
	 * hosts allow a request).
	 */
	public function test_memory_does_not_grow_with_the_number_of_tags(): void {
		foreach ( array( '<b>x</b>', '<script>' ) as $tag ) {
			$html = str_repeat( $tag, 100000 );
			memory_reset_peak_usage();
			$before = memory_get_usage();
			Handbook_Html::split( Handbook_Html::prepare( $html )['html'] );
			$this->assertLessThan( 32 * MB_IN_BYTES, memory_get_peak_usage() - $before, $tag );
		}
	}
}
