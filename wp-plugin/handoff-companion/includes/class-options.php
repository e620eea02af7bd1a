<?php
/**
 * Names of everything the plugin stores.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

defined( 'ABSPATH' ) || exit;

/**
 * One place for stored names, so uninstall.php removes exactly what the plugin created.
 */
final class Options {

	/** Option: the bridge user's ID and when it was connected. Not autoloaded. */
	public const CONNECTION = 'handoff_companion_connection';

	/**
	 * Option: the active menu profile entry (version, hash, profile, applied_at,
	 * applied_by) as JSON text. Autoloaded, so applying it costs no query.
	 */
	public const MENU = 'handoff_companion_menu';

	/** Option: the last 10 earlier menu profile entries, newest first, as JSON text. Not autoloaded. */
	public const MENU_HISTORY = 'handoff_companion_menu_history';

	/**
	 * Option: the full admin menu's slugs and capabilities, captured when a profile is
	 * stored (Menu_Capability_Map), as JSON text. Autoloaded: the capability guard reads it.
	 */
	public const MENU_MAP = 'handoff_companion_menu_map';

	/**
	 * Option: the published Site Handbook (title, language, html, hash, published_at,
	 * published_by, sections) as JSON text. Not autoloaded: only its screen and the API
	 * read it.
	 */
	public const HANDBOOK = 'handoff_companion_handbook';

	/**
	 * Option: whether a handbook is published, with its title, hash and published_at, as
	 * JSON text. Autoloaded and tiny, so wp-admin decides whether to show the handbook's
	 * menu item without a query.
	 */
	public const HANDBOOK_META = 'handoff_companion_handbook_meta';

	/**
	 * Option: the developer's contacts and support terms from the intake (Site_Contacts),
	 * sent with the handbook, as JSON text. Autoloaded and small: the 403 page and the
	 * "Start here" panel show them without a query.
	 */
	public const CONTACTS = 'handoff_companion_contacts';

	/** Option: who first opened the handbook and how often clients did, as JSON text. Not autoloaded. */
	public const HANDBOOK_VIEWS = 'handoff_companion_handbook_views';

	/**
	 * Option: the idempotency keys of the last writes, with the request each came with
	 * and the answer given (Idempotency), as JSON text. Not autoloaded: only a write that
	 * carries a key reads it.
	 */
	public const WRITE_KEYS = 'handoff_companion_write_keys';

	/** User meta: when the user's last handbook view was counted (Unix seconds). */
	public const HANDBOOK_LAST_VIEW = 'handoff_handbook_last_view';

	/** Name of the Application Password the Connect screen creates. */
	public const APP_PASSWORD_NAME = 'Handoff backend';

	/**
	 * Every option the plugin may have written.
	 *
	 * @return string[]
	 */
	public static function all(): array {
		return array( self::CONNECTION, self::MENU, self::MENU_HISTORY, self::MENU_MAP, self::HANDBOOK, self::HANDBOOK_META, self::HANDBOOK_VIEWS, self::CONTACTS, self::WRITE_KEYS );
	}

	/**
	 * Every user meta key the plugin may have written (for any user).
	 *
	 * @return string[]
	 */
	public static function user_meta(): array {
		return array( self::HANDBOOK_LAST_VIEW );
	}
}
