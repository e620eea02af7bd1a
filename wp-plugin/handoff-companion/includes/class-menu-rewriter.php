<?php
/**
 * The restricted user's wp-admin menu, rewritten from the profile.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

defined( 'ABSPATH' ) || exit;

/**
 * Rewrites the global $menu and $submenu for the profile (Menu_Applier calls it at
 * `admin_menu`, last): order, titles, icons, custom links, no separators. Hidden and
 * denied items stay in place (marked with STATE) until `admin_head`, just before the menu
 * is printed, so that WordPress still finds a hidden page's parent and title when it is
 * opened by URL; drop_hidden_items() takes them out then. Records the denied slugs.
 */
final class Menu_Rewriter {

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
	 * Icon of a custom link that names none.
	 */
	public const DEFAULT_LINK_ICON = 'dashicons-admin-links';

	/**
	 * The Site Handbook's top-level slug.
	 */
	public const HANDBOOK_SLUG = Menu_Item_States::HANDBOOK_SLUG;

	/**
	 * The profile, decoded as associative arrays.
	 *
	 * @var array<string, mixed>
	 */
	private array $profile;

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
	 * Sets up the rewriter.
	 *
	 * @param array<string, mixed> $profile The profile, decoded as associative arrays.
	 */
	public function __construct( array $profile ) {
		$this->profile = $profile;
	}

	/**
	 * The denied slugs recorded by rewrite_menu(), as keys.
	 *
	 * @return array<string, true>
	 */
	public function denied(): array {
		return $this->denied;
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
					$ordered[] = $this->top_item( $item, Menu_Item_States::unnamed_top_state( $this->profile, (string) $slug ), null );
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
			$state  = $item[ self::STATE ] ?? ( self::is_separator( $item ) ? 'hidden' : self::shown_or_hidden( Menu_Item_States::unnamed_top_state( $this->profile, self::slug( $parent ) ) ) );
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
	 * Records a denied slug (never index.php, profile.php or the Site Handbook).
	 *
	 * @param string $slug A slug, entities decoded.
	 */
	private function deny( string $slug ): void {
		if ( ! Menu_Item_States::never_denied( $slug ) ) {
			$this->denied[ $slug ] = true;
		}
	}

	/**
	 * The state an item may have (Menu_Item_States::allowed_state()).
	 *
	 * @param string $slug  The slug, entities decoded.
	 * @param string $state The state asked for.
	 */
	private static function allowed_state( string $slug, string $state ): string {
		return Menu_Item_States::allowed_state( $slug, $state );
	}

	/**
	 * An entry added after rewrite_menu() is shown or hidden (its screen guard decides
	 * about denial): visible stays visible, anything else is hidden.
	 *
	 * @param string $state A state.
	 */
	private static function shown_or_hidden( string $state ): string {
		return 'visible' === $state ? 'visible' : 'hidden';
	}

	/**
	 * The state of the items the profile does not name.
	 */
	private function unknown_state(): string {
		return Menu_Item_States::unknown_state( $this->profile );
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
}
