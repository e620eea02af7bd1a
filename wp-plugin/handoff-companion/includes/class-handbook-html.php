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
 * element and the attribute), frames, embeds, forms and their controls, audio and video,
 * every `on…` event attribute and every `class` (which would let the handbook dress up as a
 * WordPress notice or button) — whatever other plugins add to that list. Nothing in it may
 * load from another address when the screen is shown (that would tell whoever serves it
 * when the client reads the handbook): an image stays only when its source is a `data:`
 * URL of a raster type (PNG, JPEG, GIF, WebP), as the backend embeds them, and goes whole
 * otherwise. A link or citation whose address uses a protocol WordPress refuses, or
 * `data:`, loses the address. The chapters are the `h2` elements at the top level of the
 * body (not inside a quote or a table).
 *
 * Every pass is linear in the size of the body, however deeply it nests: a stored body is
 * cut and filtered again on every view of the screen.
 */
final class Handbook_Html {

	/**
	 * Elements removed from the post rules (their tags go; DROPPED_WITH_CONTENT says
	 * which lose their content too).
	 */
	private const REMOVED_ELEMENTS = array( 'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'link', 'meta', 'form', 'input', 'button', 'select', 'option', 'optgroup', 'textarea', 'fieldset', 'legend', 'datalist', 'output', 'noscript', 'template', 'svg', 'math', 'audio', 'video', 'track', 'source', 'picture' );

	/**
	 * Attributes removed from every element: looks (`class`, `style`) and those that load
	 * something from an address when the page is shown or a link is followed (`src` is kept
	 * on `img` only, where its address is checked).
	 */
	private const REMOVED_ATTRIBUTES = array( 'class', 'style', 'formaction', 'srcset', 'imagesrcset', 'poster', 'background', 'lowsrc', 'dynsrc', 'ping', 'data' );

	/**
	 * The only image sources kept: raster images embedded as base64 `data:` URLs.
	 */
	private const RASTER_DATA_URL = '#^data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]*={0,2}$#iD';

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
	 * Most elements a published body may keep open at once (Handbook_Api refuses more): a
	 * manual nests a few levels; thousands only make browsers and readers struggle.
	 */
	public const MAX_DEPTH = 256;

	/**
	 * The allowed elements and attributes: wp_kses_post's, minus REMOVED_ELEMENTS,
	 * REMOVED_ATTRIBUTES, `src` except on `img`, and every `on…` attribute.
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
				if ( in_array( $name, self::REMOVED_ATTRIBUTES, true ) || 0 === strpos( $name, 'on' ) || ( 'src' === $name && 'img' !== $element ) ) {
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
	 * (DROPPED_WITH_CONTENT) go with their content, so no stray script text is left; images
	 * and addresses are checked last, on what kses let through (see with_checked_addresses()).
	 *
	 * @param string $html HTML from anywhere.
	 */
	public static function kses( string $html ): string {
		$html = self::without_code( $html );
		$html = preg_replace_callback( '/<[a-zA-Z][^>]*>/', array( self::class, 'without_bad_urls' ), $html ) ?? $html;
		// kses may keep `data:` so that an embedded image survives; with_checked_addresses() then keeps it on `img` `src` only.
		$html = wp_kses( $html, self::allowed_html(), array_merge( self::link_protocols(), array( 'data' ) ) );
		// Only images and tags with a colon (written or as an entity) can hold an address with a protocol.
		return preg_replace_callback( '/<(img\b|[a-zA-Z][a-zA-Z0-9-]*+(?=[^>]*[:&]))([^>]*)>/i', array( self::class, 'with_checked_addresses' ), $html ) ?? '';
	}

	/**
	 * HTML without the DROPPED_WITH_CONTENT elements: each opening tag with everything up
	 * to the first closing tag of its name after it. An opening tag never closed stays (kses
	 * removes the tag). Linear: a search that finds a closing tag scans only what is then
	 * removed, and a name found never closed is not searched for again; a lazy
	 * `<script>.*?</script>` expression would rescan the rest of the body from every
	 * unclosed opening tag.
	 *
	 * @param string $html HTML from anywhere.
	 */
	private static function without_code( string $html ): string {
		$opening = '#<(' . implode( '|', self::DROPPED_WITH_CONTENT ) . ')\b[^>]*>#i';
		$out     = '';
		$from    = 0;
		$offset  = 0;
		$never   = array();
		while ( preg_match( $opening, $html, $tag, PREG_OFFSET_CAPTURE, $offset ) ) {
			$start  = $tag[0][1];
			$offset = $start + strlen( $tag[0][0] );
			$name   = strtolower( $tag[1][0] );
			if ( isset( $never[ $name ] ) ) {
				continue;
			}
			if ( ! preg_match( '#</' . $name . '\s*>#i', $html, $closing, PREG_OFFSET_CAPTURE, $offset ) ) {
				$never[ $name ] = true;
				continue;
			}
			$out   .= substr( $html, $from, $start - $from );
			$from   = $closing[0][1] + strlen( $closing[0][0] );
			$offset = $from;
		}
		return $out . substr( $html, $from );
	}

	/**
	 * The protocols a link may use: WordPress's, never `data:` or a script's (even when a
	 * plugin adds them).
	 *
	 * @return array<int, string>
	 */
	private static function link_protocols(): array {
		return array_values( array_diff( array_map( 'strtolower', wp_allowed_protocols() ), array( 'data', 'javascript', 'vbscript' ) ) );
	}

	/**
	 * Whether an address uses a protocol a link may not (link_protocols()).
	 *
	 * @param string $address An attribute's value.
	 */
	private static function refused_address( string $address ): bool {
		return wp_kses_bad_protocol( $address, self::link_protocols() ) !== $address;
	}

	/**
	 * An opening tag without the URL attributes whose protocol a link may not use
	 * (`javascript:`, `data:`…): kses would only cut the protocol off and leave a broken
	 * link (`href="alert(1)"`); here the attribute goes, and the link text stays. An
	 * image's embedded raster source is left for with_checked_addresses() to judge.
	 *
	 * @param array<int, string> $tag The tag (preg_replace_callback match).
	 */
	private static function without_bad_urls( array $tag ): string {
		$is_image = 0 === strncasecmp( $tag[0], '<img', 4 ) && ! ctype_alnum( substr( $tag[0], 4, 1 ) );
		return (string) preg_replace_callback(
			'/\s(href|src|cite|action|formaction|poster|background|longdesc|usemap|xlink:href)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s>"\']+))/i',
			static function ( $attribute ) use ( $is_image ) {
				$value = ( $attribute[2] ?? '' ) . ( $attribute[3] ?? '' ) . ( $attribute[4] ?? '' );
				if ( $is_image && 'src' === strtolower( $attribute[1] ) && preg_match( self::RASTER_DATA_URL, $value ) ) {
					return $attribute[0];
				}
				return self::refused_address( $value ) ? '' : $attribute[0];
			},
			$tag[0]
		);
	}

	/**
	 * An opening tag as kses wrote it, its addresses checked: an `img` whose `src` is not
	 * an embedded raster image (RASTER_DATA_URL) goes whole — a remote image would report
	 * the client's views to its server — and any other address attribute that uses a
	 * protocol a link may not (kses let `data:` through for the images) goes. kses's output
	 * is regular (tags end at the first `>`; attributes as it parsed them), so its own parser
	 * reads them again here.
	 *
	 * @param array<int, string> $tag The tag, its name and its attributes (preg_replace_callback match).
	 */
	private static function with_checked_addresses( array $tag ): string {
		$is_image = 'img' === strtolower( $tag[1] );
		$uris     = wp_kses_uri_attributes();
		$kept     = '';
		$changed  = false;
		$source   = '';
		foreach ( wp_kses_hair( $tag[2], array_merge( self::link_protocols(), array( 'data' ) ) ) as $name => $attribute ) {
			$name = strtolower( (string) $name );
			if ( $is_image && 'src' === $name ) {
				$source = (string) $attribute['value'];
			} elseif ( in_array( $name, $uris, true ) && self::refused_address( (string) $attribute['value'] ) ) {
				$changed = true;
				continue;
			}
			$kept .= ' ' . $attribute['whole'];
		}
		if ( $is_image && ! preg_match( self::RASTER_DATA_URL, $source ) ) {
			return '';
		}
		if ( ! $changed ) {
			return $tag[0];
		}
		return '<' . $tag[1] . $kept . ( '/' === substr( rtrim( $tag[2] ), -1 ) ? ' />' : '>' );
	}

	/**
	 * The body as it is stored: filtered, tags balanced, every chapter heading given an id
	 * (a unique one: a heading without an id, or with one already used, or one containing
	 * white space, gets `handbook-section-N`), the chapters for the contents, and its depth
	 * (the most elements open at once, for the MAX_DEPTH check).
	 *
	 * @param string $html The body as the backend sent it.
	 * @return array{html: string, sections: array<int, array{id: string, title: string}>, depth: int}
	 */
	public static function prepare( string $html ): array {
		list( $html, $depth ) = self::balanced( self::kses( $html ) );
		$sections             = array();
		$used                 = array();
		$output               = '';
		$offset               = 0;
		$next                 = 1;
		foreach ( self::chapter_headings( $html ) as $heading ) {
			list( $start, $tag ) = $heading;
			$id                  = self::attribute( $tag, 'id' );
			if ( '' === $id || isset( $used[ $id ] ) || preg_match( '/\s/u', $id ) ) {
				// N is the chapter's position, or past the last number tried when ids took it: no number is tried twice.
				$number = max( count( $sections ) + 1, $next );
				do {
					$id = self::GENERATED_ID_PREFIX . $number++;
				} while ( isset( $used[ $id ] ) );
				$next    = $number;
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
			'depth'    => $depth,
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
		return self::balanced( $html )[0];
	}

	/**
	 * The balanced HTML (see balance()) and the most elements it keeps open at once. Time is
	 * linear: how many of each element are open is counted (close()), so a closing tag never
	 * searches the open elements, and each element is closed once.
	 *
	 * @param string $html Filtered HTML.
	 * @return array{0: string, 1: int}
	 */
	private static function balanced( string $html ): array {
		$out    = '';
		$from   = 0;
		$open   = array();
		$counts = array();
		$depth  = 0;
		foreach ( self::tags( $html ) as list( $at, $whole, $closing, $name ) ) {
			$out .= substr( $html, $from, $at - $from );
			$from = $at + strlen( $whole );
			if ( $closing ) {
				foreach ( self::close( $open, $counts, $name ) as $closed ) {
					$out .= '</' . $closed . '>';
				}
				continue;
			}
			$last = end( $open );
			if ( ( 'p' === $last && in_array( $name, self::CLOSES_PARAGRAPH, true ) ) || ( 'li' === $last && 'li' === $name ) ) {
				$out .= '</' . self::pop( $open, $counts ) . '>';
			}
			$out .= $whole;
			if ( ! in_array( $name, self::VOID_ELEMENTS, true ) && '/>' !== substr( $whole, -2 ) ) {
				$open[]          = $name;
				$counts[ $name ] = ( $counts[ $name ] ?? 0 ) + 1;
				$depth           = max( $depth, count( $open ) );
			}
		}
		$out .= substr( $html, $from );
		while ( $open ) {
			$out .= '</' . self::pop( $open, $counts ) . '>';
		}
		return array( $out, $depth );
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
	 * text only (never inside a tag). The text around it is escaped again. Each run of text
	 * is cut at the matches in one pass (case-insensitive in any script): mb_stripos() from
	 * each match would case-fold the whole run again every time, quadratic in a long one.
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
		$word = '/(' . preg_quote( $needle, '/' ) . ')/iu';
		$mark = '<mark class="' . esc_attr( $mark_class ) . '">';
		$out  = '';
		foreach ( $pieces as $index => $piece ) {
			// A run that is not valid UTF-8 (the split fails) or has no match stays as it is.
			$cut = 1 === $index % 2 ? false : preg_split( $word, html_entity_decode( $piece, ENT_QUOTES | ENT_HTML5, 'UTF-8' ), -1, PREG_SPLIT_DELIM_CAPTURE );
			if ( ! is_array( $cut ) || 1 === count( $cut ) ) {
				$out .= $piece;
				continue;
			}
			foreach ( $cut as $at => $text ) {
				$out .= 1 === $at % 2 ? $mark . esc_html( $text ) . '</mark>' : esc_html( $text );
			}
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
	 * The tags of some HTML, one at a time: offset, the tag, whether it closes, the element
	 * (lowercase). One at a time, because a body of small tags has hundreds of thousands:
	 * all matches at once would take hundreds of megabytes.
	 *
	 * @param string $html HTML.
	 * @return \Generator<int, array{0: int, 1: string, 2: bool, 3: string}>
	 */
	private static function tags( string $html ): \Generator {
		$offset = 0;
		while ( preg_match( '#<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>#', $html, $tag, PREG_OFFSET_CAPTURE, $offset ) ) {
			$offset = $tag[0][1] + strlen( $tag[0][0] );
			yield array( $tag[0][1], $tag[0][0], '/' === $tag[1][0], strtolower( $tag[2][0] ) );
		}
	}

	/**
	 * Closes the innermost open element of a name and those inside it; nothing when none is
	 * open (a stray closing tag). Gives the names closed, innermost first. $counts (open
	 * elements by name) answers "is one open?" without searching $open.
	 *
	 * @param array<int, string>    $open   The open elements, outermost first.
	 * @param array<string, int>    $counts How many of each are open.
	 * @param string                $name   The closing tag's element.
	 * @return array<int, string>
	 */
	private static function close( array &$open, array &$counts, string $name ): array {
		$closed = array();
		if ( empty( $counts[ $name ] ) ) {
			return $closed;
		}
		do {
			$closed[] = self::pop( $open, $counts );
		} while ( end( $closed ) !== $name );
		return $closed;
	}

	/**
	 * Closes the innermost open element; gives its name.
	 *
	 * @param array<int, string> $open   The open elements, outermost first.
	 * @param array<string, int> $counts How many of each are open.
	 */
	private static function pop( array &$open, array &$counts ): string {
		$name = (string) array_pop( $open );
		--$counts[ $name ];
		return $name;
	}

	/**
	 * A chapter cut before each top-level heading of an element (`h3`): the text before the
	 * first one (its `h2` and introduction), then one piece per heading. Together, the whole.
	 *
	 * @param string $html    A part of split(), filtered.
	 * @param string $element The heading's element.
	 * @return array<int, string>
	 */
	public static function split_at( string $html, string $element ): array {
		$pieces = array();
		$from   = 0;
		foreach ( self::chapter_headings( $html, $element ) as $heading ) {
			$pieces[] = substr( $html, $from, $heading[0] - $from );
			$from     = $heading[0];
		}
		$pieces[] = substr( $html, $from );
		return $pieces;
	}

	/**
	 * The chapter headings: `<h2 …>` opening tags (or another heading's) at the top level of
	 * the body (not inside another element), with their byte offsets.
	 *
	 * @param string $html    Filtered, balanced HTML.
	 * @param string $element The heading's element.
	 * @return array<int, array{0: int, 1: string}>
	 */
	private static function chapter_headings( string $html, string $element = 'h2' ): array {
		$headings = array();
		$open     = array();
		$counts   = array();
		foreach ( self::tags( $html ) as list( $at, $whole, $closing, $name ) ) {
			if ( $closing ) {
				self::close( $open, $counts, $name );
				continue;
			}
			if ( in_array( $name, self::CLOSES_PARAGRAPH, true ) && 'p' === end( $open ) ) {
				self::pop( $open, $counts );
			}
			if ( $element === $name && ! $open ) {
				$headings[] = array( $at, $whole );
			}
			if ( ! in_array( $name, self::VOID_ELEMENTS, true ) && '/>' !== substr( $whole, -2 ) ) {
				$open[]          = $name;
				$counts[ $name ] = ( $counts[ $name ] ?? 0 ) + 1;
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
