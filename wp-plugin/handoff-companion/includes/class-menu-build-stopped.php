<?php
/**
 * Thrown in place of wp_die() while the admin menu is captured.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use RuntimeException;

defined( 'ABSPATH' ) || exit;

/**
 * A plugin called wp_die() while building its admin menu; the snapshot reports it and
 * returns what was built, instead of the whole request dying.
 */
final class Menu_Build_Stopped extends RuntimeException {
}
