<?php
/**
 * The dashboard and notices of a restricted user.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

defined( 'ABSPATH' ) || exit;

/**
 * Removes the profile's dashboard widgets, adds the "Start here" panel, and hides update
 * nags or every admin notice (hooked by Menu_Applier for a restricted user).
 */
final class Menu_Dashboard {

	/**
	 * ID of the "Start here" dashboard widget.
	 */
	public const START_HERE_WIDGET = 'handoff_start_here';

	/**
	 * Dashboard columns a widget can be in.
	 */
	private const CONTEXTS = array( 'normal', 'side', 'column3', 'column4' );

	/**
	 * The profile, decoded as associative arrays.
	 *
	 * @var array<string, mixed>
	 */
	private array $profile;

	/**
	 * Sets up the dashboard's changes.
	 *
	 * @param array<string, mixed> $profile The profile.
	 */
	public function __construct( array $profile ) {
		$this->profile = $profile;
	}

	/**
	 * Removes the profile's dashboard widgets and puts "Start here" first
	 * (wp_dashboard_setup, last).
	 */
	public function edit_dashboard(): void {
		$dashboard = is_array( $this->profile['dashboard'] ?? null ) ? $this->profile['dashboard'] : array();
		$remove    = is_array( $dashboard['remove_widgets'] ?? null ) ? array_filter( $dashboard['remove_widgets'], 'is_string' ) : array();
		foreach ( $remove as $widget ) {
			foreach ( self::CONTEXTS as $context ) {
				remove_meta_box( $widget, 'dashboard', $context );
			}
		}
		$start = $dashboard['start_here'] ?? null;
		if ( is_array( $start ) && function_exists( 'wp_add_dashboard_widget' ) ) {
			wp_add_dashboard_widget(
				self::START_HERE_WIDGET,
				esc_html( (string) ( $start['title'] ?? '' ) ),
				array( $this, 'render_start_here' ),
				null,
				null,
				'normal',
				'high'
			);
		}
	}

	/**
	 * Prints the "Start here" panel: plain text in paragraphs, then the contacts.
	 */
	public function render_start_here(): void {
		$start = $this->profile['dashboard']['start_here'] ?? array();
		echo wpautop( esc_html( (string) ( $start['text'] ?? '' ) ) ); // Escaped, then paragraphs added.
		echo Menu_Refusal_Page::contacts_html( $this->profile, __( 'Need help? Ask:', 'handoff-companion' ) ); // Built from escaped parts.
	}

	/**
	 * Hides update nags and, when asked, every admin notice (in_admin_header, last: just
	 * before the notices are printed).
	 */
	public function hide_notices(): void {
		if ( $this->hides_update_nags() ) {
			foreach ( array( 'admin_notices', 'network_admin_notices' ) as $hook ) {
				remove_action( $hook, 'update_nag', 3 );
				remove_action( $hook, 'maintenance_nag', 10 );
			}
		}
		if ( ! empty( $this->profile['notices']['hide_admin_notices'] ) ) {
			foreach ( array( 'admin_notices', 'all_admin_notices', 'network_admin_notices', 'user_admin_notices' ) as $hook ) {
				remove_all_actions( $hook );
			}
		}
	}

	/**
	 * Whether update nags are hidden (the default).
	 */
	public function hides_update_nags(): bool {
		return false !== ( $this->profile['notices']['hide_update_nags'] ?? true );
	}
}
