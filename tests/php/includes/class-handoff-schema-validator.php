<?php
/**
 * A small JSON Schema validator: the keywords schema/inventory.schema.json uses, no more.
 *
 * @package Handoff\Companion\Tests
 */

/**
 * Validates a document decoded with json_decode( $json, false ) (objects as stdClass, lists as
 * arrays) against a schema decoded the same way, and lists every violation with its path.
 *
 * Supported: type, const, enum, required, properties, additionalProperties, items, maxItems,
 * minLength, minimum, pattern, $ref to "#/$defs/…". `format` and annotations are ignored. Any
 * other keyword is reported as unsupported, so the schema cannot outgrow this class unnoticed.
 */
class Handoff_Schema_Validator {

	/**
	 * Keywords that carry no constraint here.
	 */
	private const IGNORED = array( '$schema', '$id', '$defs', 'title', 'description', 'format' );

	/**
	 * The whole schema, for $ref.
	 *
	 * @var stdClass
	 */
	private stdClass $root;

	/**
	 * Violations found so far.
	 *
	 * @var string[]
	 */
	private array $errors = array();

	/**
	 * Reads a schema file.
	 *
	 * @param string $file Path to a JSON Schema.
	 * @throws RuntimeException When the file is not a JSON object.
	 */
	public function __construct( string $file ) {
		$root = json_decode( (string) file_get_contents( $file ) ); // phpcs:ignore WordPress.WP.AlternativeFunctions -- a local file.
		if ( ! $root instanceof stdClass ) {
			throw new RuntimeException( "{$file} is not a JSON object." );
		}
		$this->root = $root;
	}

	/**
	 * Validates a PHP value as it would travel as JSON.
	 *
	 * @param mixed $value The document (arrays and scalars, as the plugin builds it).
	 * @return string[] The violations; empty when the document is valid.
	 */
	public function validate( $value ): array {
		$this->errors = array();
		$this->check( json_decode( (string) wp_json_encode( $value ) ), $this->root, '$' );
		return $this->errors;
	}

	/**
	 * Checks one value against one schema.
	 *
	 * @param mixed    $value  The value.
	 * @param stdClass $schema The schema.
	 * @param string   $path   Where the value is, for messages.
	 */
	private function check( $value, stdClass $schema, string $path ): void {
		foreach ( get_object_vars( $schema ) as $keyword => $rule ) {
			switch ( $keyword ) {
				case '$ref':
					$this->check( $value, $this->resolve( (string) $rule ), $path );
					break;
				case 'type':
					$types = (array) $rule;
					if ( ! array_filter( $types, fn ( $type ) => self::is_type( $value, $type ) ) ) {
						$this->errors[] = "{$path}: expected " . implode( '|', $types ) . ', got ' . self::describe( $value );
					}
					break;
				case 'const':
					if ( $value !== $rule ) {
						$this->errors[] = "{$path}: expected " . wp_json_encode( $rule ) . ', got ' . wp_json_encode( $value );
					}
					break;
				case 'enum':
					if ( ! in_array( $value, (array) $rule, true ) ) {
						$this->errors[] = "{$path}: " . wp_json_encode( $value ) . ' is not one of ' . wp_json_encode( $rule );
					}
					break;
				case 'required':
					if ( $value instanceof stdClass ) {
						foreach ( (array) $rule as $name ) {
							if ( ! property_exists( $value, $name ) ) {
								$this->errors[] = "{$path}: the required property '{$name}' is missing";
							}
						}
					}
					break;
				case 'properties':
					if ( $value instanceof stdClass ) {
						foreach ( get_object_vars( $rule ) as $name => $property_schema ) {
							if ( property_exists( $value, $name ) ) {
								$this->check( $value->$name, $property_schema, "{$path}.{$name}" );
							}
						}
					}
					break;
				case 'additionalProperties':
					if ( $value instanceof stdClass ) {
						$known = isset( $schema->properties ) ? array_keys( get_object_vars( $schema->properties ) ) : array();
						foreach ( get_object_vars( $value ) as $name => $property ) {
							if ( in_array( $name, $known, true ) ) {
								continue;
							}
							if ( false === $rule ) {
								$this->errors[] = "{$path}: the property '{$name}' is not allowed";
							} elseif ( $rule instanceof stdClass ) {
								$this->check( $property, $rule, "{$path}.{$name}" );
							}
						}
					}
					break;
				case 'items':
					if ( is_array( $value ) ) {
						foreach ( $value as $index => $item ) {
							$this->check( $item, $rule, "{$path}[{$index}]" );
						}
					}
					break;
				case 'maxItems':
					if ( is_array( $value ) && count( $value ) > $rule ) {
						$this->errors[] = "{$path}: more than {$rule} items";
					}
					break;
				case 'minLength':
					if ( is_string( $value ) && mb_strlen( $value ) < $rule ) {
						$this->errors[] = "{$path}: shorter than {$rule} characters";
					}
					break;
				case 'minimum':
					if ( ( is_int( $value ) || is_float( $value ) ) && $value < $rule ) {
						$this->errors[] = "{$path}: {$value} is less than {$rule}";
					}
					break;
				case 'pattern':
					if ( is_string( $value ) && ! preg_match( '/' . str_replace( '/', '\\/', (string) $rule ) . '/u', $value ) ) {
						$this->errors[] = "{$path}: '{$value}' does not match {$rule}";
					}
					break;
				default:
					if ( ! in_array( $keyword, self::IGNORED, true ) ) {
						$this->errors[] = "{$path}: the schema keyword '{$keyword}' is not supported by the test validator";
					}
			}
		}
	}

	/**
	 * Finds the schema a "#/$defs/…" reference points to.
	 *
	 * @param string $ref The reference.
	 * @throws RuntimeException When it points nowhere.
	 */
	private function resolve( string $ref ): stdClass {
		if ( '#/' !== substr( $ref, 0, 2 ) ) {
			throw new RuntimeException( "The schema reference {$ref} is not supported." );
		}
		$node = $this->root;
		foreach ( array_slice( explode( '/', $ref ), 1 ) as $part ) {
			if ( ! $node instanceof stdClass || ! property_exists( $node, $part ) ) {
				throw new RuntimeException( "The schema reference {$ref} points nowhere." );
			}
			$node = $node->$part;
		}
		if ( ! $node instanceof stdClass ) {
			throw new RuntimeException( "The schema reference {$ref} is not a schema." );
		}
		return $node;
	}

	/**
	 * Whether a decoded JSON value has a JSON Schema type.
	 *
	 * @param mixed  $value The value.
	 * @param string $type  A JSON Schema type name.
	 */
	private static function is_type( $value, string $type ): bool {
		switch ( $type ) {
			case 'object':
				return $value instanceof stdClass;
			case 'array':
				return is_array( $value );
			case 'string':
				return is_string( $value );
			case 'integer':
				return is_int( $value ) || ( is_float( $value ) && floor( $value ) === $value );
			case 'number':
				return is_int( $value ) || is_float( $value );
			case 'boolean':
				return is_bool( $value );
			case 'null':
				return null === $value;
		}
		return false;
	}

	/**
	 * A short description of a value, for messages.
	 *
	 * @param mixed $value The value.
	 */
	private static function describe( $value ): string {
		if ( $value instanceof stdClass ) {
			return 'object';
		}
		return is_array( $value ) ? 'array' : gettype( $value ) . ' ' . wp_json_encode( $value );
	}
}
