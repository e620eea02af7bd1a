<?php
/**
 * Requests that run the menu snapshot carry only what the bridge protocol sends.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * The menu snapshot runs other plugins' code with broad capabilities. Capture_Quarantine
 * empties the superglobals meanwhile, but PHP keeps the request's own copy for
 * filter_input( INPUT_GET / INPUT_POST ), which nothing can empty. So the three doors that
 * run the snapshot (admin-ajax `handoff_admin_menu`, GET /inventory, handoff.inventory)
 * refuse, before it runs, a request carrying any field, upload or body the backend never
 * sends: 400 `handoff_unexpected_input`, listing what was unexpected.
 */
final class Input_Allowlist {

	public const ERROR_CODE = 'handoff_unexpected_input';

	/**
	 * No request body at all.
	 */
	public const NO_BODY = 'none';

	/**
	 * A body only of allowed form fields (application/x-www-form-urlencoded).
	 */
	public const FORM_FIELDS = 'fields';

	/**
	 * Any body: XML-RPC's XML, which PHP does not turn into $_POST unless it is sent as a
	 * form (then $_POST shows it, and that is refused).
	 */
	public const ANY_BODY = 'any';

	/**
	 * At most this many unexpected names are listed (a request can carry thousands).
	 */
	private const LISTED = 20;

	/**
	 * The 400 error for a request carrying more than $allowed, or null when it carries only that.
	 *
	 * @param string[]                $allowed   Field names allowed in the query and the form body.
	 * @param string                  $body_rule NO_BODY, FORM_FIELDS or ANY_BODY.
	 * @param array<string, string[]> $also      More field names by source (GET, POST, FILES) the
	 *                                           caller saw, e.g. a REST request's own parameters.
	 * @param string|null             $body      The raw body when the caller has it (else php://input).
	 */
	public static function refusal( array $allowed, string $body_rule, array $also = array(), ?string $body = null ): ?WP_Error {
		$unexpected = array();
		$fields     = self::field_names( $also );
		foreach ( $fields as $source => $names ) {
			foreach ( $names as $name ) {
				if ( 'FILES' === $source || ! in_array( $name, $allowed, true ) ) {
					$unexpected[] = $source . ' ' . self::printable( $name );
				}
			}
		}
		if ( self::ANY_BODY !== $body_rule && self::body_is_unexpected( array_merge( $allowed, $fields['POST'] ), $body_rule, $body ?? self::raw_body() ) ) {
			$unexpected[] = 'body';
		}
		$unexpected = array_values( array_unique( $unexpected ) );
		if ( ! $unexpected ) {
			return null;
		}
		$listed = array_slice( $unexpected, 0, self::LISTED );
		return new WP_Error(
			self::ERROR_CODE,
			sprintf(
				/* translators: 1: what the request carried, 2: the field names the bridge sends. */
				__( 'The request carries input the Handoff bridge never sends (%1$s); it is refused before any plugin code runs. Allowed: %2$s.', 'handoff-companion' ),
				implode( ', ', $listed ) . ( count( $unexpected ) > self::LISTED ? ', …' : '' ),
				$allowed ? implode( ', ', $allowed ) : __( 'nothing', 'handoff-companion' )
			),
			array(
				'status'     => 400,
				'unexpected' => $listed,
			)
		);
	}

	/**
	 * Field names by source: the superglobals, PHP's own copy (filter_input_array(), which
	 * still holds what a plugin may have removed from $_GET / $_POST) and the caller's.
	 *
	 * @param array<string, string[]> $also More names by source.
	 * @return array<string, string[]>
	 */
	private static function field_names( array $also ): array {
		// phpcs:disable WordPress.Security.NonceVerification -- only the names are read, to refuse the request.
		$names = array(
			'GET'   => array_merge( array_keys( $_GET ), self::filter_input_names( INPUT_GET ), $also['GET'] ?? array() ),
			'POST'  => array_merge( array_keys( $_POST ), self::filter_input_names( INPUT_POST ), $also['POST'] ?? array() ),
			'FILES' => array_merge( array_keys( $_FILES ), $also['FILES'] ?? array() ),
		);
		// phpcs:enable
		foreach ( $names as $source => $list ) {
			$names[ $source ] = array_values( array_unique( array_map( 'strval', $list ) ) );
		}
		return $names;
	}

	/**
	 * The field names PHP parsed from the request itself.
	 *
	 * @param int $type INPUT_GET or INPUT_POST.
	 * @return string[]
	 */
	private static function filter_input_names( int $type ): array {
		$values = filter_input_array( $type );
		return is_array( $values ) ? array_map( 'strval', array_keys( $values ) ) : array();
	}

	/**
	 * Whether the body breaks the rule: any body for NO_BODY; for FORM_FIELDS, a body that
	 * is not made of form fields (JSON, XML, or fields PHP left out of $_POST). Form fields
	 * PHP parsed are judged, and listed, as POST fields.
	 *
	 * @param string[] $known     The allowed field names and those PHP parsed.
	 * @param string   $body_rule NO_BODY or FORM_FIELDS.
	 * @param string   $body      The raw body.
	 */
	private static function body_is_unexpected( array $known, string $body_rule, string $body ): bool {
		if ( '' === $body ) {
			return false;
		}
		if ( self::NO_BODY === $body_rule ) {
			return true;
		}
		parse_str( $body, $fields );
		return array() !== array_diff( array_map( 'strval', array_keys( $fields ) ), $known );
	}

	/**
	 * The raw request body (PHP keeps it readable again and again).
	 */
	private static function raw_body(): string {
		return (string) file_get_contents( 'php://input' ); // phpcs:ignore WordPress.WP.AlternativeFunctions -- the request body.
	}

	/**
	 * A field name as listed in the answer: printable, at most 64 characters.
	 *
	 * @param string $name The name the request sent.
	 */
	private static function printable( string $name ): string {
		return substr( (string) preg_replace( '/[^\x20-\x7E]/', '?', $name ), 0, 64 );
	}
}
