<?php
/**
 * What wp_die() throws during the tests instead of printing a page and exiting.
 *
 * @package Handoff\Companion\Tests
 */

/**
 * Carries wp_die()'s message, title and HTTP status to the test that caused it.
 */
class Handoff_Test_Die extends RuntimeException {

	/**
	 * The HTTP status wp_die() was given (500 when none).
	 *
	 * @var int
	 */
	public int $status;

	/**
	 * The title wp_die() was given.
	 *
	 * @var string
	 */
	public string $title;

	/**
	 * Builds the exception from wp_die()'s arguments, as WordPress's own handlers read them.
	 *
	 * @param string|WP_Error $message The message.
	 * @param string|int      $title   The title (or the status).
	 * @param string|array    $args    The arguments (or the status).
	 */
	public function __construct( $message, $title = '', $args = array() ) {
		list( $text, $title, $parsed ) = _wp_die_process_input( $message, $title, $args );
		parent::__construct( trim( wp_strip_all_tags( (string) $text ) ) );
		$this->status = (int) $parsed['response'];
		$this->title  = (string) $title;
	}

	/**
	 * The wp_die handler: throws.
	 *
	 * @param string|WP_Error $message The message.
	 * @param string|int      $title   The title (or the status).
	 * @param string|array    $args    The arguments (or the status).
	 * @throws Handoff_Test_Die Always.
	 */
	public static function handler( $message, $title = '', $args = array() ): void {
		throw new self( $message, $title, $args );
	}

	/**
	 * Returns the handler (for the wp_die_*_handler filters).
	 */
	public static function get_handler(): callable {
		return array( self::class, 'handler' );
	}
}
