<?php
/**
 * The Site Handbook screen in wp-admin and its dashboard widget.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

defined( 'ABSPATH' ) || exit;

/**
 * A top-level menu item "Site Handbook", just below the Dashboard, for every signed-in
 * user (`read`), present only while a handbook is published: the autoloaded meta option
 * says so without a query. The screen shows the title, the publication date, the contents,
 * a search box and the handbook itself, filtered again on output. The search
 * (Handbook_Search) answers with the matching sections, best first, on the server for
 * `?s=words` and in the browser as the reader types (assets/handbook-search.js, loaded on
 * this screen only). A dashboard widget points to it.
 * Menu profiles never deny or hide it unless they name it as hidden (Menu_Applier).
 */
final class Handbook_Screen {

	/**
	 * The page slug (`admin.php?page=handoff-handbook`).
	 */
	public const PAGE = 'handoff-handbook';

	/**
	 * The menu position: after the Dashboard (2), before the first separator (4).
	 */
	public const POSITION = 3;

	/**
	 * ID of the dashboard widget.
	 */
	public const WIDGET = 'handoff_handbook';

	/**
	 * Longest search accepted, in characters.
	 */
	public const MAX_SEARCH = 100;

	/**
	 * Class of the marks around search matches.
	 */
	public const MARK_CLASS = 'handoff-handbook-match';

	/**
	 * Handle of the search script.
	 */
	public const SCRIPT = 'handoff-handbook-search';

	/**
	 * The hook suffix WordPress gave the screen ('' until registered).
	 *
	 * @var string
	 */
	private static string $hook = '';

	/**
	 * Adds the menu item when a handbook is published (admin_menu). No query either way.
	 */
	public static function register(): void {
		self::$hook = '';
		if ( ! Handbook_Store::is_published() ) {
			return;
		}
		$hook = add_menu_page(
			__( 'Site Handbook', 'handoff-companion' ),
			__( 'Site Handbook', 'handoff-companion' ),
			'read',
			self::PAGE,
			array( self::class, 'render' ),
			'dashicons-book',
			self::POSITION
		);
		if ( $hook ) {
			self::$hook = $hook;
			add_action( 'load-' . $hook, array( self::class, 'load' ) );
		}
	}

	/**
	 * The hook suffix of the screen ('' when it is not registered in this request).
	 */
	public static function hook(): string {
		return self::$hook;
	}

	/**
	 * The screen's URL.
	 *
	 * @param string $search A search to add ('' for none).
	 */
	public static function url( string $search = '' ): string {
		$url = admin_url( 'admin.php?page=' . self::PAGE );
		return '' === $search ? $url : add_query_arg( 's', rawurlencode( $search ), $url );
	}

	/**
	 * Before the screen prints (load-{hook}): counts the view of a client (never an
	 * administrator or the bridge user; at most once an hour per user).
	 */
	public static function load(): void {
		Handbook_Store::record_view( wp_get_current_user() );
		wp_enqueue_script( self::SCRIPT, plugins_url( 'assets/handbook-search.js', HANDOFF_COMPANION_FILE ), array(), HANDOFF_COMPANION_VERSION, true );
	}

	/**
	 * The search the reader asked for (`?s=`), cleaned; '' for none.
	 */
	public static function search(): string {
		// phpcs:ignore WordPress.Security.NonceVerification -- a read-only search of a page the user may read.
		$raw = isset( $_GET['s'] ) && is_string( $_GET['s'] ) ? sanitize_text_field( wp_unslash( $_GET['s'] ) ) : '';
		return trim( mb_substr( $raw, 0, self::MAX_SEARCH, 'UTF-8' ) );
	}

	/**
	 * Prints the screen.
	 */
	public static function render(): void {
		if ( ! current_user_can( 'read' ) ) {
			return;
		}
		$handbook = Handbook_Store::is_published() ? Handbook_Store::handbook() : null;
		$search   = self::search();
		$chapters = array();
		$results  = array();
		$complete = true;
		if ( $handbook ) {
			$titles   = array_column( $handbook['sections'], 'title', 'id' );
			$sections = Handbook_Search::body_sections( $handbook['html'], $titles );
			if ( '' === $search ) {
				$chapters = self::chapters( $sections );
			} else {
				$language = $handbook['language'];
				$results  = Handbook_Search::search( $sections, $search, $language );
				$complete = ! $results || $results[0]['covered'] === $results[0]['asked'];
				foreach ( $results as $index => $result ) {
					$results[ $index ]['html'] = Handbook_Search::mark( $result['html'], $result['forms'], $language, self::MARK_CLASS );
				}
			}
		}
		$view = array(
			'handbook'     => $handbook,
			'chapters'     => $chapters,
			'results'      => $results,
			'complete'     => $complete,
			'search_data'  => $handbook ? Handbook_Search::script_data( $handbook['language'] ) : array(),
			'search'       => $search,
			'page'         => self::PAGE,
			'url'          => self::url(),
			'action'       => admin_url( 'admin.php' ),
			'mark_class'   => self::MARK_CLASS,
			'published_on' => $handbook ? wp_date( (string) get_option( 'date_format' ), $handbook['published_at'] ) : '',
		);
		require HANDOFF_COMPANION_DIR . '/templates/handbook-screen.php';
	}

	/**
	 * The sections grouped by chapter, in order, for the whole handbook: each chapter's id,
	 * title and sections.
	 *
	 * @param array<int, array<string, mixed>> $sections Handbook_Search::body_sections().
	 * @return array<int, array{id: string, title: string, sections: array<int, array<string, mixed>>}>
	 */
	private static function chapters( array $sections ): array {
		$chapters = array();
		foreach ( $sections as $section ) {
			$last = count( $chapters ) - 1;
			if ( $last < 0 || $chapters[ $last ]['id'] !== $section['chapter'] ) {
				$chapters[] = array(
					'id'       => (string) $section['chapter'],
					'title'    => (string) $section['chapter_title'],
					'sections' => array(),
				);
				++$last;
			}
			$chapters[ $last ]['sections'][] = $section;
		}
		return $chapters;
	}

	/**
	 * Adds the dashboard widget when a handbook is published (wp_dashboard_setup). It goes
	 * at the top of the second column, so that a menu profile's "Start here" panel keeps
	 * the top of the first.
	 */
	public static function add_dashboard_widget(): void {
		if ( ! Handbook_Store::is_published() || ! function_exists( 'wp_add_dashboard_widget' ) ) {
			return;
		}
		wp_add_dashboard_widget(
			self::WIDGET,
			esc_html__( 'Site Handbook', 'handoff-companion' ),
			array( self::class, 'render_dashboard_widget' ),
			null,
			null,
			'side',
			'high'
		);
	}

	/**
	 * Prints the dashboard widget: one sentence and a button to the screen.
	 */
	public static function render_dashboard_widget(): void {
		$meta = Handbook_Store::meta();
		if ( ! $meta ) {
			return;
		}
		echo '<p>';
		printf(
			/* translators: %s: the handbook's title. */
			esc_html__( '%s explains, step by step, how to use and look after this site.', 'handoff-companion' ),
			'<strong>' . esc_html( $meta['title'] ) . '</strong>'
		);
		echo '</p><p><a class="button button-primary" href="' . esc_url( self::url() ) . '">' . esc_html__( 'Open the Site Handbook', 'handoff-companion' ) . '</a></p>';
	}
}
