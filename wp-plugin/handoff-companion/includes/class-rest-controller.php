<?php
/**
 * REST routes of the bridge: namespace handoff/v1.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use stdClass;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * GET /handoff/v1/status, GET /handoff/v1/inventory, GET /handoff/v1/health, the menu
 * profile routes (GET, PUT and DELETE /handoff/v1/menu-profile, POST
 * /handoff/v1/menu-profile/rollback) and the handbook route (GET, PUT and DELETE
 * /handoff/v1/handbook), for the bridge user only. Writes read their idempotency key
 * from the Idempotency-Key header (Idempotency).
 */
final class Rest_Controller {

	public const NAMESPACE = 'handoff/v1';

	/**
	 * Registers the routes (rest_api_init).
	 */
	public static function register(): void {
		register_rest_route(
			self::NAMESPACE,
			'/status',
			array(
				'methods'             => WP_REST_Server::READABLE,
				'callback'            => array( self::class, 'status' ),
				'permission_callback' => array( Bridge_Access::class, 'check' ),
				'args'                => array(),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/inventory',
			array(
				'methods'             => WP_REST_Server::READABLE,
				'callback'            => array( self::class, 'inventory' ),
				'permission_callback' => array( Bridge_Access::class, 'check' ),
				'args'                => array(),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/health',
			array(
				'methods'             => WP_REST_Server::READABLE,
				'callback'            => array( self::class, 'health' ),
				'permission_callback' => array( Bridge_Access::class, 'check' ),
				'args'                => array(),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/connection',
			array(
				'methods'             => WP_REST_Server::DELETABLE,
				'callback'            => array( self::class, 'disconnect' ),
				'permission_callback' => array( Bridge_Access::class, 'check' ),
				'args'                => array(),
			)
		);
		self::register_menu_profile();
		self::register_handbook();
	}

	/**
	 * DELETE /connection: the backend gives up its own access at handover (its Application
	 * Password is revoked; the bridge user stays until an administrator disconnects).
	 */
	public static function disconnect(): WP_REST_Response {
		return new WP_REST_Response( ( new Bridge_Connection() )->revoke_own_access(), 200 );
	}

	/**
	 * The handbook route (docs/plugin.md). The body is read by the callback, after the
	 * permission check, so that a caller without access always gets 401/403 and a bad
	 * request gets 400 `handoff_invalid_handbook` with `errors` (or 413).
	 */
	private static function register_handbook(): void {
		register_rest_route(
			self::NAMESPACE,
			'/handbook',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( self::class, 'handbook_get' ),
					'permission_callback' => array( Bridge_Access::class, 'check' ),
					'args'                => array(),
				),
				array(
					'methods'             => 'PUT',
					'callback'            => array( self::class, 'handbook_put' ),
					'permission_callback' => array( Bridge_Access::class, 'check' ),
					'args'                => array(),
				),
				array(
					'methods'             => WP_REST_Server::DELETABLE,
					'callback'            => array( self::class, 'handbook_delete' ),
					'permission_callback' => array( Bridge_Access::class, 'check' ),
					'args'                => array(),
				),
			)
		);
	}

	/**
	 * The menu profile routes (docs/menu-profiles.md). Their arguments are checked by the
	 * callbacks, after the permission check, so that a caller without access always gets
	 * 401/403 (WordPress validates declared types before checking permissions) and a bad
	 * request gets the contract's 400 `handoff_invalid_profile` with `errors`.
	 */
	private static function register_menu_profile(): void {
		$version_arg = array(
			'description'       => __( 'The version the caller read: the write is refused with 409 when the site has another one. 0: no profile.', 'handoff-companion' ),
			'type'              => 'integer',
			'sanitize_callback' => null,
		);
		register_rest_route(
			self::NAMESPACE,
			'/menu-profile',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( self::class, 'menu_profile_get' ),
					'permission_callback' => array( Bridge_Access::class, 'check' ),
					'args'                => array(),
				),
				array(
					'methods'             => 'PUT',
					'callback'            => array( self::class, 'menu_profile_put' ),
					'permission_callback' => array( Bridge_Access::class, 'check' ),
					'args'                => array(
						'profile'          => array(
							'description'       => __( 'The menu profile (schema/menu-profile.schema.json).', 'handoff-companion' ),
							'type'              => 'object',
							'sanitize_callback' => null,
						),
						'replaces_version' => $version_arg,
					),
				),
				array(
					'methods'             => WP_REST_Server::DELETABLE,
					'callback'            => array( self::class, 'menu_profile_delete' ),
					'permission_callback' => array( Bridge_Access::class, 'check' ),
					'args'                => array(
						'replaces_version' => $version_arg,
					),
				),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/menu-profile/rollback',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => array( self::class, 'menu_profile_rollback' ),
				'permission_callback' => array( Bridge_Access::class, 'check' ),
				'args'                => array(
					'to_version'       => array(
						'description'       => __( 'The history version to store again; 0: the newest one.', 'handoff-companion' ),
						'type'              => 'integer',
						'sanitize_callback' => null,
					),
					'replaces_version' => $version_arg,
				),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/menu-profile/report',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => array( Menu_Profile_Api::class, 'rest_report' ),
				'permission_callback' => array( Bridge_Access::class, 'check' ),
				'args'                => array(),
			)
		);
		add_filter( 'rest_request_before_callbacks', array( self::class, 'menu_profile_invalid_json' ), 10, 3 );
	}

	/**
	 * WordPress refuses a body that is not valid JSON (400 `rest_invalid_json`) before any
	 * permission check. On the menu profile and handbook routes: 401/403 for callers
	 * without access, else the contract's 400 `handoff_invalid_profile` or
	 * `handoff_invalid_handbook` (413 for a handbook body above the limit).
	 *
	 * @param mixed           $response The response so far (a WP_Error when WordPress refused).
	 * @param array           $handler  The route's handler.
	 * @param WP_REST_Request $request  The request.
	 * @return mixed
	 */
	public static function menu_profile_invalid_json( $response, $handler, $request ) {
		if ( ! $response instanceof WP_Error || 'rest_invalid_json' !== $response->get_error_code() || ! $request instanceof WP_REST_Request ) {
			return $response;
		}
		$route    = $request->get_route();
		$profile  = 0 === strpos( $route, '/' . self::NAMESPACE . '/menu-profile' );
		$handbook = '/' . self::NAMESPACE . '/handbook' === $route;
		if ( ! $profile && ! $handbook ) {
			return $response;
		}
		$allowed = Bridge_Access::check();
		if ( is_wp_error( $allowed ) ) {
			return $allowed;
		}
		$size = strlen( (string) $request->get_body() );
		if ( $handbook && $size > Handbook_Api::MAX_BYTES ) {
			return Handbook_Api::too_large( $size );
		}
		$data   = (array) $response->get_error_data();
		$errors = array(
			array(
				'path'    => '',
				'message' => 'the body is not valid JSON: ' . (string) ( $data['json_error_message'] ?? 'syntax error' ),
			),
		);
		return $handbook ? Handbook_Api::invalid( $errors ) : Menu_Profile_Api::invalid( $errors );
	}

	/**
	 * GET /handbook: the handbook's status (no HTML).
	 */
	public static function handbook_get(): WP_REST_Response {
		return new WP_REST_Response( Handbook_Api::status(), 200 );
	}

	/**
	 * PUT /handbook with the body `{"title", "language", "html", "hash"}`: 413 above 2 MiB,
	 * before the body is decoded here.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function handbook_put( WP_REST_Request $request ) {
		return self::respond( Handbook_Api::publish( (string) $request->get_body(), self::idempotency_key( $request ) ) );
	}

	/**
	 * DELETE /handbook: unpublish.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function handbook_delete( WP_REST_Request $request ) {
		return self::respond( Handbook_Api::unpublish( self::idempotency_key( $request ) ) );
	}

	/**
	 * GET /menu-profile.
	 */
	public static function menu_profile_get(): WP_REST_Response {
		return new WP_REST_Response( Menu_Profile_Api::get(), 200 );
	}

	/**
	 * PUT /menu-profile with the body `{"profile": {…}, "replaces_version": N}`. The body
	 * is decoded here with objects kept as objects, so `{}` and `[]` stay apart.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function menu_profile_put( WP_REST_Request $request ) {
		$body = self::json_body( $request );
		if ( $body instanceof WP_Error ) {
			return $body;
		}
		return self::respond( Menu_Profile_Api::put( $body->profile ?? null, $body->replaces_version ?? null, self::idempotency_key( $request ) ) );
	}

	/**
	 * POST /menu-profile/rollback with `{"to_version": N, "replaces_version": N}`.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function menu_profile_rollback( WP_REST_Request $request ) {
		return self::respond( Menu_Profile_Api::rollback( $request->get_param( 'to_version' ), $request->get_param( 'replaces_version' ), self::idempotency_key( $request ) ) );
	}

	/**
	 * DELETE /menu-profile?replaces_version=N.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function menu_profile_delete( WP_REST_Request $request ) {
		return self::respond( Menu_Profile_Api::delete( $request->get_param( 'replaces_version' ), self::idempotency_key( $request ) ) );
	}

	/**
	 * The Idempotency-Key header, raw: the service checks it (Idempotency::key_arg()).
	 *
	 * @param WP_REST_Request $request The request.
	 */
	private static function idempotency_key( WP_REST_Request $request ): ?string {
		return $request->get_header( 'idempotency_key' );
	}

	/**
	 * The request body as a JSON object (stdClass), or the 400 error.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return stdClass|WP_Error
	 */
	private static function json_body( WP_REST_Request $request ) {
		$body = json_decode( (string) $request->get_body(), false );
		if ( $body instanceof stdClass ) {
			return $body;
		}
		return Menu_Profile_Api::invalid(
			array(
				array(
					'path'    => '',
					'message' => 'the body must be a JSON object: {"profile": {…}, "replaces_version": N}',
				),
			)
		);
	}

	/**
	 * A service's answer as a REST response (errors go through as they are).
	 *
	 * @param array<string, mixed>|WP_Error $result The answer.
	 * @return WP_REST_Response|WP_Error
	 */
	private static function respond( $result ) {
		return $result instanceof WP_Error ? $result : new WP_REST_Response( $result, 200 );
	}

	/**
	 * GET /status. (WordPress sends no-cache headers for every signed-in REST request.)
	 */
	public static function status(): WP_REST_Response {
		return new WP_REST_Response( Status::build( 'rest' ), 200 );
	}

	/**
	 * GET /inventory. Building it runs other plugins' menu code (Admin_Menu_Snapshot), so a
	 * request carrying anything but `rest_route` (plain permalinks) is refused first: the
	 * backend sends no parameter and no body (backend/handoff/wordpress/rest.py).
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function inventory( WP_REST_Request $request ) {
		$refusal = Input_Allowlist::refusal(
			array( 'rest_route' ),
			Input_Allowlist::NO_BODY,
			array(
				'GET'   => array_keys( (array) $request->get_query_params() ),
				'POST'  => array_keys( (array) $request->get_body_params() ),
				'FILES' => array_keys( (array) $request->get_file_params() ),
			),
			(string) $request->get_body()
		);
		return $refusal ? $refusal : new WP_REST_Response( Inventory::build(), 200 );
	}

	/**
	 * GET /health: the facts of the handover checklist (docs/handover.md).
	 */
	public static function health(): WP_REST_Response {
		return new WP_REST_Response( Health::build(), 200 );
	}
}
