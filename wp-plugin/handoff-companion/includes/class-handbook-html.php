<?php
/**
 * The Site Handbook's HTML: what it may contain, its chapters, search within it.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

defined( 'ABSPATH' ) || exit;

/**
 * The handbook's body is HTML written by the backend: an `h2` (with an `id`) per chapter,
 * then `h3`…, paragraphs, lists, emphasis, links, code, tables and quotes.
 *
 * It is filtered with WordPress's rules for post content (wp_kses_post's list) minus
 * everything a manual never needs and a forged page could abuse: scripts, styles (the
 * element and the attribute), frames, embeds, forms and their controls, and every `on…`
 * event attribute — whatever other plugins add to that list. A link or image whose
 * address uses a protocol WordPress refuses (`javascript:`, `data:`) loses the address.
 * The chapters are the `h2` elements at the top level of the body (not inside a quote or
 * a table).
 */
final class Handbook_Html {

	/**
	 * Elements removed from the post rules (their tags go; DROPPED_WITH_CONTENT says
	 * which lose their content too).
	 */
	private const REMOVED_ELEMENTS = array( 'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'link', 'meta', 'form', 'input', 'button', 'select', 'option', 'optgroup', 'textarea', 'fieldset', 'legend', 'datalist', 'output', 'noscript', 'template', 'svg', 'math' );

	/**
	 * Removed elements whose content goes too (text that is not part of the manual).
	 */
	private const DROPPED_WITH_CONTENT = array( 'script', 'style', 'iframe', 'noscript', 'template', 'svg', 'math', 'object', 'applet', 'textarea', 'select', 'button', 'datalist', 'title' );

	/**
	 * Elements that never have content (no closing tag), for balancing and finding the
	 * chapters.
	 */
	private const VOID_ELEMENTS = array( 'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr' );

	/**
	 * Elements whose start ends an open paragraph, as browsers read HTML (`<p>a<h2>` is a
	 * paragraph, then a heading).
	 */
	private const CLOSES_PARAGRAPH = array( 'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'figcaption', 'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'ul' );

	/**
	 * Prefix of the ids given to chapters that have none.
	 */
	public const GENERATED_ID_PREFIX = 'handbook-section-';

	/**
	 * The allowed elements and attributes: wp_kses_post's, minus REMOVED_ELEMENTS, the
	 * `style` attribute and every `on…` attribute.
	 *
	 * @return array<string, array<string, bool|array<string, mixed>>>
	 */
	public static function allowed_html(): array {
		$allowed = array();
		foreach ( (array) wp_kses_allowed_html( 'post' ) as $element => $attributes ) {
			$element = strtolower( (string) $element );
			if ( in_array( $element, self::REMOVED_ELEMENTS, true ) ) {
				continue;
			}
			$kept = array();
			foreach ( is_array( $attributes ) ? $attributes : array() as $name => $rule ) {
				$name = strtolower( (string) $name );
				if ( 'style' === $name || 0 === strpos( $name, 'on' ) || 'formaction' === $name ) {
					continue;
				}
				$kept[ $name ] = $rule;
			}
			$allowed[ $element ] = $kept;
		}
		return $allowed;
	}

	/**
	 * HTML filtered with allowed_html(). The elements whose content is code or controls
	 * (DROPPED_WITH_CONTENT) go with their content, so no stray script text is left.
	 *
	 * @param string $html HTML from anywhere.
	 */
	public static function kses( string $html ): string {
		// On a regular expression failure (a backtrack limit) the text goes on as it is: kses still removes the tags.
		$elements = implode( '|', self::DROPPED_WITH_CONTENT );
		$html     = preg_replace( '#<(' . $elements . ')\b[^>]*>.*?</\1\s*>#is', '', $html ) ?? $html;
		$html     = preg_replace_callback( '/<[a-zA-Z][^>]*>/', array( self::class, 'without_bad_urls' ), $html ) ?? $html;
		return wp_kses( $html, self::allowed_html() );
	}

	/**
	 * An opening tag without the URL attributes whose protocol WordPress refuses
	 * (`javascript:`, `data:`…): kses would only cut the protocol off and leave a broken
	 * link (`href="alert(1)"`); here the attribute goes, and the link text stays.
	 *
	 * @param array<int, string> $tag The tag (preg_replace_callback match).
	 */
	private static function without_bad_urls( array $tag ): string {
		return (string) preg_replace_callback(
			'/\s(?:href|src|cite|action|formaction|poster|background|longdesc|usemap|xlink:href)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s>"\']+))/i',
			static function ( $attribute ) {
				$value = ( $attribute[1] ?? '' ) . ( $attribute[2] ?? '' ) . ( $attribute[3] ?? '' );
				return wp_kses_bad_protocol( $value, wp_allowed_protocols() ) === $value ? $attribute[0] : '';
			},
			$tag[0]
		);
	}

	/**
	 * The body as it is stored: filtered, tags balanced, every chapter heading given an id
	 * (a unique one: a heading without an id, or with one already used, or one containing
	 * white space, gets `handbook-section-N`), and the chapters for the contents.
	 *
	 * @param string $html The body as the backend sent it.
	 * @return array{html: string, sections: array<int, array{id: string, title: string}>}
	 */
	public static function prepare( string $html ): array {
		$html     = self::balance( self::kses( $html ) );
		$sections = array();
		$used     = array();
		$output   = '';
		$offset   = 0;
		foreach ( self::chapter_headings( $html ) as $heading ) {
			list( $start, $tag ) = $heading;
			$id                  = self::attribute( $tag, 'id' );
			if ( '' === $id || isset( $used[ $id ] ) || preg_match( '/\s/u', $id ) ) {
				$number = count( $sections ) + 1;
				do {
					$id = self::GENERATED_ID_PREFIX . $number++;
				} while ( isset( $used[ $id ] ) );
				$new_tag = self::with_id( $tag, $id );
			} else {
				$new_tag = $tag;
			}
			$used[ $id ] = true;
			$output     .= substr( $html, $offset, $start - $offset ) . $new_tag;
			$offset      = $start + strlen( $tag );
			$end         = stripos( $html, '</h2', $offset );
			$inner       = false === $end ? substr( $html, $offset ) : substr( $html, $offset, $end - $offset );
			$sections[]  = array(
				'id'    => $id,
				'title' => self::text( $inner ),
			);
		}
		$output .= substr( $html, $offset );
		return array(
			'html'     => $output,
			'sections' => $sections,
		);
	}

	/**
	 * HTML with its tags balanced, in one pass (WordPress's force_balance_tags() takes
	 * seconds on a body of a few megabytes): a closing tag without its opening tag goes;
	 * one that closes an outer element closes the inner ones first; a block element or a
	 * new list item ends an open paragraph or list item, as browsers read it; what is
	 * still open at the end is closed.
	 *
	 * @param string $html Filtered HTML.
	 */
	public static function balance( string $html ): string {
		if ( ! preg_match_all( '#<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>#', $html, $tags, PREG_SET_ORDER | PREG_OFFSET_CAPTURE ) ) {
			return $html;
		}
		$out  = '';
		$from = 0;
		$open = array();
		foreach ( $tags as $tag ) {
			$whole = $tag[0][0];
			$at    = (int) $tag[0][1];
			$name  = strtolower( $tag[2][0] );
			$out  .= substr( $html, $from, $at - $from );
			$from  = $at + strlen( $whole );
			if ( '/' === $tag[1][0] ) {
				$position = array_search( $name, array_reverse( $open, true ), true );
				if ( false !== $position ) {
					while ( count( $open ) > $position ) {
						$out .= '</' . array_pop( $open ) . '>';
					}
				}
				continue;
			}
			$last = end( $open );
			if ( ( 'p' === $last && in_array( $name, self::CLOSES_PARAGRAPH, true ) ) || ( 'li' === $last && 'li' === $name ) ) {
				$out .= '</' . array_pop( $open ) . '>';
			}
			$out .= $whole;
			if ( ! in_array( $name, self::VOID_ELEMENTS, true ) && '/>' !== substr( $whole, -2 ) ) {
				$open[] = $name;
			}
		}
		$out .= substr( $html, $from );
		while ( $open ) {
			$out .= '</' . array_pop( $open ) . '>';
		}
		return $out;
	}

	/**
	 * The body cut into its parts: what comes before the first chapter (id '') and one
	 * part per chapter, from its `h2` to the next.
	 *
	 * @param string $html A prepared body.
	 * @return array<int, array{id: string, html: string}>
	 */
	public static function split( string $html ): array {
		$parts = array();
		$from  = 0;
		$id    = '';
		foreach ( self::chapter_headings( $html ) as $heading ) {
			list( $start, $tag ) = $heading;
			if ( '' !== $id || '' !== trim( substr( $html, $from, $start - $from ) ) ) {
				$parts[] = array(
					'id'   => $id,
					'html' => substr( $html, $from, $start - $from ),
				);
			}
			$from = $start;
			$id   = self::attribute( $tag, 'id' );
		}
		$rest = substr( $html, $from );
		if ( '' !== $id || '' !== trim( $rest ) ) {
			$parts[] = array(
				'id'   => $id,
				'html' => $rest,
			);
		}
		return $parts;
	}

	/**
	 * Whether a part's text contains a word (case-insensitive, in any script).
	 *
	 * @param string $html   A part of the body.
	 * @param string $needle What the reader searches for.
	 */
	public static function contains( string $html, string $needle ): bool {
		return '' === $needle || false !== mb_stripos( self::text( $html ), $needle, 0, 'UTF-8' );
	}

	/**
	 * A filtered part with every occurrence of a word marked (`<mark class="…">`), in the
	 * text only (never inside a tag). The text around it is escaped again.
	 *
	 * @param string $html       A part of the body, filtered.
	 * @param string $needle     The word.
	 * @param string $mark_class Class of the marks.
	 */
	public static function highlight( string $html, string $needle, string $mark_class ): string {
		if ( '' === $needle ) {
			return $html;
		}
		$pieces = preg_split( '/(<[^>]*>)/', $html, -1, PREG_SPLIT_DELIM_CAPTURE );
		if ( ! is_array( $pieces ) ) {
			return $html;
		}
		$length = mb_strlen( $needle, 'UTF-8' );
		$out    = '';
		foreach ( $pieces as $index => $piece ) {
			if ( 1 === $index % 2 || false === mb_stripos( html_entity_decode( $piece, ENT_QUOTES | ENT_HTML5, 'UTF-8' ), $needle, 0, 'UTF-8' ) ) {
				$out .= $piece;
				continue;
			}
			$text = html_entity_decode( $piece, ENT_QUOTES | ENT_HTML5, 'UTF-8' );
			$from = 0;
			while ( false !== ( $at = mb_stripos( $text, $needle, $from, 'UTF-8' ) ) ) { // phpcs:ignore Generic.CodeAnalysis.AssignmentInCondition -- a search loop.
				$out .= esc_html( mb_substr( $text, $from, $at - $from, 'UTF-8' ) )
					. '<mark class="' . esc_attr( $mark_class ) . '">' . esc_html( mb_substr( $text, $at, $length, 'UTF-8' ) ) . '</mark>';
				$from = $at + $length;
			}
			$out .= esc_html( mb_substr( $text, $from, null, 'UTF-8' ) );
		}
		return $out;
	}

	/**
	 * The text of some HTML: tags removed, entities decoded, white space collapsed.
	 *
	 * @param string $html HTML.
	 */
	public static function text( string $html ): string {
		$text = html_entity_decode( wp_strip_all_tags( str_replace( '<', ' <', $html ) ), ENT_QUOTES | ENT_HTML5, 'UTF-8' );
		return trim( (string) preg_replace( '/\s+/u', ' ', $text ) );
	}

	/**
	 * The chapter headings: `<h2 …>` opening tags at the top level of the body (not inside
	 * another element), with their byte offsets.
	 *
	 * @param string $html Filtered, balanced HTML.
	 * @return array<int, array{0: int, 1: string}>
	 */
	private static function chapter_headings( string $html ): array {
		if ( ! preg_match_all( '#<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>#', $html, $tags, PREG_SET_ORDER | PREG_OFFSET_CAPTURE ) ) {
			return array();
		}
		$headings = array();
		$open     = array();
		foreach ( $tags as $tag ) {
			$whole   = $tag[0][0];
			$closing = '/' === $tag[1][0];
			$name    = strtolower( $tag[2][0] );
			if ( $closing ) {
				$position = array_search( $name, array_reverse( $open, true ), true );
				if ( false !== $position ) {
					$open = array_slice( $open, 0, (int) $position );
				}
				continue;
			}
			if ( in_array( $name, self::CLOSES_PARAGRAPH, true ) && 'p' === end( $open ) ) {
				array_pop( $open );
			}
			if ( 'h2' === $name && ! $open ) {
				$headings[] = array( (int) $tag[0][1], $whole );
			}
			if ( ! in_array( $name, self::VOID_ELEMENTS, true ) && '/>' !== substr( $whole, -2 ) ) {
				$open[] = $name;
			}
		}
		return $headings;
	}

	/**
	 * The value of an attribute in a (filtered) opening tag, entities decoded; '' when absent.
	 *
	 * @param string $tag  An opening tag.
	 * @param string $name The attribute's name.
	 */
	private static function attribute( string $tag, string $name ): string {
		if ( ! preg_match( '/\s' . preg_quote( $name, '/' ) . '\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s>"\']+))/i', $tag, $match ) ) {
			return '';
		}
		$value = $match[1] . ( $match[2] ?? '' ) . ( $match[3] ?? '' );
		return html_entity_decode( $value, ENT_QUOTES | ENT_HTML5, 'UTF-8' );
	}

	/**
	 * An opening `h2` tag with its id replaced (or added).
	 *
	 * @param string $tag An opening tag.
	 * @param string $id  The id.
	 */
	private static function with_id( string $tag, string $id ): string {
		$tag = (string) preg_replace( '/\sid\s*=\s*(?:"[^"]*"|\'[^\']*\'|[^\s>"\']+)/i', '', $tag );
		return (string) preg_replace( '/^<h2\b/i', '<h2 id="' . esc_attr( $id ) . '"', $tag );
	}
}
