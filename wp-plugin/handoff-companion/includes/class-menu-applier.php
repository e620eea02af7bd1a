<?php
/**
 * Applies the menu profile in wp-admin.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

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
 * - refuses a denied screen (Menu_Screen_Guard, Menu_Door_Table) with a 403 page naming
 *   the developer's contacts (Menu_Refusal_Page): at once, at the end of `admin_menu` —
 *   before any `admin_init` handler of the screen — and again at `admin_init` (first) and
 *   `current_screen`;
 * - removes links to denied screens and the profile's admin-bar nodes (Menu_Dead_Links),
 *   dashboard widgets, adds the "Start here" panel, and hides update nags or every admin
 *   notice (Menu_Dashboard).
 *
 * The other doors (REST, admin-ajax, admin-post, XML-RPC) are Menu_Capability_Guard's.
 *
 * Capabilities still apply (WordPress removes what the user cannot open after
 * `admin_menu`), and nothing is ever written on a page view.
 */
final class Menu_Applier {

	/**
	 * Key added to $menu / $submenu entries until the menu is printed: the item's state.
	 */
	public const STATE = Menu_Rewriter::STATE;

	/**
	 * Class of the custom links' menu entries.
	 */
	public const LINK_CLASS = Menu_Rewriter::LINK_CLASS;

	/**
	 * Class of the custom links that open in a new tab.
	 */
	public const NEW_TAB_CLASS = Menu_Rewriter::NEW_TAB_CLASS;

	/**
	 * ID of the "Start here" dashboard widget.
	 */
	public const START_HERE_WIDGET = Menu_Dashboard::START_HERE_WIDGET;

	/**
	 * Icon of a custom link that names none.
	 */
	public const DEFAULT_LINK_ICON = Menu_Rewriter::DEFAULT_LINK_ICON;

	/**
	 * The Site Handbook's top-level slug: never denied, and shown whatever
	 * `unknown_items` says, unless the profile names it with the state `hidden`.
	 */
	public const HANDBOOK_SLUG = Menu_Item_States::HANDBOOK_SLUG;

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
	 * The menu's rewriter.
	 *
	 * @var Menu_Rewriter
	 */
	private Menu_Rewriter $rewriter;

	/**
	 * The dashboard and notices' changes.
	 *
	 * @var Menu_Dashboard
	 */
	private Menu_Dashboard $dashboard;

	/**
	 * The link remover, once the denied screens are known.
	 *
	 * @var Menu_Dead_Links|null
	 */
	private ?Menu_Dead_Links $links = null;

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
		$this->dashboard = new Menu_Dashboard( $profile );
		$this->rewriter  = new Menu_Rewriter( $profile );
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
		$applier->refuse_denied_screen( null );
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
		$this->links()->add_hooks();
	}

	/**
	 * Unhooks what add_hooks() hooked.
	 */
	public function remove_hooks(): void {
		foreach ( $this->hooks() as $hook ) {
			remove_filter( $hook[0], $hook[1], $hook[2] );
		}
		$this->links()->remove_hooks();
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
			array( 'menu_order', array( $this->rewriter, 'keep_menu_order' ), PHP_INT_MAX ),
			array( 'admin_init', array( $this, 'refuse_denied_screen' ), PHP_INT_MIN ),
			array( 'current_screen', array( $this, 'refuse_denied_screen' ), PHP_INT_MIN ),
			array( 'admin_head', array( $this->rewriter, 'drop_hidden_items' ), PHP_INT_MAX ),
			array( 'admin_bar_menu', array( $this, 'edit_admin_bar' ), PHP_INT_MAX ),
			array( 'wp_dashboard_setup', array( $this->dashboard, 'edit_dashboard' ), PHP_INT_MAX ),
			array( 'in_admin_header', array( $this->dashboard, 'hide_notices' ), PHP_INT_MAX ),
			array( 'admin_footer', array( $this->rewriter, 'print_new_tab_script' ), 10 ),
		);
	}

	/**
	 * Rewrites the global $menu and $submenu (Menu_Rewriter) and records the denied slugs.
	 */
	public function rewrite_menu(): void {
		$this->rewriter->rewrite_menu();
		$this->denied = $this->rewriter->denied();
	}

	/**
	 * Takes hidden and denied entries out of the menu globals (admin_head).
	 */
	public function drop_hidden_items(): void {
		$this->rewriter->drop_hidden_items();
	}

	/**
	 * The rewriter (custom links' script, the menu order).
	 */
	public function rewriter(): Menu_Rewriter {
		return $this->rewriter;
	}

	/**
	 * Refuses a denied screen: at the end of boot(), at admin_init (first) and at
	 * current_screen (first). Plugin pages by their page name, core screens through the
	 * door table (post type, post, revision, taxonomy, settings group).
	 *
	 * @param mixed $screen The screen being loaded (current_screen), or nothing.
	 */
	public function refuse_denied_screen( $screen = null ): void {
		global $pagenow, $plugin_page;
		if ( ! $this->denied ) {
			return;
		}
		$post_type = $screen instanceof WP_Screen ? (string) $screen->post_type : '';
		$taxonomy  = $screen instanceof WP_Screen ? (string) $screen->taxonomy : '';
		if ( $this->is_denied( (string) $pagenow, is_string( $plugin_page ) ? $plugin_page : '', Menu_Screen_Guard::request(), $post_type, $taxonomy ) ) {
			Menu_Refusal_Page::refuse( $this->profile );
		}
	}

	/**
	 * Whether a request opens a denied screen (Menu_Screen_Guard::is_denied()).
	 *
	 * @param string                $pagenow     The wp-admin file (edit.php, admin.php, …).
	 * @param string                $plugin_page The plugin page (the `page` query argument), or ''.
	 * @param array<string, string> $request     The request's arguments.
	 * @param string                $post_type   The screen's post type ('' when unknown).
	 * @param string                $taxonomy    The screen's taxonomy ('' when unknown).
	 */
	public function is_denied( string $pagenow, string $plugin_page, array $request, string $post_type = '', string $taxonomy = '' ): bool {
		return ( new Menu_Screen_Guard( $this->denied ) )->is_denied( $pagenow, $plugin_page, $request, $post_type, $taxonomy );
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
		return Menu_Refusal_Page::html( $this->profile );
	}

	/**
	 * Edits the admin bar (admin_bar_menu, last): Menu_Dead_Links::edit_admin_bar().
	 *
	 * @param mixed $admin_bar The admin bar.
	 */
	public function edit_admin_bar( $admin_bar ): void {
		$this->links()->edit_admin_bar( $admin_bar );
	}

	/**
	 * The dashboard and notices' changes.
	 */
	public function dashboard(): Menu_Dashboard {
		return $this->dashboard;
	}

	/**
	 * The link remover for the denied screens known now.
	 */
	private function links(): Menu_Dead_Links {
		if ( null === $this->links ) {
			$this->links = new Menu_Dead_Links( $this->profile, new Menu_Screen_Guard( $this->denied ) );
		}
		return $this->links;
	}

}
