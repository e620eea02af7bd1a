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

	/** Name of the Application Password the Connect screen creates. */
	public const APP_PASSWORD_NAME = 'Handoff backend';

	/**
	 * Every option the plugin may have written.
	 *
	 * @return string[]
	 */
	public static function all(): array {
		return array( self::CONNECTION );
	}
}
