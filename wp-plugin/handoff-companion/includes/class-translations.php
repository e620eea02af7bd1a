<?php
/**
 * Loads the plugin's translations the first time one of its strings is looked up.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

defined( 'ABSPATH' ) || exit;

/**
 * The plugin's strings are shown on a few screens only (its menu items, the Site Handbook,
 * the dashboard panels, the 403 page, the Connect screen), but the plugin runs on every
 * admin request. So the .mo file is not read at `init`: Plugin::translate_on_demand()
 * hooks the `gettext_handoff-companion` filters (and their plural and context forms), which
 * WordPress calls after each lookup in this text domain. The first call loads the domain
 * and looks the string up again; the filters then remove themselves. A request that shows
 * no string of the plugin reads no file, and one in English (en_US) never loads anything.
 *
 * WordPress 6.7+ does this itself: it names the folder of the `Domain Path` header for each
 * active plugin and loads the domain just in time, so nothing is hooked there. Before 6.7
 * load_plugin_textdomain() reads the .mo at once, and a plugin's own folder is not looked in
 * just in time: hence the hooks.
 */
final class Translations {

	/**
	 * The plugin's text domain.
	 */
	public const DOMAIN = 'handoff-companion';

	/**
	 * The filters that fire after a lookup in the domain, with their callbacks and arity.
	 */
	public const FILTERS = array(
		'gettext_handoff-companion'               => array( 'gettext', 3 ),
		'gettext_with_context_handoff-companion'  => array( 'gettext_with_context', 4 ),
		'ngettext_handoff-companion'              => array( 'ngettext', 5 ),
		'ngettext_with_context_handoff-companion' => array( 'ngettext_with_context', 6 ),
	);

	/**
	 * Whether the domain has been loaded in this request.
	 *
	 * @var bool
	 */
	private static bool $loaded = false;

	/**
	 * Hooks the first lookup, on WordPress before 6.7 (see above).
	 */
	public static function add_hooks(): void {
		if ( ! self::needs_hooks() ) {
			return;
		}
		foreach ( self::FILTERS as $filter => $callback ) {
			add_filter( $filter, array( self::class, $callback[0] ), 10, $callback[1] );
		}
	}

	/**
	 * Whether this WordPress needs the hooks: before 6.7 it does not load the plugin's own
	 * languages/ folder just in time.
	 */
	public static function needs_hooks(): bool {
		return version_compare( (string) get_bloginfo( 'version' ), '6.7-alpha', '<' );
	}

	/**
	 * Loads the domain once, from the plugin's languages/ folder (a language pack in
	 * wp-content/languages/plugins/ comes first, as WordPress does), and unhooks the filters.
	 * Nothing is read for en_US, the language the strings are written in.
	 */
	public static function load(): bool {
		foreach ( self::FILTERS as $filter => $callback ) {
			remove_filter( $filter, array( self::class, $callback[0] ), 10 );
		}
		if ( self::$loaded ) {
			return false;
		}
		self::$loaded = true;
		if ( 'en_US' === determine_locale() ) {
			return false;
		}
		return load_plugin_textdomain( self::DOMAIN, false, dirname( plugin_basename( HANDOFF_COMPANION_FILE ) ) . '/languages' );
	}

	/**
	 * Forgets that the domain was loaded (after switch_to_locale() in tests).
	 */
	public static function reset(): void {
		self::$loaded = false;
		unload_textdomain( self::DOMAIN, true );
	}

	/**
	 * The first __() / esc_html__() … of the plugin: load, then look up again.
	 *
	 * @param string $translation The translation found so far (none: the text).
	 * @param string $text        The text.
	 * @return string
	 */
	public static function gettext( $translation, $text ) {
		// phpcs:ignore WordPress.WP.I18n -- the text is the caller's own literal, looked up again.
		return self::load() ? translate( $text, self::DOMAIN ) : $translation;
	}

	/**
	 * The first _x() of the plugin.
	 *
	 * @param string $translation The translation found so far.
	 * @param string $text        The text.
	 * @param string $context     The context.
	 * @return string
	 */
	public static function gettext_with_context( $translation, $text, $context ) {
		return self::load() ? translate_with_gettext_context( $text, $context, self::DOMAIN ) : $translation;
	}

	/**
	 * The first _n() of the plugin.
	 *
	 * @param string $translation The translation found so far.
	 * @param string $single      The singular.
	 * @param string $plural      The plural.
	 * @param int    $number      The number.
	 * @return string
	 */
	public static function ngettext( $translation, $single, $plural, $number ) {
		// phpcs:ignore WordPress.WP.I18n -- the caller's own literals, looked up again.
		return self::load() ? _n( $single, $plural, $number, self::DOMAIN ) : $translation;
	}

	/**
	 * The first _nx() of the plugin.
	 *
	 * @param string $translation The translation found so far.
	 * @param string $single      The singular.
	 * @param string $plural      The plural.
	 * @param int    $number      The number.
	 * @param string $context     The context.
	 * @return string
	 */
	public static function ngettext_with_context( $translation, $single, $plural, $number, $context ) {
		// phpcs:ignore WordPress.WP.I18n -- the caller's own literals, looked up again.
		return self::load() ? _nx( $single, $plural, $number, $context, self::DOMAIN ) : $translation;
	}
}
