<?php
/**
 * The health answer (`GET /health`, `handoff.health`): the facts the handover checklist
 * checks.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use stdClass;
use WP_Application_Passwords;
use WP_Theme;
use WP_User;

defined( 'ABSPATH' ) || exit;

/**
 * Builds `{"generated_at", "facts"}` as docs/handover.md describes it. Reads only: update
 * checks come from their transients and are never triggered, Site Health tests run with
 * writes dropped and other hosts unreachable (Health_Site_Tests). Never contains null, so
 * the document crosses XML-RPC unchanged; secrets (salts, passwords, e-mail addresses of
 * users) never leave the site — only names and domains.
 */
final class Health {

	/**
	 * How many users `users` lists at most (by ID).
	 */
	public const USER_LIMIT = 200;

	/**
	 * The secret keys and salts of wp-config.php.
	 */
	public const SALTS = array( 'AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT' );

	/**
	 * The text wp-config-sample.php puts in every salt.
	 */
	public const SALT_PLACEHOLDER = 'put your unique phrase here';

	/**
	 * Roles that are not listed in `users`: a site's visitors and shoppers.
	 */
	private const VISITOR_ROLES = array( 'subscriber', 'customer' );

	/**
	 * Folders of known backup plugins. `jetpack` is there for its VaultPress Backup,
	 * `jetpack-backup` is that feature as a plugin of its own.
	 */
	public const BACKUP_PLUGINS = array(
		'updraftplus',
		'backwpup',
		'duplicator',
		'duplicator-pro',
		'all-in-one-wp-migration',
		'wpvivid-backuprestore',
		'backupbuddy',
		'blogvault-real-time-backup',
		'jetpack',
		'jetpack-backup',
		'vaultpress',
		'backup-backup',
		'solid-backups',
	);

	/**
	 * The whole answer.
	 *
	 * @return array{generated_at: string, facts: array<string, mixed>}
	 */
	public static function build(): array {
		return array(
			'generated_at' => gmdate( 'Y-m-d\TH:i:s+00:00' ),
			'facts'        => self::facts(),
		);
	}

	/**
	 * Every fact, in the contract's order.
	 *
	 * @return array<string, mixed>
	 */
	public static function facts(): array {
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		$plugins = get_plugins();
		return array(
			'site_health'           => Health_Site_Tests::run(),
			'updates'               => self::updates( $plugins ),
			'inactive_plugins'      => self::inactive_plugins( $plugins ),
			'inactive_themes'       => self::inactive_themes(),
			'debug'                 => self::debug(),
			'disallow_file_edit'    => self::file_edit_disallowed(),
			'salts'                 => self::salts( self::salt_values() ),
			'users'                 => self::users(),
			'application_passwords' => self::application_passwords(),
			'registration'          => self::registration(),
			'search_engines'        => array(
				'discouraged'      => '0' === (string) get_option( 'blog_public', '1' ),
				'environment_type' => wp_get_environment_type(),
			),
			'permalinks'            => (string) get_option( 'permalink_structure', '' ),
			'title'                 => (string) get_bloginfo( 'name' ),
			'tagline'               => (string) get_bloginfo( 'description' ),
			'site_icon'             => has_site_icon(),
			'sample_content'        => Health_Content_Scan::sample_content(),
			'privacy_policy'        => self::privacy_policy(),
			'timezone'              => self::timezone(),
			'admin_email'           => (string) get_option( 'admin_email', '' ),
			'local_urls'            => Health_Content_Scan::local_urls(),
			'menu_profile'          => self::menu_profile(),
			'handbook'              => self::handbook(),
			'backup_plugins'        => self::backup_plugins( $plugins ),
		);
	}

	/**
	 * Pending updates, from the transients WordPress's last checks left (never a new
	 * check): `core` is the newest WordPress offered ('' when none).
	 *
	 * @param array<string, array<string, string>> $plugins What get_plugins() returned.
	 * @return array{core: string, plugins: array<int, array<string, string>>, themes: array<int, array<string, string>>}
	 */
	private static function updates( array $plugins ): array {
		$core_version = '';
		$core         = get_site_transient( 'update_core' );
		foreach ( isset( $core->updates ) && is_array( $core->updates ) ? $core->updates : array() as $offer ) {
			if ( isset( $offer->response, $offer->current ) && 'upgrade' === $offer->response && version_compare( (string) $offer->current, (string) get_bloginfo( 'version' ), '>' ) ) {
				$core_version = (string) $offer->current;
				break;
			}
		}
		$plugin_updates = array();
		$transient      = get_site_transient( 'update_plugins' );
		foreach ( isset( $transient->response ) && is_array( $transient->response ) ? $transient->response : array() as $file => $offer ) {
			if ( ! isset( $plugins[ $file ] ) || ! isset( $offer->new_version ) ) {
				continue;
			}
			$plugin_updates[] = array(
				'file'        => (string) $file,
				'name'        => self::plugin_name( (string) $file, $plugins[ $file ] ),
				'version'     => (string) $plugins[ $file ]['Version'],
				'new_version' => (string) $offer->new_version,
			);
		}
		$theme_updates = array();
		$transient     = get_site_transient( 'update_themes' );
		foreach ( isset( $transient->response ) && is_array( $transient->response ) ? $transient->response : array() as $stylesheet => $offer ) {
			$theme = wp_get_theme( (string) $stylesheet );
			if ( ! $theme->exists() || ! isset( $offer['new_version'] ) ) {
				continue;
			}
			$theme_updates[] = array(
				'stylesheet'  => (string) $stylesheet,
				'name'        => (string) $theme->get( 'Name' ),
				'version'     => (string) $theme->get( 'Version' ),
				'new_version' => (string) $offer['new_version'],
			);
		}
		return array(
			'core'    => $core_version,
			'plugins' => $plugin_updates,
			'themes'  => $theme_updates,
		);
	}

	/**
	 * Installed plugins that are not active (network-activated ones count as active).
	 *
	 * @param array<string, array<string, string>> $plugins What get_plugins() returned.
	 * @return array<int, array{file: string, name: string}>
	 */
	private static function inactive_plugins( array $plugins ): array {
		$list = array();
		foreach ( $plugins as $file => $data ) {
			if ( ! is_plugin_active( $file ) ) {
				$list[] = array(
					'file' => (string) $file,
					'name' => self::plugin_name( (string) $file, $data ),
				);
			}
		}
		return $list;
	}

	/**
	 * Installed themes that are neither the active theme nor its parent.
	 *
	 * @return array<int, array{stylesheet: string, name: string}>
	 */
	private static function inactive_themes(): array {
		$used = array( get_stylesheet(), get_template() );
		$list = array();
		/**
		 * Each installed theme.
		 *
		 * @var WP_Theme $theme
		 */
		foreach ( wp_get_themes() as $stylesheet => $theme ) {
			if ( ! in_array( (string) $stylesheet, $used, true ) ) {
				$list[] = array(
					'stylesheet' => (string) $stylesheet,
					'name'       => (string) $theme->get( 'Name' ),
				);
			}
		}
		return $list;
	}

	/**
	 * Debug settings as WordPress applies them: `display` and `log` are on only with
	 * WP_DEBUG. `log_file` is where WordPress logs (WP_DEBUG_LOG's path, else
	 * wp-content/debug.log) when logging is on or that file exists — relative to the
	 * WordPress directory when inside it — else ''; `log_file_bytes` its size (0 when absent).
	 *
	 * @return array{wp_debug: bool, display: bool, log: bool, log_file: string, log_file_bytes: int}
	 */
	private static function debug(): array {
		$wp_debug = defined( 'WP_DEBUG' ) && WP_DEBUG;
		$setting  = defined( 'WP_DEBUG_LOG' ) ? constant( 'WP_DEBUG_LOG' ) : false;
		// As wp_debug_mode() reads WP_DEBUG_LOG: true (or "true", "1"), a path, or off.
		$path = '';
		if ( in_array( strtolower( (string) $setting ), array( 'true', '1' ), true ) ) {
			$path = WP_CONTENT_DIR . '/debug.log';
		} elseif ( is_string( $setting ) ) {
			$path = $setting;
		}
		$logging = $wp_debug && '' !== $path;
		$file    = self::log_file( '' === $path ? WP_CONTENT_DIR . '/debug.log' : $path );
		if ( ! $logging && ! $file['exists'] ) {
			$file['path'] = '';
		}
		return array(
			'wp_debug'       => $wp_debug,
			'display'        => $wp_debug && defined( 'WP_DEBUG_DISPLAY' ) && WP_DEBUG_DISPLAY,
			'log'            => $logging,
			'log_file'       => $file['path'],
			'log_file_bytes' => $file['bytes'],
		);
	}

	/**
	 * A log file's path as reported (relative to the WordPress directory when inside it),
	 * whether it exists and its size.
	 *
	 * @param string $path The file's path.
	 * @return array{path: string, exists: bool, bytes: int}
	 */
	public static function log_file( string $path ): array {
		$root = wp_normalize_path( trailingslashit( ABSPATH ) );
		$norm = wp_normalize_path( $path );
		clearstatcache( true, $path );
		$exists = '' !== $path && @is_file( $path ); // phpcs:ignore WordPress.PHP.NoSilencedErrors -- open_basedir may hide the file.
		$bytes  = $exists ? @filesize( $path ) : 0; // phpcs:ignore WordPress.PHP.NoSilencedErrors -- as above.
		return array(
			'path'   => 0 === strpos( $norm, $root ) ? substr( $norm, strlen( $root ) ) : $norm,
			'exists' => $exists,
			'bytes'  => is_int( $bytes ) ? $bytes : 0,
		);
	}

	/**
	 * Whether the theme and plugin editors are off: DISALLOW_FILE_EDIT, or file changes
	 * disallowed altogether (DISALLOW_FILE_MODS), as WordPress decides it.
	 */
	private static function file_edit_disallowed(): bool {
		return ( defined( 'DISALLOW_FILE_EDIT' ) && DISALLOW_FILE_EDIT ) || ! wp_is_file_mod_allowed( 'capability_edit_themes' );
	}

	/**
	 * The salts' values (null for one that is not defined). Stays on the site.
	 *
	 * @return array<string, string|null>
	 */
	private static function salt_values(): array {
		$values = array();
		foreach ( self::SALTS as $name ) {
			$values[ $name ] = defined( $name ) ? (string) constant( $name ) : null;
		}
		return $values;
	}

	/**
	 * Which salts are placeholders, empty (or not defined) or equal to another one: names
	 * only, never values. A name is listed once, under the first that applies.
	 *
	 * @param array<string, string|null> $values Name => value (null: not defined).
	 * @return array{placeholder: string[], duplicates: string[], empty: string[]}
	 */
	public static function salts( array $values ): array {
		// Core's own string (translate(): not one for the plugin's .pot).
		$placeholders = array( self::SALT_PLACEHOLDER, strtolower( trim( translate( 'put your unique phrase here', 'default' ) ) ) );
		$result       = array(
			'placeholder' => array(),
			'duplicates'  => array(),
			'empty'       => array(),
		);
		$seen         = array();
		foreach ( $values as $name => $value ) {
			$value = null === $value ? '' : trim( (string) $value );
			if ( '' === $value ) {
				$result['empty'][] = (string) $name;
			} elseif ( in_array( strtolower( $value ), $placeholders, true ) ) {
				$result['placeholder'][] = (string) $name;
			} else {
				$seen[ $value ][] = (string) $name;
			}
		}
		foreach ( $values as $name => $value ) {
			$value = null === $value ? '' : trim( (string) $value );
			if ( isset( $seen[ $value ] ) && count( $seen[ $value ] ) > 1 ) {
				$result['duplicates'][] = (string) $name;
			}
		}
		return $result;
	}

	/**
	 * Users with a role other than subscriber and customer (the first USER_LIMIT by ID):
	 * login, e-mail domain (never the address), roles, registration date.
	 *
	 * @return array<int, array{login: string, email_domain: string, roles: string[], registered: string}>
	 */
	private static function users(): array {
		$roles = array_values( array_diff( array_keys( wp_roles()->roles ), self::VISITOR_ROLES ) );
		if ( ! $roles ) {
			return array();
		}
		$users = get_users(
			array(
				'role__in'    => $roles,
				'number'      => self::USER_LIMIT,
				'orderby'     => 'ID',
				'order'       => 'ASC',
				'count_total' => false,
			)
		);
		$list  = array();
		foreach ( $users as $user ) {
			$list[] = array(
				'login'        => (string) $user->user_login,
				'email_domain' => self::email_domain( (string) $user->user_email ),
				'roles'        => array_values( array_map( 'strval', (array) $user->roles ) ),
				'registered'   => substr( (string) $user->user_registered, 0, 10 ),
			);
		}
		return $list;
	}

	/**
	 * The domain of an e-mail address, lowercase ('' when there is none).
	 *
	 * @param string $email The address.
	 */
	private static function email_domain( string $email ): string {
		$at = strrpos( $email, '@' );
		return false === $at ? '' : strtolower( substr( $email, $at + 1 ) );
	}

	/**
	 * Every Application Password on the site except the bridge users' (name and dates only).
	 *
	 * @return array<int, array{login: string, name: string, created: int, last_used: int}>
	 */
	private static function application_passwords(): array {
		$users = get_users(
			array(
				'meta_key'     => WP_Application_Passwords::USERMETA_KEY_APPLICATION_PASSWORDS, // phpcs:ignore WordPress.DB.SlowDBQuery -- users holding a password: few.
				'meta_compare' => 'EXISTS',
				'orderby'      => 'ID',
				'order'        => 'ASC',
				'count_total'  => false,
			)
		);
		$list  = array();
		/**
		 * Each user holding Application Passwords.
		 *
		 * @var WP_User $user
		 */
		foreach ( $users as $user ) {
			if ( in_array( Capabilities::BRIDGE_ROLE, (array) $user->roles, true ) ) {
				continue;
			}
			foreach ( WP_Application_Passwords::get_user_application_passwords( $user->ID ) as $item ) {
				$list[] = array(
					'login'     => (string) $user->user_login,
					'name'      => (string) ( $item['name'] ?? '' ),
					'created'   => (int) ( $item['created'] ?? 0 ),
					'last_used' => (int) ( $item['last_used'] ?? 0 ),
				);
			}
		}
		return $list;
	}

	/**
	 * Whether anyone may register, and the role they get.
	 *
	 * @return array{open: bool, default_role: string}
	 */
	private static function registration(): array {
		$open = is_multisite()
			? in_array( get_site_option( 'registration', 'none' ), array( 'user', 'all' ), true )
			: (bool) get_option( 'users_can_register', false );
		return array(
			'open'         => $open,
			'default_role' => (string) get_option( 'default_role', 'subscriber' ),
		);
	}

	/**
	 * The privacy policy page chosen in Settings → Privacy (0: none) and whether it is published.
	 *
	 * @return array{page_id: int, published: bool}
	 */
	private static function privacy_policy(): array {
		$page_id = (int) get_option( 'wp_page_for_privacy_policy', 0 );
		return array(
			'page_id'   => $page_id,
			'published' => $page_id > 0 && 'publish' === get_post_status( $page_id ),
		);
	}

	/**
	 * The timezone setting: a city ('' when an offset is set instead) and the UTC offset
	 * in hours (an integer when whole).
	 *
	 * @return array{string: string, offset: int|float}
	 */
	private static function timezone(): array {
		$offset = (float) get_option( 'gmt_offset', 0 );
		return array(
			'string' => (string) get_option( 'timezone_string', '' ),
			'offset' => floor( $offset ) === $offset ? (int) $offset : $offset,
		);
	}

	/**
	 * The active menu profile's version and hash (0 and '' when none was ever stored; after
	 * a removal, the removal's version and '') and whether safe mode is on.
	 *
	 * @return array{version: int, hash: string, safe_mode: bool}
	 */
	private static function menu_profile(): array {
		$current = ( new Menu_Profile_Store() )->current();
		return array(
			'version'   => $current ? (int) $current['version'] : 0,
			'hash'      => $current ? (string) $current['hash'] : '',
			'safe_mode' => Menu_Applier::safe_mode(),
		);
	}

	/**
	 * Whether the Site Handbook is published and who opened it first (`{}` when nobody yet).
	 *
	 * @return array{published: bool, first_view: array{user_login: string, at: int}|stdClass}
	 */
	private static function handbook(): array {
		$first = Handbook_Store::views()['first_view'];
		return array(
			'published'  => Handbook_Store::is_published(),
			'first_view' => null === $first ? new stdClass() : array(
				'user_login' => $first['user_login'],
				'at'         => $first['at'],
			),
		);
	}

	/**
	 * Installed plugins known to make backups, active or not.
	 *
	 * @param array<string, array<string, string>> $plugins What get_plugins() returned.
	 * @return array<int, array{file: string, name: string, active: bool}>
	 */
	private static function backup_plugins( array $plugins ): array {
		$list = array();
		foreach ( $plugins as $file => $data ) {
			$folder = strtok( (string) $file, '/' );
			if ( false !== strpos( (string) $file, '/' ) && in_array( $folder, self::BACKUP_PLUGINS, true ) ) {
				$list[] = array(
					'file'   => (string) $file,
					'name'   => self::plugin_name( (string) $file, $data ),
					'active' => is_plugin_active( $file ),
				);
			}
		}
		return $list;
	}

	/**
	 * A plugin's name, or its file when the header names none.
	 *
	 * @param string                $file The plugin's file.
	 * @param array<string, string> $data Its header data.
	 */
	private static function plugin_name( string $file, array $data ): string {
		$name = (string) ( $data['Name'] ?? '' );
		return '' === $name ? $file : $name;
	}
}
