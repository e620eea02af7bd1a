<?php
/**
 * Applies the menu profile in wp-admin.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use WP_Admin_Bar;
use WP_Screen;
use WP_User;

defined( 'ABSPATH' ) || exit;

/**
 * Gives restricted users the simplified wp-admin of docs/menu-profiles.md.
 *
 * Runs in wp-admin only, from `admin_menu` (priority PHP_INT_MAX, after every plugin has
 * added its pages). It reads the autoloaded option WordPress has already loaded — no
 * query — and stops there when there is no profile, in safe mode, or for a user the
 * profile does not restrict. For a restricted user it then:
 *
 * - rewrites the global $menu and $submenu: order, titles, icons, custom links, no
 *   separators. Hidden and denied items stay in place (marked) until `admin_head`, just
 *   before the menu is printed, so that WordPress still finds a hidden page's parent
 *   and title when it is opened by URL;
 * - refuses a denied screen on `current_screen` (after the menu is built, before the
 *   screen loads) with a 403 page naming the developer's contacts;
 * - removes admin-bar nodes and dashboard widgets, adds the "Start here" panel, and
 *   hides update nags or every admin notice.
 *
 * Capabilities still apply (WordPress removes what the user cannot open after
 * `admin_menu`), and nothing is ever written on a page view.
 */
final class Menu_Applier {

	/**
	 * Key added to $menu / $submenu entries until the menu is printed: the item's state.
	 */
	public const STATE = 'handoff_menu_state';

	/**
	 * Class of the custom links' menu entries.
	 */
	public const LINK_CLASS = 'handoff-menu-link';

	/**
	 * Class of the custom links that open in a new tab.
	 */
	public const NEW_TAB_CLASS = 'handoff-menu-new-tab';

	/**
	 * ID of the "Start here" dashboard widget.
	 */
	public const START_HERE_WIDGET = 'handoff_start_here';

	/**
	 * Icon of a custom link that names none.
	 */
	public const DEFAULT_LINK_ICON = 'dashicons-admin-links';

	/**
	 * The Site Handbook's top-level slug: never denied, and shown whatever
	 * `unknown_items` says, unless the profile names it with the state `hidden`.
	 */
	public const HANDBOOK_SLUG = 'handoff-handbook';

	/**
	 * Dashboard columns a widget can be in.
	 */
	private const DASHBOARD_CONTEXTS = array( 'normal', 'side', 'column3', 'column4' );

	/**
	 * Core screens that are not in the menu, and the menu item they belong to.
	 * (post.php and term.php are mapped by post type and taxonomy.)
	 */
	private const RELATED_SCREENS = array(
		'comment.php'       => 'edit-comments.php',
		'user-edit.php'     => 'users.php',
		'theme-install.php' => 'themes.php',
		'media.php'         => 'upload.php',
		'term.php'          => 'edit-tags.php',
	);

	/**
	 * The applier of this request, once booted for a restricted user.
	 *
	 * @var Menu_Applier|null
	 */
	private static ?Menu_Applier $active = null;

	/**
	 * The profile, decoded as associative arrays.
	 *
	 * @var array<string, mixed>
	 */
	private array $profile;

	/**
	 * The user the menu is built for.
	 *
	 * @var WP_User
	 */
	private WP_User $user;

	/**
	 * Whether HANDOFF_SAFE_MODE is on.
	 *
	 * @var bool
	 */
	private bool $safe_mode;

	/**
	 * Slugs (entities decoded) of the denied screens, as keys.
	 *
	 * @var array<string, true>
	 */
	private array $denied = array();

	/**
	 * Raw $submenu keys of the items whose children the profile lists, as keys.
	 *
	 * @var array<string, true>
	 */
	private array $managed = array();

	/**
	 * Sets up an applier (boot() does it for the current request).
	 *
	 * @param array<string, mixed> $profile   The profile, decoded as associative arrays.
	 * @param WP_User              $user      The user the admin is built for.
	 * @param bool                 $safe_mode Whether safe mode is on.
	 */
	public function __construct( array $profile, WP_User $user, bool $safe_mode = false ) {
		$this->profile   = $profile;
		$this->user      = $user;
		$this->safe_mode = $safe_mode;
	}

	/**
	 * Entry point (admin_menu, priority PHP_INT_MAX): applies the active profile to the
	 * current user, when it restricts them. Never in admin-ajax.php, where the only menu
	 * built is the inventory's snapshot of the full menu.
	 */
	public static function boot(): void {
		if ( wp_doing_ajax() ) {
			return;
		}
		$profile = Menu_Profile_Store::active_profile();
		if ( null === $profile ) {
			return;
		}
		$applier = new self( $profile, wp_get_current_user(), self::safe_mode() );
		if ( ! $applier->restricts() ) {
			return;
		}
		self::$active = $applier;
		$applier->rewrite_menu();
		$applier->add_hooks();
	}

	/**
	 * The applier booted in this request, if any.
	 */
	public static function active(): ?self {
		return self::$active;
	}

	/**
	 * Whether safe mode is on: `define( 'HANDOFF_SAFE_MODE', true );` in wp-config.php
	 * turns every restriction off, for everyone.
	 */
	public static function safe_mode(): bool {
		return defined( 'HANDOFF_SAFE_MODE' ) && (bool) constant( 'HANDOFF_SAFE_MODE' );
	}

	/**
	 * Whether the profile restricts this user (never in safe mode).
	 */
	public function restricts(): bool {
		return ! $this->safe_mode && Menu_Profile_Targets::restricts( $this->profile, $this->user );
	}

	/**
	 * Hooks the rest of the work, for a restricted user.
	 */
	public function add_hooks(): void {
		foreach ( $this->hooks() as $hook ) {
			add_filter( $hook[0], $hook[1], $hook[2] );
		}
	}

	/**
	 * Unhooks what add_hooks() hooked.
	 */
	public function remove_hooks(): void {
		foreach ( $this->hooks() as $hook ) {
			remove_filter( $hook[0], $hook[1], $hook[2] );
		}
		if ( self::$active === $this ) {
			self::$active = null;
		}
	}

	/**
	 * The hooks of a restricted user's request: name, callback, priority.
	 *
	 * @return array<int, array{0: string, 1: callable, 2: int}>
	 */
	private function hooks(): array {
		return array(
			array( 'menu_order', array( $this, 'keep_menu_order' ), PHP_INT_MAX ),
			array( 'current_screen', array( $this, 'refuse_denied_screen' ), PHP_INT_MIN ),
			array( 'admin_head', array( $this, 'drop_hidden_items' ), PHP_INT_MAX ),
			array( 'admin_bar_menu', array( $this, 'edit_admin_bar' ), PHP_INT_MAX ),
			array( 'wp_dashboard_setup', array( $this, 'edit_dashboard' ), PHP_INT_MAX ),
			array( 'in_admin_header', array( $this, 'hide_notices' ), PHP_INT_MAX ),
			array( 'admin_footer', array( $this, 'print_new_tab_script' ), 10 ),
		);
	}

	/**
	 * Rewrites the global $menu and $submenu for the profile: top-level items in the
	 * profile's order, then the items it does not name (in the site's order); custom
	 * links after the item they name; titles, icons and children as listed; separators
	 * dropped. Every entry is marked with its state (see STATE) and the denied slugs are
	 * remembered.
	 */
	public function rewrite_menu(): void {
		// phpcs:ignore Squiz.PHP.GlobalKeyword -- wp-admin keeps its menu in these globals.
		global $menu, $submenu;
		$menu    = is_array( $menu ) ? $menu : array();
		$submenu = is_array( $submenu ) ? $submenu : array();

		$site = $menu;
		uksort( $site, 'strnatcasecmp' );
		$by_slug = array();
		foreach ( $site as $item ) {
			if ( is_array( $item ) && isset( $item[2] ) && ! self::is_separator( $item ) ) {
				$by_slug[ self::slug( $item[2] ) ][] = $item;
			}
		}

		$ordered = array();
		$named   = array();
		foreach ( $this->list_of( $this->profile['menu'] ?? array() ) as $entry ) {
			$slug = (string) ( $entry['slug'] ?? '' );
			if ( isset( $named[ $slug ] ) ) {
				continue;
			}
			$named[ $slug ] = true;
			foreach ( $by_slug[ $slug ] ?? array() as $item ) {
				$ordered[] = $this->top_item( $item, (string) ( $entry['state'] ?? 'visible' ), $entry );
			}
		}
		foreach ( $by_slug as $slug => $items ) {
			if ( ! isset( $named[ $slug ] ) ) {
				foreach ( $items as $item ) {
					$ordered[] = $this->top_item( $item, self::HANDBOOK_SLUG === (string) $slug ? 'visible' : $this->unknown_state(), null );
				}
			}
		}

		$links  = $this->list_of( $this->profile['custom_links'] ?? array() );
		$placed = array();
		$seen   = array();
		$menu   = array();
		foreach ( $ordered as $item ) {
			$menu[] = $item;
			$slug   = self::slug( $item[2] );
			if ( isset( $seen[ $slug ] ) ) {
				continue;
			}
			$seen[ $slug ] = true;
			foreach ( $links as $index => $link ) {
				if ( ! isset( $placed[ $index ] ) && ( $link['after'] ?? null ) === $slug ) {
					$menu[]           = $this->link_item( $link, $index );
					$placed[ $index ] = true;
				}
			}
		}
		foreach ( $links as $index => $link ) {
			if ( ! isset( $placed[ $index ] ) ) {
				$menu[] = $this->link_item( $link, $index );
			}
		}
	}

	/**
	 * Keeps the profile's order when a plugin turns on `custom_menu_order` (menu_order).
	 *
	 * @param mixed $order Slugs in the order another plugin wants.
	 * @return string[]
	 */
	public function keep_menu_order( $order ) {
		$slugs = array();
		foreach ( (array) ( $GLOBALS['menu'] ?? array() ) as $item ) {
			if ( is_array( $item ) && isset( $item[2] ) ) {
				$slugs[] = (string) $item[2];
			}
		}
		return $slugs ? $slugs : (array) $order;
	}

	/**
	 * Takes hidden and denied entries out of $menu and $submenu just before the menu is
	 * printed (admin_head): what is left is what the user sees. An item shows its submenu
	 * only when it is shown itself; entries added after rewrite_menu() follow
	 * `unknown_items`.
	 */
	public function drop_hidden_items(): void {
		// phpcs:ignore Squiz.PHP.GlobalKeyword -- wp-admin keeps its menu in these globals.
		global $menu, $submenu;
		$submenu = is_array( $submenu ) ? $submenu : array();
		$unknown = 'show' === ( $this->profile['unknown_items'] ?? 'hide' ) ? 'visible' : 'hidden';
		$kept    = array();
		foreach ( is_array( $menu ) ? $menu : array() as $item ) {
			if ( ! is_array( $item ) || ! isset( $item[2] ) ) {
				continue;
			}
			$parent = (string) $item[2];
			$state  = $item[ self::STATE ] ?? ( self::is_separator( $item ) ? 'hidden' : ( self::HANDBOOK_SLUG === $parent ? 'visible' : $unknown ) );
			unset( $item[ self::STATE ] );
			if ( 'visible' !== $state ) {
				unset( $submenu[ $parent ] );
				continue;
			}
			if ( isset( $submenu[ $parent ] ) ) {
				$children = array();
				foreach ( (array) $submenu[ $parent ] as $child ) {
					if ( ! is_array( $child ) || ! isset( $child[2] ) ) {
						continue;
					}
					$child_state = $child[ self::STATE ] ?? ( isset( $this->managed[ $parent ] ) ? $unknown : 'visible' );
					unset( $child[ self::STATE ] );
					if ( 'visible' === $child_state ) {
						$children[] = $child;
					}
				}
				// As wp-admin does: a single submenu item leading where its parent leads is not shown.
				if ( 1 === count( $children ) && (string) $children[0][2] === $parent ) {
					$children = array();
				}
				if ( $children ) {
					$submenu[ $parent ] = $children;
				} else {
					unset( $submenu[ $parent ] );
				}
			}
			$item[4] = trim( (string) preg_replace( '/\s*\bmenu-top-(first|last)\b/', '', (string) ( $item[4] ?? '' ) ) );
			$kept[]  = $item;
		}
		if ( $kept ) {
			$last             = count( $kept ) - 1;
			$kept[0][4]       = trim( $kept[0][4] . ' menu-top-first' );
			$kept[ $last ][4] = trim( $kept[ $last ][4] . ' menu-top-last' );
		}
		$menu = $kept;
	}

	/**
	 * Refuses a denied screen (current_screen, first): plugin pages by their page name,
	 * core screens by file and query (post type, taxonomy).
	 *
	 * @param mixed $screen The screen being loaded.
	 */
	public function refuse_denied_screen( $screen ): void {
		global $pagenow, $plugin_page;
		if ( ! $this->denied ) {
			return;
		}
		$post_type = $screen instanceof WP_Screen ? (string) $screen->post_type : '';
		$taxonomy  = $screen instanceof WP_Screen ? (string) $screen->taxonomy : '';
		if ( $this->is_denied( (string) $pagenow, is_string( $plugin_page ) ? $plugin_page : '', self::query(), $post_type, $taxonomy ) ) {
			$this->refuse();
		}
	}

	/**
	 * Whether a request opens a denied screen.
	 *
	 * @param string                $pagenow     The wp-admin file (edit.php, admin.php, …).
	 * @param string                $plugin_page The plugin page (the `page` query argument), or ''.
	 * @param array<string, string> $query       The query arguments.
	 * @param string                $post_type   The screen's post type ('' when none).
	 * @param string                $taxonomy    The screen's taxonomy ('' when none).
	 */
	public function is_denied( string $pagenow, string $plugin_page, array $query, string $post_type = '', string $taxonomy = '' ): bool {
		if ( '' !== $plugin_page ) {
			foreach ( array_keys( $this->denied ) as $slug ) {
				$slug = (string) $slug;
				if ( $slug === $plugin_page ) {
					return true;
				}
				list( $file, $args ) = self::split( $slug );
				if ( isset( $args['page'] ) && $args['page'] === $plugin_page && in_array( $file, array( $pagenow, 'admin.php' ), true ) ) {
					return true;
				}
			}
			return false;
		}

		$mapped = true;
		if ( 'post.php' === $pagenow ) {
			$file = 'attachment' === $post_type ? 'upload.php' : 'edit.php';
		} elseif ( isset( self::RELATED_SCREENS[ $pagenow ] ) ) {
			$file = self::RELATED_SCREENS[ $pagenow ];
		} else {
			$file   = $pagenow;
			$mapped = false;
		}
		foreach ( array_keys( $this->denied ) as $slug ) {
			list( $slug_file, $args ) = self::split( (string) $slug );
			if ( $slug_file === $file && ! isset( $args['page'] ) && self::args_match( $file, $args, $query, $post_type, $taxonomy, $mapped ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The denied slugs (entities decoded).
	 *
	 * @return string[]
	 */
	public function denied_slugs(): array {
		return array_map( 'strval', array_keys( $this->denied ) );
	}

	/**
	 * The 403 page's content: what happened, the way back, and whom to ask.
	 */
	public function refusal_html(): string {
		return '<h1>' . esc_html__( 'This screen is not available', 'handoff-companion' ) . '</h1>'
			. '<p>' . esc_html__( "This screen is not part of your site's simplified menu.", 'handoff-companion' ) . '</p>'
			. '<p><a href="' . esc_url( admin_url() ) . '">' . esc_html__( 'Go to the dashboard', 'handoff-companion' ) . '</a></p>'
			. $this->contacts_html( __( 'If you need it, ask:', 'handoff-companion' ) );
	}

	/**
	 * Removes the profile's admin-bar nodes, and the updates counter when update nags are
	 * hidden (admin_bar_menu, last).
	 *
	 * @param mixed $admin_bar The admin bar.
	 */
	public function edit_admin_bar( $admin_bar ): void {
		if ( ! $admin_bar instanceof WP_Admin_Bar ) {
			return;
		}
		$remove = $this->strings( $this->profile['admin_bar']['remove'] ?? array() );
		if ( $this->hides_update_nags() ) {
			$remove[] = 'updates';
		}
		foreach ( $remove as $node ) {
			$admin_bar->remove_node( $node );
		}
	}

	/**
	 * Removes the profile's dashboard widgets and puts "Start here" first
	 * (wp_dashboard_setup, last).
	 */
	public function edit_dashboard(): void {
		$dashboard = is_array( $this->profile['dashboard'] ?? null ) ? $this->profile['dashboard'] : array();
		foreach ( $this->strings( $dashboard['remove_widgets'] ?? array() ) as $widget ) {
			foreach ( self::DASHBOARD_CONTEXTS as $context ) {
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
		echo $this->contacts_html( '' ); // Built from escaped parts.
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
	 * Makes the custom links marked `new_tab` open in a new tab (admin_footer).
	 */
	public function print_new_tab_script(): void {
		foreach ( $this->list_of( $this->profile['custom_links'] ?? array() ) as $link ) {
			if ( ! empty( $link['new_tab'] ) ) {
				wp_print_inline_script_tag(
					'document.querySelectorAll("#adminmenu a.' . self::NEW_TAB_CLASS . '").forEach(function(a){a.target="_blank";a.rel="noopener noreferrer";});'
				);
				return;
			}
		}
	}

	/**
	 * A top-level entry with the profile's title and icon, its children as listed, and
	 * its state; records the denied slugs it brings.
	 *
	 * @param array<int|string, mixed>  $item  A $menu entry.
	 * @param string                    $state visible, hidden or denied.
	 * @param array<string, mixed>|null $entry The profile's item, or null for an unnamed one.
	 * @return array<int|string, mixed>
	 */
	private function top_item( array $item, string $state, ?array $entry ): array {
		global $submenu;
		$slug  = self::slug( $item[2] );
		$state = self::allowed_state( $slug, $state );
		if ( $entry && isset( $entry['title'] ) && is_string( $entry['title'] ) ) {
			$item[0] = esc_html( $entry['title'] ) . self::badge( $item[0] ?? '' );
		}
		if ( $entry && isset( $entry['icon'] ) && is_string( $entry['icon'] ) && '' !== $entry['icon'] ) {
			$item[6] = $entry['icon'];
		}
		$item[0] = $this->without_update_count( $item[0] ?? '' );

		$parent = (string) $item[2];
		if ( isset( $submenu[ $parent ] ) && is_array( $submenu[ $parent ] ) ) {
			if ( $entry && isset( $entry['children'] ) && is_array( $entry['children'] ) ) {
				$submenu[ $parent ]       = $this->children( $submenu[ $parent ], $entry );
				$this->managed[ $parent ] = true;
			}
			foreach ( $submenu[ $parent ] as $position => $child ) {
				if ( ! is_array( $child ) || ! isset( $child[2] ) ) {
					continue;
				}
				$submenu[ $parent ][ $position ][0] = $this->without_update_count( $child[0] ?? '' );
				if ( 'denied' === $state || 'denied' === ( $child[ self::STATE ] ?? '' ) ) {
					$this->deny( self::slug( $child[2] ) );
				}
			}
		}
		if ( 'denied' === $state ) {
			$this->deny( $slug );
		}
		$item[ self::STATE ] = $state;
		return $item;
	}

	/**
	 * A submenu as the profile lists it: its children first (in the profile's order, or
	 * the site's with `children_order: site`), then the others, which follow
	 * `unknown_items`; titles applied and every entry marked with its state.
	 *
	 * @param array<int|string, mixed> $children The $submenu entries of the item.
	 * @param array<string, mixed>     $entry    The profile's item.
	 * @return array<int, array<int|string, mixed>>
	 */
	private function children( array $children, array $entry ): array {
		$listed = array();
		foreach ( $this->list_of( $entry['children'] ) as $rank => $child ) {
			$slug = (string) ( $child['slug'] ?? '' );
			if ( ! isset( $listed[ $slug ] ) ) {
				$listed[ $slug ] = array( $rank, $child );
			}
		}
		$ranked = array();
		foreach ( array_values( $children ) as $sequence => $sub ) {
			if ( ! is_array( $sub ) || ! isset( $sub[2] ) ) {
				continue;
			}
			$slug = self::slug( $sub[2] );
			if ( isset( $listed[ $slug ] ) ) {
				list( $rank, $child ) = $listed[ $slug ];
				if ( isset( $child['title'] ) && is_string( $child['title'] ) ) {
					$sub[0] = esc_html( $child['title'] ) . self::badge( $sub[0] ?? '' );
				}
				$sub[ self::STATE ] = self::allowed_state( $slug, (string) ( $child['state'] ?? 'visible' ) );
			} else {
				$rank               = PHP_INT_MAX;
				$sub[ self::STATE ] = self::allowed_state( $slug, $this->unknown_state() );
			}
			$ranked[] = array( $rank, $sequence, $sub );
		}
		if ( 'site' !== ( $entry['children_order'] ?? 'profile' ) ) {
			usort(
				$ranked,
				static function ( $a, $b ) {
					return array( $a[0], $a[1] ) <=> array( $b[0], $b[1] );
				}
			);
		}
		return array_column( $ranked, 2 );
	}

	/**
	 * A custom link as a top-level entry. Its slug is the escaped URL, which wp-admin
	 * prints as the link; a path on the site becomes a URL under home_url().
	 *
	 * @param array<string, mixed> $link  The profile's link.
	 * @param int                  $index Its position in custom_links.
	 * @return array<int|string, mixed>
	 */
	private function link_item( array $link, int $index ): array {
		$url   = (string) ( $link['url'] ?? '' );
		$url   = 0 === strpos( $url, '/' ) ? home_url( $url ) : $url;
		$label = esc_html( (string) ( $link['label'] ?? '' ) );
		$icon  = isset( $link['icon'] ) && is_string( $link['icon'] ) && '' !== $link['icon'] ? $link['icon'] : self::DEFAULT_LINK_ICON;
		return array(
			0           => $label,
			1           => 'read',
			2           => esc_url( $url ),
			3           => $label,
			4           => 'menu-top ' . self::LINK_CLASS . ( empty( $link['new_tab'] ) ? '' : ' ' . self::NEW_TAB_CLASS ),
			5           => self::LINK_CLASS . '-' . $index,
			6           => $icon,
			self::STATE => 'visible',
		);
	}

	/**
	 * Sends the 403 page and stops.
	 */
	private function refuse(): void {
		wp_die(
			$this->refusal_html(), // Built from escaped parts.
			esc_html__( 'Not part of your menu', 'handoff-companion' ),
			array(
				'response'  => 403,
				'back_link' => false,
			)
		);
	}

	/**
	 * The Start here contacts as an HTML list, every part escaped; '' when there are none.
	 *
	 * @param string $intro A sentence before the list ('' for none).
	 */
	private function contacts_html( string $intro ): string {
		$contacts = $this->list_of( $this->profile['dashboard']['start_here']['contacts'] ?? array() );
		if ( ! $contacts ) {
			return '';
		}
		$html = '' === $intro ? '' : '<p>' . esc_html( $intro ) . '</p>';
		$html .= '<ul class="handoff-contacts">';
		foreach ( $contacts as $contact ) {
			$who = '<strong>' . esc_html( (string) ( $contact['name'] ?? '' ) ) . '</strong>';
			if ( ! empty( $contact['role'] ) ) {
				$who .= ' (' . esc_html( (string) $contact['role'] ) . ')';
			}
			$parts = array( $who );
			if ( ! empty( $contact['email'] ) ) {
				$email   = (string) $contact['email'];
				$parts[] = '<a href="' . esc_url( 'mailto:' . $email ) . '">' . esc_html( $email ) . '</a>';
			}
			if ( ! empty( $contact['phone'] ) ) {
				$phone   = (string) $contact['phone'];
				$parts[] = '<a href="' . esc_url( 'tel:' . preg_replace( '/[^0-9+]/', '', $phone ) ) . '">' . esc_html( $phone ) . '</a>';
			}
			$html .= '<li>' . implode( ' &middot; ', $parts ) . '</li>';
		}
		return $html . '</ul>';
	}

	/**
	 * Records a denied slug (never index.php, profile.php or the Site Handbook).
	 *
	 * @param string $slug A slug, entities decoded.
	 */
	private function deny( string $slug ): void {
		if ( ! self::never_denied( $slug ) ) {
			$this->denied[ $slug ] = true;
		}
	}

	/**
	 * The state an item may have: index.php, profile.php and the Site Handbook are
	 * hidden at most.
	 *
	 * @param string $slug  The slug, entities decoded.
	 * @param string $state The state asked for.
	 */
	private static function allowed_state( string $slug, string $state ): string {
		if ( ! in_array( $state, array( 'visible', 'hidden', 'denied' ), true ) ) {
			return 'hidden';
		}
		return 'denied' === $state && self::never_denied( $slug ) ? 'hidden' : $state;
	}

	/**
	 * Whether a slug may never be denied.
	 *
	 * @param string $slug A slug, entities decoded.
	 */
	private static function never_denied( string $slug ): bool {
		return self::HANDBOOK_SLUG === $slug || in_array( $slug, Menu_Profile_Validator::NEVER_DENIED, true );
	}

	/**
	 * The state of the items the profile does not name.
	 */
	private function unknown_state(): string {
		$states = array(
			'show' => 'visible',
			'hide' => 'hidden',
			'deny' => 'denied',
		);
		return $states[ $this->profile['unknown_items'] ?? 'hide' ] ?? 'hidden';
	}

	/**
	 * Whether update nags are hidden (the default).
	 */
	private function hides_update_nags(): bool {
		return false !== ( $this->profile['notices']['hide_update_nags'] ?? true );
	}

	/**
	 * A menu title without its plugin / theme / core update counter, when update nags
	 * are hidden.
	 *
	 * @param mixed $title A menu title (HTML).
	 */
	private function without_update_count( $title ): string {
		$title = (string) $title;
		if ( ! $this->hides_update_nags() ) {
			return $title;
		}
		return (string) preg_replace( '#\s*<span\b[^>]*\bclass=(["\'])[^"\']*\bupdate-plugins\b.*$#is', '', $title );
	}

	/**
	 * The counter or badge at the end of a wp-admin title (`<span …>3</span>`), kept when
	 * the profile gives the item another title; '' when there is none.
	 *
	 * @param mixed $title A menu title (HTML).
	 */
	private static function badge( $title ): string {
		$title    = (string) $title;
		$position = stripos( $title, '<span' );
		return false === $position ? '' : ' ' . substr( $title, $position );
	}

	/**
	 * Whether the request's query matches a denied slug's arguments. edit.php and
	 * post-new.php compare post types (none means `post`), edit-tags.php taxonomies;
	 * customize.php's `return` is ignored; other arguments must be equal. A screen mapped
	 * to a menu item (post.php, term.php, …) matches only slugs without other arguments.
	 *
	 * @param string                $file      The slug's file.
	 * @param array<string, mixed>  $args      The slug's query arguments.
	 * @param array<string, string> $query     The request's query arguments.
	 * @param string                $post_type The screen's post type.
	 * @param string                $taxonomy  The screen's taxonomy.
	 * @param bool                  $mapped    Whether the screen was mapped to $file.
	 */
	private static function args_match( string $file, array $args, array $query, string $post_type, string $taxonomy, bool $mapped ): bool {
		if ( in_array( $file, array( 'edit.php', 'post-new.php' ), true ) ) {
			if ( ( $args['post_type'] ?? 'post' ) !== ( '' === $post_type ? 'post' : $post_type ) ) {
				return false;
			}
			unset( $args['post_type'] );
		}
		if ( 'edit-tags.php' === $file ) {
			if ( isset( $args['taxonomy'] ) && $args['taxonomy'] !== $taxonomy ) {
				return false;
			}
			unset( $args['taxonomy'], $args['post_type'] );
		}
		unset( $args['return'] );
		if ( $mapped ) {
			return ! $args;
		}
		foreach ( $args as $name => $value ) {
			if ( ! is_string( $value ) || ! isset( $query[ $name ] ) || $query[ $name ] !== $value ) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The request's query arguments that are strings, unslashed.
	 *
	 * @return array<string, string>
	 */
	private static function query(): array {
		$query = array();
		// phpcs:ignore WordPress.Security.NonceVerification -- read only, to identify the screen.
		foreach ( wp_unslash( $_GET ) as $name => $value ) {
			if ( is_string( $value ) ) {
				$query[ (string) $name ] = $value;
			}
		}
		return $query;
	}

	/**
	 * A slug's file and query arguments.
	 *
	 * @param string $slug A slug, entities decoded.
	 * @return array{0: string, 1: array<string, mixed>}
	 */
	private static function split( string $slug ): array {
		$parts = explode( '?', $slug, 2 );
		$args  = array();
		if ( isset( $parts[1] ) ) {
			wp_parse_str( $parts[1], $args );
		}
		return array( $parts[0], $args );
	}

	/**
	 * A menu slug as the profile writes it: HTML entities decoded (`&amp;` → `&`).
	 *
	 * @param mixed $slug A slug from $menu or $submenu.
	 */
	private static function slug( $slug ): string {
		return html_entity_decode( (string) $slug, ENT_QUOTES, 'UTF-8' );
	}

	/**
	 * Whether a $menu entry is a separator.
	 *
	 * @param array<int|string, mixed> $item A $menu entry.
	 */
	private static function is_separator( array $item ): bool {
		return 0 === strpos( (string) $item[2], 'separator' ) || false !== strpos( (string) ( $item[4] ?? '' ), 'wp-menu-separator' );
	}

	/**
	 * The items of a decoded list that are objects.
	 *
	 * @param mixed $list A decoded JSON list.
	 * @return array<int, array<string, mixed>>
	 */
	private function list_of( $list ): array {
		return is_array( $list ) ? array_values( array_filter( $list, 'is_array' ) ) : array();
	}

	/**
	 * The strings of a decoded list.
	 *
	 * @param mixed $list A decoded JSON list.
	 * @return string[]
	 */
	private function strings( $list ): array {
		return is_array( $list ) ? array_values( array_filter( $list, 'is_string' ) ) : array();
	}
}
