<?php
/**
 * Plugin Name:       Handoff Sandbox Extras
 * Description:       Sandbox only. What real client sites have and a fresh WordPress lacks: a plugin-added admin page with a submenu, and a custom post type. Also makes PHP's built-in server count as URL rewriting and writes e-mail to wp-content/sandbox-mail.log instead of sending it.
 * Version:           1.0.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * License:           GPL-2.0-or-later
 *
 * @package Handoff
 */

namespace Handoff\SandboxExtras;

defined( 'ABSPATH' ) || exit;

/**
 * Registers "Sandbox Reports" (editors and up) and its submenu "Export" (administrators).
 */
function register_admin_pages() {
	add_menu_page( 'Sandbox Reports', 'Sandbox Reports', 'edit_posts', 'sandbox-reports', __NAMESPACE__ . '\\render_reports', 'dashicons-chart-bar' );
	add_submenu_page( 'sandbox-reports', 'Export reports', 'Export', 'manage_options', 'sandbox-reports-export', __NAMESPACE__ . '\\render_export' );
}
add_action( 'admin_menu', __NAMESPACE__ . '\\register_admin_pages' );

/**
 * Prints the Reports page.
 */
function render_reports() {
	echo '<div class="wrap"><h1>Sandbox Reports</h1><p>A page added by a plugin, visible to editors.</p></div>';
}

/**
 * Prints the Export page.
 */
function render_export() {
	echo '<div class="wrap"><h1>Export reports</h1><p>A submenu page only administrators can open.</p></div>';
}

/**
 * Registers the "portfolio" post type, as a theme or plugin on a client site would.
 */
function register_portfolio() {
	register_post_type(
		'portfolio',
		array(
			'labels'       => array(
				'name'          => 'Portfolio',
				'singular_name' => 'Project',
				'add_new_item'  => 'Add New Project',
				'edit_item'     => 'Edit Project',
				'new_item'      => 'New Project',
				'view_item'     => 'View Project',
				'all_items'     => 'All Projects',
				'search_items'  => 'Search Projects',
				'not_found'     => 'No projects found.',
			),
			'public'       => true,
			'show_ui'      => true,
			'show_in_rest' => true,
			'has_archive'  => true,
			'menu_icon'    => 'dashicons-portfolio',
			'supports'     => array( 'title', 'editor', 'thumbnail', 'excerpt' ),
		)
	);
}
add_action( 'init', __NAMESPACE__ . '\\register_portfolio' );

// The sandbox's router does what mod_rewrite does; without this, saving Settings → Permalinks
// under PHP's built-in server would prefix every structure with /index.php.
add_filter( 'got_url_rewrite', '__return_true' );

/**
 * Writes an e-mail to wp-content/sandbox-mail.log (one JSON object a line) instead of sending it.
 *
 * @param null|bool $short_circuit Null to let WordPress send the mail.
 * @param array     $atts          The wp_mail() arguments.
 * @return bool True: the mail counts as sent.
 */
function log_mail( $short_circuit, $atts ) {
	$line = wp_json_encode(
		array(
			'time'    => gmdate( 'c' ),
			'to'      => $atts['to'],
			'subject' => $atts['subject'],
			'message' => $atts['message'],
		)
	);
	file_put_contents( WP_CONTENT_DIR . '/sandbox-mail.log', $line . "\n", FILE_APPEND | LOCK_EX ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_file_put_contents
	return true;
}
add_filter( 'pre_wp_mail', __NAMESPACE__ . '\\log_mail', 10, 2 );
