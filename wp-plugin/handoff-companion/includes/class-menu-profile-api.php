<?php
/**
 * The menu profile services behind the REST routes and the XML-RPC methods.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use stdClass;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;

defined( 'ABSPATH' ) || exit;

/**
 * Read, write, roll back and delete the menu profile (docs/menu-profiles.md). Callers
 * have passed Bridge_Access::check(). Answers are arrays, or WP_Error with the status:
 * 400 `handoff_invalid_profile` (`errors`), 409 `handoff_version_conflict`
 * (`current_version`), 413 `handoff_profile_too_large`, 404 `handoff_no_such_version`,
 * 400 `handoff_invalid_idempotency_key`, 422 `handoff_idempotency_key_reused`.
 *
 * Writes take an optional idempotency key (Idempotency): the same write sent again with
 * it gets the first answer and is not applied again. The request it stands for is the
 * operation and what is written (the profile's hash; the version rolled back to), not
 * `replaces_version`: a retry that read the version again after the first try landed is
 * still the same write.
 */
final class Menu_Profile_Api {

	/**
	 * Raw JSON text longer than this is refused before it is decoded.
	 */
	private const MAX_RAW_BYTES = 1048576;

	/**
	 * GET: the active profile (`{}` when none), its version and hash, safe mode and the
	 * history. Profile objects are stdClass, so `{}` stays an object in JSON (and a struct
	 * in XML-RPC). After a removal the version is the removal's, with `{}` and hash ''.
	 *
	 * @return array<string, mixed>
	 */
	public static function get(): array {
		$store   = new Menu_Profile_Store();
		$current = $store->current();
		$history = array();
		foreach ( $store->history() as $entry ) {
			$history[] = array(
				'version'    => $entry['version'],
				'hash'       => $entry['hash'],
				'applied_at' => $entry['applied_at'],
				'applied_by' => $entry['applied_by'],
				'name'       => isset( $entry['profile']->name ) && is_string( $entry['profile']->name ) ? $entry['profile']->name : '',
			);
		}
		return array(
			'version'    => $current ? $current['version'] : 0,
			'hash'       => $current ? $current['hash'] : '',
			'profile'    => $current ? $current['profile'] : new stdClass(),
			'applied_at' => $current ? $current['applied_at'] : 0,
			'applied_by' => $current ? $current['applied_by'] : '',
			'safe_mode'  => Menu_Applier::safe_mode(),
			'history'    => $history,
		);
	}

	/**
	 * PUT: validates and stores a profile as a new version.
	 *
	 * @param mixed $profile          The profile: decoded (stdClass) or JSON text.
	 * @param mixed $replaces_version The version the caller read (0: none).
	 * @param mixed $idempotency_key  The write's idempotency key, or null.
	 * @return array{version: int, hash: string, warnings: array<int, array{path: string, message: string}>, enforcement: array<string, mixed>}|WP_Error
	 */
	public static function put( $profile, $replaces_version, $idempotency_key = null ) {
		$key = Idempotency::key_arg( $idempotency_key );
		if ( $key instanceof WP_Error ) {
			return $key;
		}
		$errors   = array();
		$profile  = self::profile_arg( $profile, $errors );
		$replaces = self::version_arg( $replaces_version, 'replaces_version', $errors );
		$result = self::validation( $profile, $errors );
		if ( $result instanceof WP_Error ) {
			return $result;
		}
		$answer = Idempotency::once(
			$key,
			'menu-profile.put:' . Menu_Profile_Store::hash( $profile ),
			static function () use ( $profile, $replaces, $result ) {
				$entry = ( new Menu_Profile_Store() )->put( $profile, $replaces, self::login() );
				if ( $entry instanceof WP_Error ) {
					return $entry;
				}
				return array(
					'version'  => $entry['version'],
					'hash'     => $entry['hash'],
					'warnings' => $result['warnings'],
				);
			}
		);
		return self::with_enforcement( $answer, $profile, true );
	}

	/**
	 * The validator's result for a decoded profile, or the refusal a PUT and a report both
	 * answer: the decoding error, too large, or every problem found (with `$errors` from
	 * the other arguments).
	 *
	 * @param array<string, mixed>|WP_Error|null    $profile The profile from profile_arg().
	 * @param array<int, array<string, string>> $errors  Problems of the other arguments.
	 * @return array{errors: array<int, mixed>, warnings: array<int, mixed>}|WP_Error
	 */
	private static function validation( $profile, array $errors ) {
		if ( $profile instanceof WP_Error ) {
			return $profile;
		}
		$result = array(
			'errors'   => array(),
			'warnings' => array(),
		);
		if ( $profile ) {
			$size = Menu_Profile_Validator::size( $profile );
			if ( $size > Menu_Profile_Validator::MAX_BYTES ) {
				return self::too_large( $size );
			}
			$result = ( new Menu_Profile_Validator() )->validate( $profile );
			$errors = array_merge( $errors, $result['errors'] );
		}
		return $errors || ! $profile ? self::invalid( $errors ) : $result;
	}

	/**
	 * POST /menu-profile/report: what a profile would close, door by door, computed on
	 * this site without storing it. Validated as a PUT is.
	 *
	 * @param mixed $profile The profile: decoded (stdClass) or JSON text.
	 * @return array{warnings: array<int, array{path: string, message: string}>, enforcement: array<string, mixed>}|WP_Error
	 */
	public static function report( $profile ) {
		$errors  = array();
		$profile = self::profile_arg( $profile, $errors );
		$result = self::validation( $profile, $errors );
		if ( $result instanceof WP_Error ) {
			return $result;
		}
		return self::with_enforcement( array( 'warnings' => $result['warnings'] ), $profile, false );
	}

	/**
	 * The REST route POST /menu-profile/report with the body `{"profile": {…}}` (objects
	 * kept as objects, so `{}` and `[]` stay apart).
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function rest_report( WP_REST_Request $request ) {
		$body = json_decode( (string) $request->get_body(), false );
		if ( ! $body instanceof stdClass ) {
			return self::invalid( array( self::error( '', 'the body must be a JSON object: {"profile": {…}}' ) ) );
		}
		$answer = self::report( $body->profile ?? null );
		return $answer instanceof WP_Error ? $answer : new WP_REST_Response( $answer, 200 );
	}

	/**
	 * An answer with the enforcement report of a profile added (Menu_Enforcement_Report),
	 * computed on the menu as it is now. Added outside the idempotent part, so a repeated
	 * write reports the site as it is, and the remembered answer stays small.
	 *
	 * @param mixed    $answer  The answer, or a WP_Error (returned as it is).
	 * @param stdClass $profile The profile.
	 * @param bool     $stored  Whether it was stored (the captured menu is kept then).
	 * @return mixed
	 */
	private static function with_enforcement( $answer, stdClass $profile, bool $stored ) {
		if ( ! is_array( $answer ) ) {
			return $answer;
		}
		$tree                  = $stored ? Menu_Capability_Map::capture() : Menu_Capability_Map::take();
		$decoded               = json_decode( (string) wp_json_encode( $profile ), true );
		$answer['enforcement'] = ( new Menu_Enforcement_Report( is_array( $decoded ) ? $decoded : array(), $tree ) )->build();
		return $answer;
	}

	/**
	 * Rollback: stores a history entry (0: the newest) again as a new version, after
	 * validating it again (users and roles may have changed since).
	 *
	 * @param mixed $to_version       A version from the history, or 0.
	 * @param mixed $replaces_version The version the caller read.
	 * @param mixed $idempotency_key  The write's idempotency key, or null.
	 * @return array{version: int, hash: string, warnings: array<int, array{path: string, message: string}>, restored_version: int, name: string}|WP_Error
	 */
	public static function rollback( $to_version, $replaces_version, $idempotency_key = null ) {
		$key = Idempotency::key_arg( $idempotency_key );
		if ( $key instanceof WP_Error ) {
			return $key;
		}
		$errors   = array();
		$to       = self::version_arg( $to_version, 'to_version', $errors );
		$replaces = self::version_arg( $replaces_version, 'replaces_version', $errors );
		if ( $errors ) {
			return self::invalid( $errors );
		}
		$answer = Idempotency::once(
			$key,
			'menu-profile.rollback:' . $to,
			static function () use ( $to, $replaces ) {
				return self::restore( $to, $replaces );
			}
		);
		$current = is_array( $answer ) ? ( new Menu_Profile_Store() )->current() : null;
		return $current ? self::with_enforcement( $answer, $current['profile'], true ) : $answer;
	}

	/**
	 * Stores history entry $to (0: the newest) again as a new version.
	 *
	 * @param int $to       A version from the history, or 0.
	 * @param int $replaces The version the caller read.
	 * @return array{version: int, hash: string, warnings: array<int, array{path: string, message: string}>, restored_version: int, name: string}|WP_Error
	 */
	private static function restore( int $to, int $replaces ) {
		$store  = new Menu_Profile_Store();
		$target = $store->find( $to );
		if ( ! $target ) {
			return new WP_Error(
				'handoff_no_such_version',
				0 === $to
					? __( 'There is no earlier menu profile to roll back to.', 'handoff-companion' )
					/* translators: %d: a version number. */
					: sprintf( __( 'Version %d is not in the menu profile history.', 'handoff-companion' ), $to ),
				array(
					'status'   => 404,
					'version'  => $to,
					'versions' => array_column( $store->history(), 'version' ),
				)
			);
		}
		$result = ( new Menu_Profile_Validator() )->validate( $target['profile'] );
		if ( $result['errors'] ) {
			return self::invalid( $result['errors'] );
		}
		$entry = $store->put( $target['profile'], $replaces, self::login() );
		if ( $entry instanceof WP_Error ) {
			return $entry;
		}
		return array(
			'version'          => $entry['version'],
			'hash'             => $entry['hash'],
			'warnings'         => $result['warnings'],
			'restored_version' => $target['version'],
			'name'             => (string) ( $target['profile']->name ?? '' ),
		);
	}

	/**
	 * DELETE: removes the profile (it stays in the history); the full menu for everyone.
	 * The removal is a new version: `{"version": N, "hash": "", "deleted_version": M}`.
	 *
	 * @param mixed $replaces_version The version the caller read.
	 * @param mixed $idempotency_key  The write's idempotency key, or null.
	 * @return array{version: int, hash: string, deleted_version: int}|WP_Error
	 */
	public static function delete( $replaces_version, $idempotency_key = null ) {
		$key = Idempotency::key_arg( $idempotency_key );
		if ( $key instanceof WP_Error ) {
			return $key;
		}
		$errors   = array();
		$replaces = self::version_arg( $replaces_version, 'replaces_version', $errors );
		if ( $errors ) {
			return self::invalid( $errors );
		}
		return Idempotency::once(
			$key,
			'menu-profile.delete',
			static function () use ( $replaces ) {
				$removed = ( new Menu_Profile_Store() )->delete( $replaces, self::login() );
				if ( $removed instanceof WP_Error ) {
					return $removed;
				}
				return array(
					'version'         => $removed['version'],
					'hash'            => '',
					'deleted_version' => $removed['deleted_version'],
				);
			}
		);
	}

	/**
	 * The 400 error for a refused profile or request.
	 *
	 * @param array<int, array{path: string, message: string}> $errors What is wrong, where.
	 */
	public static function invalid( array $errors ): WP_Error {
		return new WP_Error(
			'handoff_invalid_profile',
			__( 'The menu profile was refused: nothing was changed.', 'handoff-companion' ),
			array(
				'status' => 400,
				'errors' => array_values( $errors ),
			)
		);
	}

	/**
	 * The profile argument as stdClass, or 413 for JSON text far too large to decode;
	 * other problems are added to $errors.
	 *
	 * @param mixed                                            $value  Decoded profile, or JSON text.
	 * @param array<int, array{path: string, message: string}> $errors Collected errors.
	 * @return stdClass|WP_Error|null
	 */
	private static function profile_arg( $value, array &$errors ) {
		if ( null === $value ) {
			$errors[] = self::error( 'profile', 'is required' );
			return null;
		}
		if ( is_string( $value ) ) {
			if ( strlen( $value ) > self::MAX_RAW_BYTES ) {
				return self::too_large( strlen( $value ) );
			}
			$decoded = json_decode( $value, false );
			if ( null === $decoded && JSON_ERROR_NONE !== json_last_error() ) {
				$errors[] = self::error( 'profile', 'is not valid JSON: ' . json_last_error_msg() );
				return null;
			}
			$value = $decoded;
		}
		if ( ! $value instanceof stdClass ) {
			$errors[] = self::error( 'profile', 'must be a JSON object' );
			return null;
		}
		return $value;
	}

	/**
	 * A version argument: an integer, 0 or more (digits in a string are accepted, as
	 * query strings carry them). Problems are added to $errors.
	 *
	 * @param mixed                                            $value  The argument.
	 * @param string                                           $name   Its name.
	 * @param array<int, array{path: string, message: string}> $errors Collected errors.
	 */
	private static function version_arg( $value, string $name, array &$errors ): int {
		if ( null === $value ) {
			$errors[] = self::error( $name, 'is required' );
			return 0;
		}
		if ( is_int( $value ) && $value >= 0 ) {
			return $value;
		}
		if ( is_string( $value ) && '' !== $value && strlen( $value ) <= 18 && ctype_digit( $value ) ) {
			return (int) $value;
		}
		if ( is_float( $value ) && $value >= 0 && $value < 1e18 && floor( $value ) === $value ) {
			return (int) $value;
		}
		$errors[] = self::error( $name, 'must be an integer, 0 or more' );
		return 0;
	}

	/**
	 * The 413 error.
	 *
	 * @param int $size Bytes received.
	 */
	private static function too_large( int $size ): WP_Error {
		return new WP_Error(
			'handoff_profile_too_large',
			sprintf(
				/* translators: 1: size in bytes, 2: the limit in bytes. */
				__( 'The menu profile is %1$d bytes of JSON; the limit is %2$d.', 'handoff-companion' ),
				$size,
				Menu_Profile_Validator::MAX_BYTES
			),
			array(
				'status' => 413,
				'size'   => $size,
				'limit'  => Menu_Profile_Validator::MAX_BYTES,
			)
		);
	}

	/**
	 * Login of the user writing, for `applied_by`.
	 */
	private static function login(): string {
		return (string) wp_get_current_user()->user_login;
	}

	/**
	 * One error.
	 *
	 * @param string $path    Where.
	 * @param string $message What.
	 * @return array{path: string, message: string}
	 */
	private static function error( string $path, string $message ): array {
		return array(
			'path'    => $path,
			'message' => $message,
		);
	}
}
