<?php
/**
 * Denied holds at every door, not only at the screen.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use WP_Error;
use WP_REST_Request;
use WP_User;

defined( 'ABSPATH' ) || exit;

/**
 * For a user the active profile restricts, on every request that can change data —
 * wp-admin screens, admin-ajax, admin-post, REST and XML-RPC:
 *
 * - withholds the capabilities that open only denied items (Menu_Lock_Plan), through
 *   `user_has_cap`, which closes every door that checks them at once;
 * - denies by object what a shared capability would still open (`map_meta_cap`): editing,
 *   deleting, publishing and reading private items of a denied post type, editing a
 *   comment when Comments is denied, editing and deleting terms of a denied taxonomy;
 *   and refuses "Add New" of a denied type by setting its `create_posts` to
 *   `do_not_allow` for this request (core then hides its buttons and admin-bar link);
 * - refuses core's admin-ajax actions and REST routes of a denied item
 *   (Menu_Door_Table) before their handlers run.
 *
 * Nothing for exempt users, the bridge user, users the profile does not target, or in
 * safe mode. The plan is computed once per user and request; deciding that a user is not
 * targeted costs a look at their login and roles. Never hooked on front-end page views.
 */
final class Menu_Capability_Guard {

	/**
	 * The guard of this request, once started.
	 *
	 * @var Menu_Capability_Guard|null
	 */
	private static ?Menu_Capability_Guard $active = null;

	/**
	 * The profile, decoded as associative arrays.
	 *
	 * @var array<string, mixed>
	 */
	private array $profile;

	/**
	 * The menu tree the plans are computed on.
	 *
	 * @var array<int, array<string, mixed>>
	 */
	private array $tree;

	/**
	 * Whether the tree carries capabilities (a capture): without one nothing is withheld.
	 *
	 * @var bool
	 */
	private bool $may_withhold;

	/**
	 * Plans by user ID (null: not restricted).
	 *
	 * @var array<int, Menu_Lock_Plan|null>
	 */
	private array $plans = array();

	/**
	 * `create_posts` of the post types deny_creation() changed, as they were.
	 *
	 * @var array<string, string>
	 */
	private array $original_create = array();

	/**
	 * True while a plan is computed: the filters stand aside (mapping capabilities calls them).
	 *
	 * @var bool
	 */
	private bool $computing = false;

	/**
	 * Sets up a guard (start() does it for the request).
	 *
	 * @param array<string, mixed>             $profile      The profile.
	 * @param array<int, array<string, mixed>> $tree         The menu tree.
	 * @param bool                             $may_withhold Whether the tree carries capabilities.
	 */
	public function __construct( array $profile, array $tree, bool $may_withhold ) {
		$this->profile      = $profile;
		$this->tree         = $tree;
		$this->may_withhold = $may_withhold;
	}

	/**
	 * Starts the guard when a profile is active and safe mode is off. Plugin::add_hooks()
	 * calls it at once in wp-admin (screens, admin-ajax.php, admin-post.php,
	 * async-upload.php) and XML-RPC, and on `rest_api_init` for REST, so that a front-end
	 * page view does not even load this class. Reads the autoloaded options only: no query.
	 */
	public static function start(): void {
		self::stop(); // Once per request; a second start (tests, a new REST server) starts afresh.
		if ( Menu_Applier::safe_mode() ) {
			return;
		}
		$profile = Menu_Profile_Store::active_profile();
		if ( null === $profile ) {
			return;
		}
		$stored       = Menu_Capability_Map::stored();
		self::$active = new self( $profile, $stored ?? Menu_Capability_Map::from_profile( $profile ), null !== $stored );
		self::$active->hook();
	}

	/**
	 * The guard of this request, if started.
	 */
	public static function active(): ?self {
		return self::$active;
	}

	/**
	 * Runs $work with the guard's capability filters standing aside (nothing withheld or
	 * denied by object, no plan computed): the menu snapshot builds the menu as a real
	 * administrator account, which the active profile may target, and must see the menu
	 * as it is without any profile.
	 *
	 * @param callable $work What to run.
	 * @return mixed What $work returned.
	 */
	public static function aside( callable $work ) {
		$guard = self::$active;
		if ( ! $guard || $guard->computing ) {
			return $work();
		}
		$guard->computing = true;
		try {
			return $work();
		} finally {
			$guard->computing = false;
		}
	}

	/**
	 * Unhooks and forgets the guard (tests; a profile change within a request).
	 */
	public static function stop(): void {
		if ( self::$active ) {
			foreach ( self::$active->hooks() as $hook ) {
				remove_filter( $hook[0], $hook[1], $hook[2] );
			}
			foreach ( self::$active->original_create as $type => $cap ) {
				$object = get_post_type_object( $type );
				if ( $object ) {
					$object->cap->create_posts = $cap;
				}
			}
		}
		self::$active = null;
	}

	/**
	 * Adds the filters.
	 */
	public function hook(): void {
		foreach ( $this->hooks() as $hook ) {
			add_filter( $hook[0], $hook[1], $hook[2], $hook[3] );
		}
	}

	/**
	 * The guard's hooks: name, callback, priority, arguments.
	 *
	 * @return array<int, array{0: string, 1: callable, 2: int, 3: int}>
	 */
	private function hooks(): array {
		return array(
			array( 'user_has_cap', array( $this, 'withhold' ), PHP_INT_MAX, 4 ),
			array( 'map_meta_cap', array( $this, 'deny_by_object' ), PHP_INT_MAX, 4 ),
			array( 'admin_init', array( $this, 'guard_admin_request' ), PHP_INT_MIN, 1 ),
			array( 'rest_request_before_callbacks', array( $this, 'guard_rest_request' ), 0, 3 ),
			array( 'xmlrpc_call', array( $this, 'deny_creation' ), PHP_INT_MIN, 1 ),
		);
	}

	/**
	 * The plan for a user, or null when the profile does not restrict them. Computed once
	 * per user and request.
	 *
	 * The plan is computed on the capabilities as `user_has_cap` hands them to this guard
	 * (last), so capabilities other plugins grant through that filter count; asked for
	 * elsewhere first, it is computed through a capability check.
	 *
	 * @param WP_User                  $user    The user.
	 * @param array<string, bool>|null $allcaps Their capabilities, from user_has_cap.
	 */
	public function plan_for( WP_User $user, ?array $allcaps = null ): ?Menu_Lock_Plan {
		$id = (int) $user->ID;
		if ( array_key_exists( $id, $this->plans ) ) {
			return $this->plans[ $id ];
		}
		if ( null === $allcaps && $user->exists() ) {
			$user->has_cap( 'exist' ); // Runs withhold(), which computes the plan.
			if ( array_key_exists( $id, $this->plans ) ) {
				return $this->plans[ $id ];
			}
		}
		$this->plans[ $id ] = null;
		if ( ! Menu_Profile_Targets::restricts( $this->profile, $user ) ) {
			return null;
		}
		$this->computing = true;
		try {
			$plan = Menu_Lock_Plan::build( $this->profile, $this->tree, $allcaps ?? (array) $user->allcaps, $id );
		} finally {
			$this->computing = false;
		}
		if ( ! $this->may_withhold ) {
			$plan->withheld = array();
		}
		$this->plans[ $id ] = $plan;
		return $plan;
	}

	/**
	 * Withholds the plan's capabilities (user_has_cap, last).
	 *
	 * @param mixed $allcaps The user's capabilities.
	 * @param mixed $caps    The primitive capabilities asked for.
	 * @param mixed $args    The check's arguments.
	 * @param mixed $user    The user.
	 * @return mixed
	 */
	public function withhold( $allcaps, $caps, $args, $user ) {
		if ( $this->computing || ! is_array( $allcaps ) || ! $user instanceof WP_User ) {
			return $allcaps;
		}
		$plan = $this->plan_for( $user, $allcaps );
		if ( $plan ) {
			foreach ( array_keys( $plan->withheld ) as $cap ) {
				if ( isset( $allcaps[ $cap ] ) ) {
					$allcaps[ $cap ] = false;
				}
			}
		}
		return $allcaps;
	}

	/**
	 * Denies object capabilities on what a denied item governs (map_meta_cap, last).
	 *
	 * @param mixed $caps    The primitive capabilities mapped so far.
	 * @param mixed $cap     The capability checked.
	 * @param mixed $user_id The user.
	 * @param mixed $args    The object's ID first.
	 * @return mixed
	 */
	public function deny_by_object( $caps, $cap, $user_id, $args ) {
		if ( $this->computing || ! is_string( $cap ) || ! self::is_object_cap( $cap ) ) {
			return $caps;
		}
		$user = get_userdata( (int) $user_id );
		$plan = $user ? $this->plan_for( $user ) : null;
		if ( ! $plan ) {
			return $caps;
		}
		$object = is_array( $args ) && isset( $args[0] ) ? $args[0] : 0;
		return $this->denies( $plan, $cap, $object ) ? array( 'do_not_allow' ) : $caps;
	}

	/**
	 * Whether the plan denies an object capability on an object.
	 *
	 * @param Menu_Lock_Plan $plan   The plan.
	 * @param string         $cap    The meta capability.
	 * @param mixed          $object The object (ID or object).
	 */
	private function denies( Menu_Lock_Plan $plan, string $cap, $object ): bool {
		if ( 'edit_comment' === $cap ) {
			return $plan->comments_denied;
		}
		if ( in_array( $cap, Menu_Door_Table::TERM_META_CAPS, true ) ) {
			$term = get_term( is_numeric( $object ) ? (int) $object : 0 );
			return $term instanceof \WP_Term && isset( $plan->denied_taxonomies[ $term->taxonomy ] );
		}
		$post = get_post( is_numeric( $object ) || $object instanceof \WP_Post ? $object : 0 );
		if ( ! $post ) {
			return false;
		}
		if ( 'revision' === $post->post_type ) {
			$post = get_post( $post->post_parent );
			if ( ! $post ) {
				return false;
			}
		}
		if ( in_array( $cap, array( 'read_post', 'read_page' ), true ) ) {
			return 'private' === $post->post_status && $plan->denies_type( $post->post_type );
		}
		return $plan->denies_type( $post->post_type );
	}

	/**
	 * Whether the guard looks at a meta capability.
	 *
	 * @param string $cap The capability.
	 */
	private static function is_object_cap( string $cap ): bool {
		return 'edit_comment' === $cap || 'read_post' === $cap || 'read_page' === $cap
			|| in_array( $cap, Menu_Door_Table::POST_META_CAPS, true ) || in_array( $cap, Menu_Door_Table::TERM_META_CAPS, true );
	}

	/**
	 * In wp-admin (admin_init, first): refuses a core admin-ajax action of a denied item
	 * before its handler, and refuses "Add New" of denied types for the rest of the request.
	 */
	public function guard_admin_request(): void {
		$plan = $this->plan_for( wp_get_current_user() );
		if ( ! $plan ) {
			return;
		}
		$this->deny_creation();
		// phpcs:ignore WordPress.Security.NonceVerification -- routing only: the action's name.
		$action = isset( $_REQUEST['action'] ) && is_string( $_REQUEST['action'] ) ? sanitize_key( wp_unslash( $_REQUEST['action'] ) ) : '';
		if ( wp_doing_ajax() && '' !== $action && ( new Menu_Screen_Guard( $plan->denied ) )->is_ajax_denied( $action, Menu_Screen_Guard::request() ) ) {
			wp_die( '-1', '', array( 'response' => 403 ) );
		}
	}

	/**
	 * Sets `create_posts` of the denied post types to `do_not_allow` for the current user's
	 * request: REST and XML-RPC creation, post-new.php, "Add New" buttons and admin-bar links
	 * all check it (xmlrpc_call, admin_init, rest_request_before_callbacks).
	 */
	public function deny_creation(): void {
		$plan = $this->plan_for( wp_get_current_user() );
		foreach ( $plan ? array_keys( $plan->create_denied ) : array() as $type ) {
			$object = get_post_type_object( (string) $type );
			if ( $object && 'do_not_allow' !== $object->cap->create_posts ) {
				$this->original_create[ (string) $type ] = (string) $object->cap->create_posts;
				$object->cap->create_posts               = 'do_not_allow';
			}
		}
	}

	/**
	 * Refuses a core REST route of a denied item before its callbacks
	 * (rest_request_before_callbacks).
	 *
	 * @param mixed $response The response so far.
	 * @param mixed $handler  The route's handler.
	 * @param mixed $request  The request.
	 * @return mixed
	 */
	public function guard_rest_request( $response, $handler, $request ) {
		if ( is_wp_error( $response ) || ! $request instanceof WP_REST_Request ) {
			return $response;
		}
		$plan = $this->plan_for( wp_get_current_user() );
		if ( ! $plan ) {
			return $response;
		}
		$this->deny_creation();
		if ( Menu_Rest_Doors::refuses( $plan, $request->get_route(), $request->get_method(), (string) $request->get_param( 'context' ) ) ) {
			return new WP_Error(
				'handoff_denied',
				__( 'This is not part of your site\'s simplified menu.', 'handoff-companion' ),
				array( 'status' => 403 )
			);
		}
		return $response;
	}
}
