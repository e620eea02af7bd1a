<?php
/**
 * Loaded instead of the plugin when PHP or WordPress is too old: one admin notice, nothing else.
 *
 * @package Handoff\Companion
 */

defined( 'ABSPATH' ) || exit;

add_action(
	'admin_notices',
	static function () {
		if ( ! current_user_can( 'activate_plugins' ) ) {
			return;
		}
		printf(
			'<div class="notice notice-error"><p>%s</p></div>',
			esc_html(
				sprintf(
					/* translators: 1: required WordPress version, 2: required PHP version, 3: WordPress version, 4: PHP version. */
					__( 'Handoff Companion needs WordPress %1$s and PHP %2$s or newer; this site runs WordPress %3$s on PHP %4$s. The plugin does nothing until the site is updated.', 'handoff-companion' ),
					HANDOFF_COMPANION_MIN_WP,
					HANDOFF_COMPANION_MIN_PHP,
					get_bloginfo( 'version' ),
					PHP_VERSION
				)
			)
		);
	}
);
