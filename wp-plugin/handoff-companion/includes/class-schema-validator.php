<?php
/**
 * A small JSON Schema validator, for the schemas the plugin ships.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

use RuntimeException;
use stdClass;

defined( 'ABSPATH' ) || exit;

/**
 * Validates a decoded JSON document against a JSON Schema (draft 2020-12), for the
 * subset of keywords the plugin's schemas use: type, const, enum, required, properties,
 * additionalProperties, items, minItems, maxItems, uniqueItems, minLength, maxLength,
 * pattern, minimum, maximum and anyOf. Annotations (title, description, default,
 * format, $schema, $id) are ignored.
 *
 * The document must be decoded with json_decode( $json, false ): JSON objects are then
 * stdClass instances and JSON arrays are PHP lists, so `{}` and `[]` stay different. A PHP
 * array that is not a list is taken as an object too; an empty PHP array is a list.
 *
 * Each error is `array( 'path' => 'menu/3/state', 'message' => '…' )`; the path names the
 * value (object keys and list indexes joined with `/`, '' for the document itself).
 */
final class Schema_Validator {

	/**
	 * More errors than this are not reported: the first ones tell what is wrong.
	 */
	public const MAX_ERRORS = 100;

	/**
	 * The schema, decoded as associative arrays.
	 *
	 * @var array<string, mixed>|bool
	 */
	private $schema;

	/**
	 * PCRE patterns already translated from the schema's regular expressions.
	 *
	 * @var array<string, string>
	 */
	private static array $patterns = array();

	/**
	 * Errors found by the current validate() call.
	 *
	 * @var array<int, array{path: string, message: string}>
	 */
	private array $errors = array();

	/**
	 * Uses a decoded schema.
	 *
	 * @param array<string, mixed>|bool $schema The schema, decoded as associative arrays.
	 */
	public function __construct( $schema ) {
		$this->schema = $schema;
	}

	/**
	 * Reads a schema file (only when a document is to be validated).
	 *
	 * @param string $file Path of a JSON Schema file.
	 * @throws RuntimeException When the file cannot be read or is not a JSON object.
	 */
	public static function from_file( string $file ): self {
		$json = is_readable( $file ) ? file_get_contents( $file ) : false;
		if ( false === $json ) {
			throw new RuntimeException( sprintf( 'The schema %s cannot be read.', basename( $file ) ) );
		}
		$schema = json_decode( $json, true );
		if ( ! is_array( $schema ) ) {
			throw new RuntimeException( sprintf( 'The schema %s is not valid JSON.', basename( $file ) ) );
		}
		return new self( $schema );
	}

	/**
	 * Validates a document.
	 *
	 * @param mixed $document The document, decoded with json_decode( $json, false ).
	 * @return array<int, array{path: string, message: string}> Empty when valid.
	 */
	public function validate( $document ): array {
		$this->errors = array();
		$this->check( $document, $this->schema, '' );
		return array_slice( $this->errors, 0, self::MAX_ERRORS );
	}

	/**
	 * Checks one value against one (sub)schema, adding what is wrong to $this->errors.
	 *
	 * @param mixed                     $value  The value.
	 * @param array<string, mixed>|bool $schema The schema that applies to it.
	 * @param string                    $path   Where the value is.
	 */
	private function check( $value, $schema, string $path ): void {
		if ( count( $this->errors ) >= self::MAX_ERRORS || true === $schema ) {
			return;
		}
		if ( ! is_array( $schema ) ) {
			$this->error( $path, 'is not allowed here' );
			return;
		}

		if ( isset( $schema['type'] ) && ! $this->check_type( $value, $schema['type'], $path ) ) {
			return;
		}
		if ( array_key_exists( 'const', $schema ) && ! self::equal( $value, $schema['const'] ) ) {
			$this->error( $path, sprintf( 'must be %s', self::show( $schema['const'] ) ) );
			return;
		}
		if ( isset( $schema['enum'] ) && is_array( $schema['enum'] ) && ! $this->in_enum( $value, $schema['enum'] ) ) {
			$this->error( $path, sprintf( 'must be one of: %s', implode( ', ', array_map( array( self::class, 'show' ), $schema['enum'] ) ) ) );
			return;
		}

		$properties = self::properties_of( $value );
		if ( null !== $properties ) {
			$this->check_object( $properties, $schema, $path );
		} elseif ( is_array( $value ) ) {
			$this->check_list( $value, $schema, $path );
		} elseif ( is_string( $value ) ) {
			$this->check_string( $value, $schema, $path );
		} elseif ( self::is_number( $value ) ) {
			$this->check_number( $value, $schema, $path );
		}

		if ( isset( $schema['anyOf'] ) && is_array( $schema['anyOf'] ) ) {
			$this->check_any_of( $value, $schema['anyOf'], $path );
		}
	}

	/**
	 * The `type` keyword; false (and the error added) when the value has another type.
	 *
	 * @param mixed           $value The value.
	 * @param string|string[] $types One type or a list of them.
	 * @param string          $path  Where the value is.
	 */
	private function check_type( $value, $types, string $path ): bool {
		$types = (array) $types;
		foreach ( $types as $type ) {
			if ( self::is_type( $value, (string) $type ) ) {
				return true;
			}
		}
		$this->error( $path, sprintf( 'must be %s (not %s)', implode( ' or ', array_map( array( self::class, 'type_name' ), $types ) ), self::type_name( self::type_of( $value ) ) ) );
		return false;
	}

	/**
	 * Whether a value is in an `enum` list.
	 *
	 * @param mixed             $value   The value.
	 * @param array<int, mixed> $allowed The allowed values.
	 */
	private function in_enum( $value, array $allowed ): bool {
		foreach ( $allowed as $candidate ) {
			if ( self::equal( $value, $candidate ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Object keywords: required, properties, additionalProperties.
	 *
	 * @param array<string|int, mixed> $properties The object's members.
	 * @param array<string, mixed>     $schema     The schema.
	 * @param string                   $path       Where the object is.
	 */
	private function check_object( array $properties, array $schema, string $path ): void {
		foreach ( (array) ( $schema['required'] ?? array() ) as $name ) {
			if ( ! array_key_exists( (string) $name, $properties ) ) {
				$this->error( self::join( $path, (string) $name ), 'is required' );
			}
		}
		$declared = is_array( $schema['properties'] ?? null ) ? $schema['properties'] : array();
		foreach ( $properties as $name => $member ) {
			$name = (string) $name;
			if ( array_key_exists( $name, $declared ) ) {
				$this->check( $member, $declared[ $name ], self::join( $path, $name ) );
			} elseif ( array_key_exists( 'additionalProperties', $schema ) ) {
				if ( false === $schema['additionalProperties'] ) {
					$this->error( self::join( $path, $name ), 'is not an allowed key here' );
				} else {
					$this->check( $member, $schema['additionalProperties'], self::join( $path, $name ) );
				}
			}
		}
	}

	/**
	 * List keywords: items, minItems, maxItems, uniqueItems.
	 *
	 * @param array<int, mixed>    $items  The list.
	 * @param array<string, mixed> $schema The schema.
	 * @param string               $path   Where the list is.
	 */
	private function check_list( array $items, array $schema, string $path ): void {
		$count = count( $items );
		if ( isset( $schema['minItems'] ) && $count < (int) $schema['minItems'] ) {
			$this->error( $path, sprintf( 'must have at least %d item(s)', (int) $schema['minItems'] ) );
		}
		if ( isset( $schema['maxItems'] ) && $count > (int) $schema['maxItems'] ) {
			$this->error( $path, sprintf( 'must have at most %d item(s)', (int) $schema['maxItems'] ) );
		}
		if ( ! empty( $schema['uniqueItems'] ) ) {
			$items = array_values( $items );
			foreach ( $items as $index => $item ) {
				for ( $earlier = 0; $earlier < $index; $earlier++ ) {
					if ( self::equal( $item, $items[ $earlier ] ) ) {
						$this->error( self::join( $path, (string) $index ), sprintf( 'repeats item %d', $earlier ) );
						break;
					}
				}
			}
		}
		if ( array_key_exists( 'items', $schema ) ) {
			foreach ( array_values( $items ) as $index => $item ) {
				$this->check( $item, $schema['items'], self::join( $path, (string) $index ) );
			}
		}
	}

	/**
	 * String keywords: minLength, maxLength (in characters), pattern.
	 *
	 * @param string               $value  The string.
	 * @param array<string, mixed> $schema The schema.
	 * @param string               $path   Where the string is.
	 */
	private function check_string( string $value, array $schema, string $path ): void {
		if ( ! mb_check_encoding( $value, 'UTF-8' ) ) {
			$this->error( $path, 'is not valid UTF-8' );
			return;
		}
		$length = mb_strlen( $value, 'UTF-8' );
		if ( isset( $schema['minLength'] ) && $length < (int) $schema['minLength'] ) {
			$this->error( $path, 0 === $length ? 'must not be empty' : sprintf( 'must be at least %d character(s) long', (int) $schema['minLength'] ) );
		}
		if ( isset( $schema['maxLength'] ) && $length > (int) $schema['maxLength'] ) {
			$this->error( $path, sprintf( 'must be at most %d character(s) long (it has %d)', (int) $schema['maxLength'], $length ) );
		}
		if ( isset( $schema['pattern'] ) && is_string( $schema['pattern'] ) && 1 !== preg_match( self::pcre( $schema['pattern'] ), $value ) ) {
			$message = sprintf( 'does not match the pattern %s', $schema['pattern'] );
			if ( isset( $schema['description'] ) && is_string( $schema['description'] ) ) {
				$message .= ' (' . $schema['description'] . ')';
			} elseif ( preg_match( '/[<>]/', $value ) && false !== strpos( $schema['pattern'], '<>' ) ) {
				$message = 'must not contain < or >';
			}
			$this->error( $path, $message );
		}
	}

	/**
	 * Number keywords: minimum, maximum.
	 *
	 * @param int|float            $value  The number.
	 * @param array<string, mixed> $schema The schema.
	 * @param string               $path   Where the number is.
	 */
	private function check_number( $value, array $schema, string $path ): void {
		if ( isset( $schema['minimum'] ) && $value < $schema['minimum'] ) {
			$this->error( $path, sprintf( 'must be at least %s', self::show( $schema['minimum'] ) ) );
		}
		if ( isset( $schema['maximum'] ) && $value > $schema['maximum'] ) {
			$this->error( $path, sprintf( 'must be at most %s', self::show( $schema['maximum'] ) ) );
		}
	}

	/**
	 * The `anyOf` keyword: at least one subschema must accept the value.
	 *
	 * @param mixed             $value      The value.
	 * @param array<int, mixed> $subschemas The alternatives.
	 * @param string            $path       Where the value is.
	 */
	private function check_any_of( $value, array $subschemas, string $path ): void {
		$reasons = array();
		foreach ( $subschemas as $subschema ) {
			$branch = new self( $subschema );
			$errors = $branch->validate( $value );
			if ( ! $errors ) {
				return;
			}
			$first     = $errors[0];
			$reasons[] = ( '' === $first['path'] ? '' : $first['path'] . ' ' ) . $first['message'];
		}
		$this->error( $path, sprintf( 'matches none of the allowed forms (%s)', implode( ', or ', $reasons ) ) );
	}

	/**
	 * Records an error.
	 *
	 * @param string $path    Where.
	 * @param string $message What is wrong.
	 */
	private function error( string $path, string $message ): void {
		$this->errors[] = array(
			'path'    => $path,
			'message' => $message,
		);
	}

	/**
	 * The members of a JSON object as an array, or null when the value is not an object.
	 *
	 * @param mixed $value A decoded value.
	 * @return array<string|int, mixed>|null
	 */
	private static function properties_of( $value ): ?array {
		if ( $value instanceof stdClass ) {
			return get_object_vars( $value );
		}
		if ( is_array( $value ) && $value && ! self::is_list( $value ) ) {
			return $value;
		}
		return null;
	}

	/**
	 * Whether a PHP array is a list (keys 0, 1, 2, … in order).
	 *
	 * @param array<mixed> $value The array.
	 */
	private static function is_list( array $value ): bool {
		return array_keys( $value ) === range( 0, count( $value ) - 1 ) || array() === $value;
	}

	/**
	 * Whether a value is an integer or a float (not a boolean).
	 *
	 * @param mixed $value The value.
	 */
	private static function is_number( $value ): bool {
		return is_int( $value ) || is_float( $value );
	}

	/**
	 * Whether a value has a JSON Schema type.
	 *
	 * @param mixed  $value The value.
	 * @param string $type  object, array, string, integer, number, boolean or null.
	 */
	private static function is_type( $value, string $type ): bool {
		switch ( $type ) {
			case 'object':
				return null !== self::properties_of( $value );
			case 'array':
				return is_array( $value ) && self::is_list( $value );
			case 'string':
				return is_string( $value );
			case 'integer':
				return is_int( $value ) || ( is_float( $value ) && is_finite( $value ) && floor( $value ) === $value );
			case 'number':
				return self::is_number( $value );
			case 'boolean':
				return is_bool( $value );
			case 'null':
				return null === $value;
		}
		return false;
	}

	/**
	 * The JSON type of a value, for messages.
	 *
	 * @param mixed $value The value.
	 */
	private static function type_of( $value ): string {
		foreach ( array( 'null', 'boolean', 'integer', 'number', 'string', 'object', 'array' ) as $type ) {
			if ( self::is_type( $value, $type ) ) {
				return $type;
			}
		}
		return 'unknown';
	}

	/**
	 * A JSON type as a person reads it.
	 *
	 * @param string $type A JSON Schema type.
	 */
	private static function type_name( string $type ): string {
		$names = array(
			'object'  => 'an object',
			'array'   => 'a list',
			'string'  => 'a string',
			'integer' => 'an integer',
			'number'  => 'a number',
			'boolean' => 'true or false',
			'null'    => 'null',
		);
		return $names[ $type ] ?? $type;
	}

	/**
	 * JSON equality: numbers by value (1 equals 1.0), objects whatever their key order.
	 *
	 * @param mixed $a A decoded value.
	 * @param mixed $b Another.
	 */
	private static function equal( $a, $b ): bool {
		if ( self::is_number( $a ) && self::is_number( $b ) ) {
			return (float) $a === (float) $b;
		}
		$a_properties = self::properties_of( $a );
		$b_properties = self::properties_of( $b );
		if ( null !== $a_properties || null !== $b_properties ) {
			if ( null === $a_properties || null === $b_properties || count( $a_properties ) !== count( $b_properties ) ) {
				return false;
			}
			foreach ( $a_properties as $name => $member ) {
				if ( ! array_key_exists( $name, $b_properties ) || ! self::equal( $member, $b_properties[ $name ] ) ) {
					return false;
				}
			}
			return true;
		}
		if ( is_array( $a ) && is_array( $b ) ) {
			if ( count( $a ) !== count( $b ) ) {
				return false;
			}
			$b = array_values( $b );
			foreach ( array_values( $a ) as $index => $item ) {
				if ( ! self::equal( $item, $b[ $index ] ) ) {
					return false;
				}
			}
			return true;
		}
		return $a === $b;
	}

	/**
	 * A value as JSON, for messages.
	 *
	 * @param mixed $value A value from the schema.
	 */
	private static function show( $value ): string {
		return (string) wp_json_encode( $value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
	}

	/**
	 * Appends a key or index to a path.
	 *
	 * @param string $path Where the parent is.
	 * @param string $name The key or index.
	 */
	private static function join( string $path, string $name ): string {
		return '' === $path ? $name : $path . '/' . $name;
	}

	/**
	 * Translates a schema's regular expression (ECMA-262 syntax, as JSON Schema uses) into
	 * a PCRE pattern: a delimiter that is escaped wherever it occurs unescaped, UTF-8 mode,
	 * Unicode classes (\s matches every Unicode space, as in ECMA-262), and `$` matching
	 * only at the very end (not before a final newline, as PCRE would by default).
	 *
	 * @param string $pattern The schema's pattern.
	 */
	private static function pcre( string $pattern ): string {
		if ( isset( self::$patterns[ $pattern ] ) ) {
			return self::$patterns[ $pattern ];
		}
		$delimiter  = '#';
		$translated = '';
		$length     = strlen( $pattern );
		for ( $i = 0; $i < $length; $i++ ) {
			$char = $pattern[ $i ];
			if ( '\\' === $char ) {
				$translated .= $i + 1 < $length ? $char . $pattern[ ++$i ] : '\\\\';
			} elseif ( $delimiter === $char ) {
				$translated .= '\\' . $char;
			} else {
				$translated .= $char;
			}
		}
		self::$patterns[ $pattern ] = $delimiter . '(*UCP)' . $translated . $delimiter . 'uD';
		return self::$patterns[ $pattern ];
	}
}
