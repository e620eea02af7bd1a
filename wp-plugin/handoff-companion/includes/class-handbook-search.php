<?php
/**
 * Searching the Site Handbook: sections, words, synonyms, ranking and marks.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

defined( 'ABSPATH' ) || exit;

/**
 * A query is words, not a phrase. Both the query and the handbook are folded (case and
 * accents: "thay doi" finds "thay đổi"), cut into words (Chinese and other scripts without
 * spaces into runs, matched by substring), stripped of the language's little words and, in
 * English, stemmed ("editing" and "edited" are "edit"). Each query word, or phrase the
 * language's synonym list knows ("add image", "thay đổi", "导航菜单"), becomes a concept that
 * any of its synonyms satisfies ("edit" ↔ "change" ↔ "update").
 *
 * The handbook is searched by section: a chapter's `h2` with the text up to its first `h3`,
 * and each top-level `h3` with its text. When some section has every concept, those
 * are shown; otherwise those having the most. Best first: a concept in the heading weighs
 * most, then in the chapter's title, then in the text (saturating, and less in long
 * sections); rarer concepts weigh more; a synonym weighs less than the word typed; the first
 * concept (most often the task: "upload", "sửa", "修改") weighs more, and more again where a
 * heading begins with it; a heading made only of what was asked gains a little.
 *
 * The words, stems and synonyms come from one file, data/handbook-search.json, read here
 * and handed, prepared and with the weights below, to assets/handbook-search.js, which does
 * the same in the browser (tests/e2e/test_handbook_search.py checks that both rank alike).
 */
final class Handbook_Search {

	/**
	 * The data file, relative to the plugin's folder.
	 */
	public const DATA_FILE = 'data/handbook-search.json';

	/**
	 * Longest phrase (in words) looked up in the synonym lists.
	 */
	private const MAX_PHRASE = 4;

	/**
	 * Longest dictionary entry in a script without spaces, in characters.
	 */
	private const MAX_RUN_ENTRY = 6;

	/**
	 * How much a synonym weighs against the word typed.
	 */
	private const SYNONYM_WEIGHT = 0.6;

	/**
	 * How much more the first concept of a query weighs (see ranked()).
	 */
	private const FIRST_WEIGHT = 1.5;

	/**
	 * What a heading made only of the query's words adds (see ranked()).
	 */
	private const PRECISION_WEIGHT = 4.0;

	/**
	 * A letter (or number) of a script written without spaces between words. Letters only:
	 * PCRE 10.40 and later read \p{Han} as "used with Han", which takes in "、" and "，".
	 */
	private const RUN_CHAR = '(?=[\p{L}\p{N}])[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]';

	/**
	 * Most words remembered per language (term()).
	 */
	private const MEMO_SIZE = 50000;

	/**
	 * Words worked out, by language: word as written → term ('' for a stopword).
	 *
	 * @var array<string, array<string, string>>
	 */
	private static array $memo = array();

	/**
	 * The prepared data, by language (see language()).
	 *
	 * @var array<string, array<string, mixed>>
	 */
	private static array $languages = array();

	/**
	 * A word: a run of a script without spaces, or letters, digits and marks of others.
	 */
	private static function word_pattern(): string {
		return '/(?:' . self::RUN_CHAR . ')+|(?:(?!' . self::RUN_CHAR . ')[\p{L}\p{N}\p{M}])+/u';
	}

	/**
	 * The language's data, prepared: stopwords folded, stemming rules, and every synonym as
	 * a form (folded, stemmed words joined by spaces, or a run of characters) with its group.
	 * Unknown languages read as English.
	 *
	 * @param string $language en, vi or zh.
	 * @return array{language: string, stopwords: array<string, bool>, stem: array<int, array{0: string, 1: string, 2: int}>, forms: array<string, int>, groups: array<int, array<int, string>>}
	 */
	public static function language( string $language ): array {
		if ( isset( self::$languages[ $language ] ) ) {
			return self::$languages[ $language ];
		}
		$all  = self::data();
		$code = isset( $all[ $language ] ) ? $language : 'en';
		$raw  = $all[ $code ] ?? array();
		$lang = array(
			'language'  => $code,
			'stopwords' => array(),
			'stem'      => array(),
			'forms'     => array(),
			'groups'    => array(),
		);
		foreach ( (array) ( $raw['stem'] ?? array() ) as $rule ) {
			$lang['stem'][] = array( (string) $rule[0], (string) $rule[1], (int) $rule[2] );
		}
		foreach ( (array) ( $raw['stopwords'] ?? array() ) as $word ) {
			$lang['stopwords'][ self::fold( (string) $word ) ] = true;
		}
		foreach ( (array) ( $raw['synonyms'] ?? array() ) as $group ) {
			$forms = array();
			foreach ( (array) $group as $term ) {
				$form = self::form( (string) $term, $lang );
				// The first group to name a form keeps it: a word means one thing to the search.
				if ( '' !== $form && ! isset( $lang['forms'][ $form ] ) ) {
					$lang['forms'][ $form ] = count( $lang['groups'] );
					$forms[]                = $form;
				}
			}
			$lang['groups'][] = $forms;
		}
		self::$languages[ $language ] = $lang;
		return $lang;
	}

	/**
	 * The data file, decoded: languages by code (empty when it cannot be read).
	 *
	 * @return array<string, array<string, mixed>>
	 */
	private static function data(): array {
		$json = file_get_contents( HANDOFF_COMPANION_DIR . '/' . self::DATA_FILE ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- a file of the plugin.
		$data = is_string( $json ) ? json_decode( $json, true ) : null;
		return is_array( $data ) && is_array( $data['languages'] ?? null ) ? $data['languages'] : array();
	}

	/**
	 * What the browser needs to search as the server does: the prepared language data.
	 *
	 * @param string $language The handbook's language.
	 * @return array<string, mixed>
	 */
	public static function script_data( string $language ): array {
		$lang = self::language( $language );
		return array(
			'stopwords' => array_map( 'strval', array_keys( $lang['stopwords'] ) ),
			'stem'      => $lang['stem'],
			'groups'    => $lang['groups'],
			'weights'   => array(
				'synonym'   => self::SYNONYM_WEIGHT,
				'first'     => self::FIRST_WEIGHT,
				'precision' => self::PRECISION_WEIGHT,
				'phrase'    => self::MAX_PHRASE,
				'run_entry' => self::MAX_RUN_ENTRY,
			),
		);
	}

	/**
	 * Text in lower case without accents or other combining marks ("Đổi" → "doi").
	 *
	 * @param string $text Text.
	 */
	public static function fold( string $text ): string {
		return (string) preg_replace( '/\p{M}+/u', '', remove_accents( mb_strtolower( $text, 'UTF-8' ) ) );
	}

	/**
	 * A folded word's stem, by the language's rules (each applies when the word is at least
	 * as long as the rule says).
	 *
	 * @param string               $word A folded word (not of a script without spaces).
	 * @param array<string, mixed> $lang Prepared language data.
	 */
	public static function stem( string $word, array $lang ): string {
		foreach ( $lang['stem'] as list( $pattern, $replacement, $min ) ) {
			if ( mb_strlen( $word, 'UTF-8' ) >= $min ) {
				$word = (string) preg_replace( '/' . $pattern . '/u', $replacement, $word );
			}
		}
		return $word;
	}

	/**
	 * The words of some text as the search compares them: folded, stopwords left out,
	 * stemmed; runs of a script without spaces whole. Each is [term, is_run].
	 *
	 * @param string               $text Text.
	 * @param array<string, mixed> $lang Prepared language data.
	 * @return array<int, array{0: string, 1: bool}>
	 */
	public static function terms( string $text, array $lang ): array {
		$terms = array();
		// Group 1 a run, group 2 another word: no second look at each word to tell which.
		if ( ! preg_match_all( '/((?:' . self::RUN_CHAR . ')+)|((?:(?!' . self::RUN_CHAR . ')[\p{L}\p{N}\p{M}])+)/u', $text, $words ) ) {
			return $terms;
		}
		foreach ( $words[1] as $index => $run ) {
			if ( '' !== $run ) {
				$terms[] = array( $run, true );
				continue;
			}
			$term = self::term( $words[2][ $index ], $lang );
			if ( '' !== $term ) {
				$terms[] = array( $term, false );
			}
		}
		return $terms;
	}

	/**
	 * A word (not a run) as the search compares it: folded and stemmed; '' for a
	 * stopword. A handbook repeats its words: each is worked out once per request.
	 *
	 * @param string               $word A word as written.
	 * @param array<string, mixed> $lang Prepared language data.
	 */
	private static function term( string $word, array $lang ): string {
		$memo = &self::$memo[ $lang['language'] ];
		if ( isset( $memo[ $word ] ) ) {
			return $memo[ $word ];
		}
		if ( ! is_array( $memo ) || count( $memo ) >= self::MEMO_SIZE ) {
			$memo = array();
		}
		$folded        = self::fold( $word );
		$memo[ $word ] = isset( $lang['stopwords'][ $folded ] ) ? '' : self::stem( $folded, $lang );
		return $memo[ $word ];
	}

	/**
	 * Text as a searchable line: its terms between single spaces, with a space at each end,
	 * so that a word form is found as " form " and a run form as a substring.
	 *
	 * @param string               $text Text.
	 * @param array<string, mixed> $lang Prepared language data.
	 */
	public static function line( string $text, array $lang ): string {
		$terms = self::terms( $text, $lang );
		return ' ' . implode( ' ', array_column( $terms, 0 ) ) . ( $terms ? ' ' : '' );
	}

	/**
	 * A synonym as a form: its terms joined by spaces, or its run ('' when it has none).
	 *
	 * @param string               $term A synonym as written in the data.
	 * @param array<string, mixed> $lang Prepared language data (stopwords and rules).
	 */
	private static function form( string $term, array $lang ): string {
		return implode( ' ', array_column( self::terms( $term, $lang ), 0 ) );
	}

	/**
	 * The concepts of a query: each a list of forms with their weight (the form typed 1, its
	 * synonyms less). Words are read in order; the longest phrase the synonym lists know
	 * is taken first. Runs of a script without spaces are cut at the entries the lists know
	 * (synonyms and stopwords, the latter dropped); what is left is read by pairs of
	 * characters (one character alone as itself).
	 *
	 * @param string $query    What the reader typed.
	 * @param string $language The handbook's language.
	 * @return array<int, array<string, float>>
	 */
	public static function concepts( string $query, string $language ): array {
		$lang     = self::language( $language );
		$terms    = self::terms( $query, $lang );
		$concepts = array();
		$count    = count( $terms );
		for ( $i = 0; $i < $count; ) {
			if ( $terms[ $i ][1] ) {
				foreach ( self::cut_run( $terms[ $i ][0], $lang ) as $piece ) {
					$concepts[] = self::concept( $piece, $lang );
				}
				++$i;
				continue;
			}
			$taken = 1;
			for ( $length = min( self::MAX_PHRASE, $count - $i ); $length > 1; $length-- ) {
				$words = array_slice( $terms, $i, $length );
				if ( ! in_array( true, array_column( $words, 1 ), true ) && isset( $lang['forms'][ implode( ' ', array_column( $words, 0 ) ) ] ) ) {
					$taken = $length;
					break;
				}
			}
			$concepts[] = self::concept( implode( ' ', array_column( array_slice( $terms, $i, $taken ), 0 ) ), $lang );
			$i         += $taken;
		}
		// A concept typed twice ("menu navigation") counts once.
		$unique = array();
		foreach ( $concepts as $concept ) {
			$forms = array_map( 'strval', array_keys( $concept ) );
			sort( $forms );
			$unique[ implode( '|', $forms ) ] = $unique[ implode( '|', $forms ) ] ?? $concept;
		}
		return array_values( $unique );
	}

	/**
	 * A form and its synonyms, weighted.
	 *
	 * @param string               $form A form.
	 * @param array<string, mixed> $lang Prepared language data.
	 * @return array<string, float>
	 */
	private static function concept( string $form, array $lang ): array {
		$concept = array( $form => 1.0 );
		$typed   = explode( ' ', $form );
		if ( isset( $lang['forms'][ $form ] ) ) {
			foreach ( $lang['groups'][ $lang['forms'][ $form ] ] as $synonym ) {
				// Part of what was typed ("menu" of "navigation menu", "菜单" of "导航菜单") weighs as typed.
				$part                = self::is_run( $synonym ) ? false !== strpos( $form, $synonym ) : ! array_diff( explode( ' ', $synonym ), $typed );
				$concept[ $synonym ] = $concept[ $synonym ] ?? ( $part ? 1.0 : self::SYNONYM_WEIGHT );
			}
		}
		return $concept;
	}

	/**
	 * A run of a script without spaces cut into the pieces a query means (see concepts()).
	 *
	 * @param string               $run  The run.
	 * @param array<string, mixed> $lang Prepared language data.
	 * @return array<int, string>
	 */
	private static function cut_run( string $run, array $lang ): array {
		$chars  = preg_split( '//u', $run, -1, PREG_SPLIT_NO_EMPTY );
		$chars  = is_array( $chars ) ? $chars : array();
		$count  = count( $chars );
		$pieces = array();
		$rest   = '';
		for ( $i = 0; $i < $count; ) {
			$entry = '';
			for ( $length = min( self::MAX_RUN_ENTRY, $count - $i ); $length > 0; $length-- ) {
				$candidate = implode( '', array_slice( $chars, $i, $length ) );
				if ( isset( $lang['forms'][ $candidate ] ) || isset( $lang['stopwords'][ $candidate ] ) ) {
					$entry = $candidate;
					break;
				}
			}
			if ( '' === $entry ) {
				$rest .= $chars[ $i++ ];
				continue;
			}
			$pieces = array_merge( $pieces, self::pairs( $rest ) );
			$rest   = '';
			if ( ! isset( $lang['stopwords'][ $entry ] ) ) {
				$pieces[] = $entry;
			}
			$i += mb_strlen( $entry, 'UTF-8' );
		}
		return array_merge( $pieces, self::pairs( $rest ) );
	}

	/**
	 * Characters no entry knows, as overlapping pairs (one character alone as itself).
	 *
	 * @param string $rest The characters.
	 * @return array<int, string>
	 */
	private static function pairs( string $rest ): array {
		$length = mb_strlen( $rest, 'UTF-8' );
		if ( $length < 2 ) {
			return '' === $rest ? array() : array( $rest );
		}
		$pairs = array();
		for ( $i = 0; $i < $length - 1; $i++ ) {
			$pairs[] = mb_substr( $rest, $i, 2, 'UTF-8' );
		}
		return $pairs;
	}

	/**
	 * Every section of a stored body, filtered, in order, each with its chapter's id and
	 * title (sections()).
	 *
	 * @param string                $html   A prepared body.
	 * @param array<string, string> $titles Chapter titles by id.
	 * @return array<int, array<string, mixed>>
	 */
	public static function body_sections( string $html, array $titles ): array {
		$all = array();
		foreach ( Handbook_Html::split( $html ) as $part ) {
			$title = '' === $part['id'] ? '' : ( $titles[ $part['id'] ] ?? $part['id'] );
			foreach ( self::sections( Handbook_Html::kses( $part['html'] ), $title ) as $section ) {
				$all[] = $section + array(
					'chapter'       => $part['id'],
					'chapter_title' => $title,
				);
			}
		}
		return $all;
	}

	/**
	 * The sections of a chapter (a part of Handbook_Html::split(), filtered): its `h2` with
	 * what follows up to the first top-level `h3`, then each `h3` with its text. The part
	 * before the first chapter is one section without a heading.
	 *
	 * @param string $html          The part, filtered.
	 * @param string $chapter_title The chapter's title ('' for the introduction).
	 * @return array<int, array{html: string, heading: string, level: int}>
	 */
	public static function sections( string $html, string $chapter_title ): array {
		$sections = array();
		foreach ( Handbook_Html::split_at( $html, 'h3' ) as $index => $piece ) {
			$level = 0 === $index ? ( '' === $chapter_title ? 0 : 2 ) : 3;
			if ( 0 === $level && '' === trim( Handbook_Html::text( $piece ) ) ) {
				continue;
			}
			$sections[] = array(
				'html'    => $piece,
				'heading' => 0 === $level ? '' : self::heading_text( $piece ),
				'level'   => $level,
			);
		}
		return $sections;
	}

	/**
	 * The text of a section's heading (its first `h2` or `h3`).
	 *
	 * @param string $html A section.
	 */
	private static function heading_text( string $html ): string {
		return preg_match( '#<h[23]\b[^>]*>(.*?)</h[23]\s*>#is', $html, $match ) ? Handbook_Html::text( $match[1] ) : '';
	}

	/**
	 * The sections that answer a query, best first, each with its score and the forms to
	 * mark. $sections come from sections(), each with its chapter's id and title added.
	 *
	 * @param array<int, array<string, mixed>> $sections Sections: html, heading, level, chapter, chapter_title.
	 * @param string                           $query    What the reader typed.
	 * @param string                           $language The handbook's language.
	 * @return array<int, array<string, mixed>> The matching sections with `score`, `covered` (concepts found), `asked` (concepts in the query) and `forms` (to mark).
	 */
	public static function search( array $sections, string $query, string $language ): array {
		$concepts = self::concepts( $query, $language );
		if ( ! $concepts || ! $sections ) {
			return array();
		}
		$lang   = self::language( $language );
		$lines  = array();
		$length = 0;
		foreach ( $sections as $index => $section ) {
			// The text after the heading (the heading is weighed on its own).
			$body            = 0 === $section['level'] ? (string) $section['html'] : (string) preg_replace( '#^.*?</h[23]\s*>#is', '', (string) $section['html'], 1 );
			$lines[ $index ] = array(
				'heading' => self::line( (string) $section['heading'], $lang ),
				'chapter' => 3 === $section['level'] ? self::line( (string) $section['chapter_title'], $lang ) : ' ',
				'body'    => self::line( Handbook_Html::text( $body ), $lang ),
			);
			$lines[ $index ]['words'] = substr_count( $lines[ $index ]['body'], ' ' );
			$lines[ $index ]['units'] = self::units( trim( $lines[ $index ]['heading'] ) );
			$length                  += $lines[ $index ]['words'];
		}
		$average = max( 1, $length / count( $sections ) );
		$hits    = array();
		$found   = array_fill( 0, count( $concepts ), 0 );
		foreach ( $lines as $index => $line ) {
			foreach ( $concepts as $c => $concept ) {
				$hit = self::hit( $concept, $line );
				if ( $hit['heading'] > 0 || $hit['body'] > 0 ) {
					++$found[ $c ];
				}
				$hits[ $index ][ $c ] = $hit;
			}
		}
		return self::ranked( $sections, $lines, $hits, $found, $average );
	}

	/**
	 * How a concept appears in a section: the best weight among its forms in the heading
	 * and in the chapter's title, the weighted count in the text, and the forms found.
	 *
	 * @param array<string, float>  $concept Forms and weights.
	 * @param array<string, string> $line    The section's lines (heading, chapter, body).
	 * @return array{heading: float, chapter: float, body: float, start: float, covers: int, forms: array<int, string>}
	 */
	private static function hit( array $concept, array $line ): array {
		$hit = array(
			'heading' => 0.0,
			'chapter' => 0.0,
			'body'    => 0.0,
			'start'   => 0.0,
			'covers'  => 0,
			'forms'   => array(),
		);
		foreach ( $concept as $form => $weight ) {
			$needle = self::needle( (string) $form );
			$in     = array(
				'heading' => substr_count( $line['heading'], $needle ),
				'chapter' => substr_count( $line['chapter'], $needle ),
				'body'    => substr_count( $line['body'], $needle ),
			);
			if ( $in['heading'] ) {
				$hit['heading'] = max( $hit['heading'], $weight );
				$hit['covers']  = max( $hit['covers'], $in['heading'] * self::units( (string) $form ) );
				// The heading begins with it (a run form: after the line's leading space).
				if ( in_array( strpos( $line['heading'], $needle ), array( 0, ' ' === $needle[0] ? 0 : 1 ), true ) ) {
					$hit['start'] = max( $hit['start'], $weight );
				}
			}
			if ( $in['chapter'] ) {
				$hit['chapter'] = max( $hit['chapter'], $weight );
			}
			$hit['body'] += $weight * $in['body'];
			if ( $in['heading'] || $in['body'] ) {
				$hit['forms'][] = (string) $form;
			}
		}
		return $hit;
	}

	/**
	 * The size of a form or line: its words, a run counting each character.
	 *
	 * @param string $form A form, or a line's terms.
	 */
	private static function units( string $form ): int {
		if ( '' === $form ) {
			return 0;
		}
		$units = 0;
		foreach ( explode( ' ', $form ) as $term ) {
			$units += self::is_run( $term ) ? mb_strlen( $term, 'UTF-8' ) : 1;
		}
		return $units;
	}

	/**
	 * Whether a term or form is a run of a script without spaces.
	 *
	 * @param string $term A term or form.
	 */
	private static function is_run( string $term ): bool {
		return (bool) preg_match( '/^' . self::RUN_CHAR . '/u', $term );
	}

	/**
	 * What to look for in a line: a run form as it is, a word form between spaces.
	 *
	 * @param string $form A form.
	 */
	private static function needle( string $form ): string {
		return self::is_run( $form ) ? $form : ' ' . $form . ' ';
	}

	/**
	 * The matching sections, best first (see the class comment). Ties keep the handbook's
	 * order.
	 *
	 * @param array<int, array<string, mixed>>                $sections The sections.
	 * @param array<int, array<string, mixed>>                $lines    Their lines and lengths.
	 * @param array<int, array<int, array<string, mixed>>>    $hits     Per section, per concept.
	 * @param array<int, int>                                 $found    Per concept, the sections having it.
	 * @param float                                           $average  Average words in a section's text.
	 * @return array<int, array<string, mixed>>
	 */
	private static function ranked( array $sections, array $lines, array $hits, array $found, float $average ): array {
		$total   = count( $sections );
		$results = array();
		$best    = 1;
		foreach ( $hits as $index => $concepts ) {
			$score   = 0.0;
			$covered = 0;
			$covers  = 0;
			$forms   = array();
			foreach ( $concepts as $c => $hit ) {
				if ( $hit['heading'] <= 0 && $hit['chapter'] <= 0 && $hit['body'] <= 0 ) {
					continue;
				}
				++$covered;
				$rarity = log( 1 + $total / ( $found[ $c ] + 0.5 ) );
				$text   = $hit['body'] * 2.2 / ( $hit['body'] + 1.2 * ( 0.25 + 0.75 * $lines[ $index ]['words'] / $average ) );
				// The first word typed is most often the task ("upload an image", "tải ảnh lên",
				// "上传图片"): it weighs more, and more again where a heading begins with it.
				$first  = 0 === $c ? self::FIRST_WEIGHT : 1.0;
				$score += $first * $rarity * ( 4 * $hit['heading'] + 3 * ( 0 === $c ? $hit['start'] : 0 ) + $hit['chapter'] + $text );
				$forms   = array_merge( $forms, $hit['forms'] );
				$covers += $hit['covers'];
			}
			// A heading made only of what was asked ("Sửa một trang") beats one that also names
			// something else ("Thay đổi và công việc mới").
			$score += self::PRECISION_WEIGHT * min( 1, $covers / max( 1, $lines[ $index ]['units'] ) );
			if ( $covered < $best ) {
				continue;
			}
			if ( $covered > $best ) {
				$best    = $covered;
				$results = array();
			}
			$results[] = $sections[ $index ] + array(
				'score'   => $score,
				'order'   => $index,
				'covered' => $covered,
				'asked'   => count( $concepts ),
				'forms'   => array_values( array_unique( $forms ) ),
			);
		}
		usort(
			$results,
			static function ( $a, $b ) {
				return $b['score'] <=> $a['score'] ?: $a['order'] <=> $b['order'];
			}
		);
		return $results;
	}

	/**
	 * A filtered section with the forms found marked (`<mark class="…">`), in the text only
	 * (never inside a tag), the text around them escaped again. A word form marks the words
	 * whose terms it is (stopwords between them included); a run form marks its characters.
	 *
	 * @param string             $html       A section, filtered.
	 * @param array<int, string> $forms      Forms to mark.
	 * @param string             $language   The handbook's language.
	 * @param string             $mark_class Class of the marks.
	 */
	public static function mark( string $html, array $forms, string $language, string $mark_class ): string {
		$pieces = preg_split( '/(<[^>]*>)/', $html, -1, PREG_SPLIT_DELIM_CAPTURE );
		if ( ! $forms || ! is_array( $pieces ) ) {
			return $html;
		}
		$lang  = self::language( $language );
		$words = array();
		$runs  = array();
		foreach ( $forms as $form ) {
			if ( self::is_run( $form ) ) {
				$runs[] = $form;
			} else {
				$words[] = explode( ' ', $form );
			}
		}
		// Longest first, so that "add image" is marked whole before "add".
		usort(
			$words,
			static function ( $a, $b ) {
				return count( $b ) <=> count( $a );
			}
		);
		usort(
			$runs,
			static function ( $a, $b ) {
				return mb_strlen( $b, 'UTF-8' ) <=> mb_strlen( $a, 'UTF-8' );
			}
		);
		$open = '<mark class="' . esc_attr( $mark_class ) . '">';
		$out  = '';
		foreach ( $pieces as $index => $piece ) {
			$text  = 1 === $index % 2 ? '' : html_entity_decode( $piece, ENT_QUOTES | ENT_HTML5, 'UTF-8' );
			$spans = '' === $text ? array() : self::spans( $text, $words, $runs, $lang );
			if ( ! $spans ) {
				$out .= $piece;
				continue;
			}
			$from = 0;
			foreach ( $spans as list( $start, $end ) ) {
				$out .= esc_html( substr( $text, $from, $start - $from ) ) . $open . esc_html( substr( $text, $start, $end - $start ) ) . '</mark>';
				$from = $end;
			}
			$out .= esc_html( substr( $text, $from ) );
		}
		return $out;
	}

	/**
	 * The byte spans of a text to mark, in order (see mark()).
	 *
	 * @param string                       $text  A run of text (no tags).
	 * @param array<int, array<int, string>> $words Word forms, as their terms, longest first.
	 * @param array<int, string>           $runs  Run forms, longest first.
	 * @param array<string, mixed>         $lang  Prepared language data.
	 * @return array<int, array{0: int, 1: int}>
	 */
	private static function spans( string $text, array $words, array $runs, array $lang ): array {
		if ( ! preg_match_all( self::word_pattern(), $text, $found, PREG_OFFSET_CAPTURE ) ) {
			return array();
		}
		$tokens = array();
		foreach ( $found[0] as list( $word, $at ) ) {
			$is_run   = self::is_run( $word );
			$tokens[] = array(
				'at'   => $at,
				'end'  => $at + strlen( $word ),
				'word' => $word,
				'run'  => $is_run,
				'term' => $is_run || '' === self::term( $word, $lang ) ? null : self::term( $word, $lang ),
			);
		}
		$spans = array();
		$count = count( $tokens );
		for ( $i = 0; $i < $count; $i++ ) {
			if ( $tokens[ $i ]['run'] ) {
				$spans = array_merge( $spans, self::run_spans( $tokens[ $i ]['word'], $tokens[ $i ]['at'], $runs ) );
				continue;
			}
			if ( null === $tokens[ $i ]['term'] ) {
				continue;
			}
			foreach ( $words as $form ) {
				$last = self::match_words( $tokens, $i, $form );
				if ( null !== $last ) {
					$spans[] = array( $tokens[ $i ]['at'], $tokens[ $last ]['end'] );
					$i       = $last;
					break;
				}
			}
		}
		return $spans;
	}

	/**
	 * The index of the last token of a word form matched from token $i (stopwords between
	 * its words skipped), or null.
	 *
	 * @param array<int, array<string, mixed>> $tokens The text's tokens.
	 * @param int                              $i      Where to start.
	 * @param array<int, string>               $form   The form's terms.
	 */
	private static function match_words( array $tokens, int $i, array $form ): ?int {
		$count = count( $tokens );
		$last  = null;
		foreach ( $form as $term ) {
			while ( $i < $count && null === $tokens[ $i ]['term'] && ! $tokens[ $i ]['run'] && null !== $last ) {
				++$i;
			}
			if ( $i >= $count || $tokens[ $i ]['term'] !== $term ) {
				return null;
			}
			$last = $i++;
		}
		return $last;
	}

	/**
	 * The byte spans of the run forms in a run of a script without spaces.
	 *
	 * @param string             $run  The run, as written.
	 * @param int                $at   Its byte offset in the text.
	 * @param array<int, string> $runs Run forms, longest first.
	 * @return array<int, array{0: int, 1: int}>
	 */
	private static function run_spans( string $run, int $at, array $runs ): array {
		$spans  = array();
		$length = strlen( $run );
		for ( $i = 0; $i < $length; ) {
			$hit = '';
			foreach ( $runs as $form ) {
				if ( 0 === substr_compare( $run, $form, $i, strlen( $form ) ) ) {
					$hit = $form;
					break;
				}
			}
			if ( '' === $hit ) {
				// Next character: skip the continuation bytes of this one.
				do {
					++$i;
				} while ( $i < $length && 0x80 === ( ord( $run[ $i ] ) & 0xC0 ) );
				continue;
			}
			$spans[] = array( $at + $i, $at + $i + strlen( $hit ) );
			$i      += strlen( $hit );
		}
		return $spans;
	}
}
