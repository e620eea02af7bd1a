<?php
/**
 * The php:// stream wrapper while the menu snapshot runs other plugins' code.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

defined( 'ABSPATH' ) || exit;

/**
 * Stands in for PHP's own `php` wrapper: php://input (and php://stdin, php://fd/0, and any
 * php://filter chain reading them) reads empty, so the request body cannot reach a plugin;
 * every other php:// URL (memory, temp, output, filter…) is opened by PHP's own wrapper and
 * used through this one. install() and uninstall() are called by Capture_Quarantine only.
 *
 * Method names are PHP's stream wrapper protocol (streamWrapper).
 */
final class Empty_Input_Stream {

	/**
	 * The stream context PHP sets on every wrapper instance.
	 *
	 * @var resource|null
	 */
	public $context;

	/**
	 * The real stream this one forwards to.
	 *
	 * @var resource|null
	 */
	private $inner = null;

	/**
	 * Puts this wrapper in place of PHP's; false when there was no `php` wrapper to replace.
	 */
	public static function install(): bool {
		if ( ! in_array( 'php', stream_get_wrappers(), true ) ) {
			return false;
		}
		stream_wrapper_unregister( 'php' );
		if ( stream_wrapper_register( 'php', self::class ) ) {
			return true;
		}
		stream_wrapper_restore( 'php' );
		return false;
	}

	/**
	 * Gives PHP its own wrapper back (unless some code already did: restoring twice warns).
	 */
	public static function uninstall(): void {
		$probe = fopen( 'php://memory', 'rb' ); // phpcs:ignore WordPress.WP.AlternativeFunctions -- which wrapper answers.
		if ( ! is_resource( $probe ) ) {
			return;
		}
		$replaced = 'user-space' === stream_get_meta_data( $probe )['wrapper_type'];
		fclose( $probe ); // phpcs:ignore WordPress.WP.AlternativeFunctions
		if ( $replaced ) {
			stream_wrapper_restore( 'php' );
		}
	}

	/**
	 * Whether a php:// URL reads the request body (directly or through a filter chain).
	 *
	 * @param string $url A php:// URL.
	 */
	public static function reads_input( string $url ): bool {
		return 1 === preg_match( '#php://(?:input|stdin|fd/0+(?![0-9]))#i', $url );
	}

	/**
	 * Opens the stream: an empty one for the request body, PHP's own for the rest.
	 *
	 * @param string      $path        The URL.
	 * @param string      $mode        The fopen() mode.
	 * @param int         $options     STREAM_* flags.
	 * @param string|null $opened_path Unused (php:// streams have no path).
	 */
	public function stream_open( string $path, string $mode, int $options, ?string &$opened_path ): bool {
		$url = self::reads_input( $path ) ? 'php://memory' : $path;
		// Only PHP's own wrapper can open php:// URLs: lend it back for this one call. The
		// URL cannot reach php://input meanwhile: reads_input() caught every way to name it.
		stream_wrapper_restore( 'php' );
		try {
			$handle = is_resource( $this->context ) ? fopen( $url, $mode, false, $this->context ) : fopen( $url, $mode ); // phpcs:ignore WordPress.WP.AlternativeFunctions -- a stream wrapper opens streams.
		} finally {
			stream_wrapper_unregister( 'php' );
			stream_wrapper_register( 'php', self::class );
		}
		if ( ! is_resource( $handle ) ) {
			return false;
		}
		$this->inner = $handle;
		return true;
	}

	/**
	 * Reads up to $count bytes.
	 *
	 * @param int $count How many.
	 * @return string|false
	 */
	public function stream_read( int $count ) {
		return fread( $this->inner, $count ); // phpcs:ignore WordPress.WP.AlternativeFunctions
	}

	/**
	 * Writes $data; returns how many bytes were written.
	 *
	 * @param string $data The bytes.
	 */
	public function stream_write( string $data ): int {
		return (int) fwrite( $this->inner, $data ); // phpcs:ignore WordPress.WP.AlternativeFunctions
	}

	/**
	 * Whether the end was reached.
	 */
	public function stream_eof(): bool {
		return feof( $this->inner );
	}

	/**
	 * The position.
	 *
	 * @return int|false
	 */
	public function stream_tell() {
		return ftell( $this->inner );
	}

	/**
	 * Moves the position.
	 *
	 * @param int $offset Where.
	 * @param int $whence SEEK_SET, SEEK_CUR or SEEK_END.
	 */
	public function stream_seek( int $offset, int $whence = SEEK_SET ): bool {
		return 0 === fseek( $this->inner, $offset, $whence );
	}

	/**
	 * Flushes buffered output.
	 */
	public function stream_flush(): bool {
		return fflush( $this->inner );
	}

	/**
	 * Closes the real stream.
	 */
	public function stream_close(): void {
		if ( is_resource( $this->inner ) ) {
			fclose( $this->inner ); // phpcs:ignore WordPress.WP.AlternativeFunctions
		}
		$this->inner = null;
	}

	/**
	 * What fstat() says of the real stream.
	 *
	 * @return array<int|string, int>|false
	 */
	public function stream_stat() {
		return fstat( $this->inner );
	}

	/**
	 * Truncates the real stream.
	 *
	 * @param int $size The new size.
	 */
	public function stream_truncate( int $size ): bool {
		return ftruncate( $this->inner, $size );
	}

	/**
	 * Locks the real stream.
	 *
	 * @param int $operation LOCK_* flags.
	 */
	public function stream_lock( int $operation ): bool {
		return flock( $this->inner, $operation );
	}

	/**
	 * Sets blocking, timeout or write buffer on the real stream.
	 *
	 * @param int      $option STREAM_OPTION_*.
	 * @param int|null $arg1   First argument.
	 * @param int|null $arg2   Second argument.
	 */
	public function stream_set_option( int $option, $arg1, $arg2 ): bool {
		switch ( $option ) {
			case STREAM_OPTION_BLOCKING:
				return stream_set_blocking( $this->inner, (bool) $arg1 );
			case STREAM_OPTION_READ_TIMEOUT:
				return stream_set_timeout( $this->inner, (int) $arg1, (int) $arg2 );
			case STREAM_OPTION_WRITE_BUFFER:
				return 0 === stream_set_write_buffer( $this->inner, (int) $arg2 );
		}
		return false;
	}

	/**
	 * The real stream, for stream_select().
	 *
	 * @param int $cast_as STREAM_CAST_FOR_SELECT or STREAM_CAST_AS_STREAM.
	 * @return resource|false
	 */
	public function stream_cast( int $cast_as ) {
		return is_resource( $this->inner ) ? $this->inner : false;
	}

	/**
	 * php:// URLs have nothing to stat (as with PHP's own wrapper: file_exists() is false).
	 *
	 * @param string $path  The URL.
	 * @param int    $flags STREAM_URL_STAT_* flags.
	 * @return false
	 */
	public function url_stat( string $path, int $flags ) {
		return false;
	}
}
