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

	/** Name of the Application Password the Connect screen creates. */
	public const APP_PASSWORD_NAME = 'Handoff backend';

	/**
	 * Every option the plugin may have written.
	 *
	 * @return string[]
	 */
	public static function all(): array {
		return array( self::CONNECTION, self::MENU, self::MENU_HISTORY );
	}
}
