<?php
/**
 * REST routes of the bridge: namespace handoff/v1.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * GET /handoff/v1/status and GET /handoff/v1/inventory, for the bridge user only.
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
	}

	/**
	 * GET /status. (WordPress sends no-cache headers for every signed-in REST request.)
	 */
	public static function status(): WP_REST_Response {
		return new WP_REST_Response( Status::build( 'rest' ), 200 );
	}

	/**
	 * GET /inventory.
	 */
	public static function inventory(): WP_REST_Response {
		return new WP_REST_Response( Inventory::build(), 200 );
	}
}
