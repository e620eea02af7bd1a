<?php
/**
 * Tests of how the health answer runs WordPress's Site Health tests.
 *
 * @package Handoff\Companion\Tests
 */

use Handoff\Companion\Health_Site_Tests;

/**
 * The direct tests run offline (but for the site itself), read only, silent, and a test
 * that breaks is reported instead of breaking the answer. Probe tests are added through
 * WordPress's own `site_status_tests` filter.
 */
class HealthSiteTestsTest extends Handoff_Test_Case {

	/**
	 * What the probe tests saw, by name.
	 *
	 * @var array<string, mixed>
	 */
	private array $seen = array();

	/**
	 * A result as a Site Health test returns it.
	 *
	 * @param string $test   The test's name.
	 * @param string $status good, recommended or critical.
	 * @param string $label  The label.
	 * @return array<string, mixed>
	 */
	private static function result( string $test, string $status = 'good', string $label = 'All fine' ): array {
		return array(
			'label'       => $label,
			'status'      => $status,
			'badge'       => array(
				'label' => 'Security',
				'color' => 'blue',
			),
			'description' => '<p>Probe.</p>',
			'actions'     => '',
			'test'        => $test,
		);
	}

	/**
	 * Adds direct tests (and an async one) to WordPress's list.
	 *
	 * @param array<string, array<string, mixed>> $direct Name => test.
	 */
	private function add_tests( array $direct ): void {
		add_filter(
			'site_status_tests',
			static function ( $tests ) use ( $direct ) {
				$tests['direct']                       = array_merge( $tests['direct'], $direct );
				$tests['async']['handoff_probe_async'] = array(
					'label' => 'Async probe',
					'test'  => 'handoff_probe_async',
				);
				return $tests;
			}
		);
	}

	/**
	 * The results of the probe tests only, by name.
	 *
	 * @return array<string, array<string, string>>
	 */
	private function run_probes(): array {
		$results = array();
		foreach ( Health_Site_Tests::run() as $result ) {
			if ( 0 === strpos( $result['test'], 'handoff_probe' ) ) {
				$results[ $result['test'] ] = $result;
			}
		}
		return $results;
	}

	/**
	 * Requests to other hosts fail at once with handoff_offline; the site itself is
	 * reachable, with the timeout capped.
	 */
	public function test_only_the_site_itself_is_reachable(): void {
		$seen = &$this->seen;
		add_filter(
			'pre_http_request',
			static function ( $response, $args, $url ) use ( &$seen ) {
				$seen['timeouts'][ $url ] = $args['timeout'];
				return $response;
			},
			1,
			3
		);
		$this->add_tests(
			array(
				'handoff_probe_http' => array(
					'label' => 'HTTP probe',
					'test'  => static function () use ( &$seen ) {
						$start            = microtime( true );
						$outside          = wp_remote_get( 'https://api.wordpress.org/core/version-check/1.7/', array( 'timeout' => 30 ) );
						$seen['outside']  = is_wp_error( $outside ) ? $outside->get_error_code() : wp_remote_retrieve_response_code( $outside );
						$seen['seconds']  = microtime( true ) - $start;
						$own              = wp_remote_get( home_url( '/wp-json/' ), array( 'timeout' => 30 ) );
						$seen['own']      = is_wp_error( $own ) ? $own->get_error_code() : wp_remote_retrieve_response_code( $own );
						$seen['own_site'] = wp_remote_get( site_url( '/wp-login.php' ), array( 'timeout' => 1 ) );
						return self::result( 'handoff_probe_http' );
					},
				),
			)
		);

		$this->assertSame( 'good', $this->run_probes()['handoff_probe_http']['status'] );

		$this->assertSame( 'handoff_offline', $seen['outside'] );
		$this->assertLessThan( 0.5, $seen['seconds'] );
		$this->assertSame( 200, $seen['own'], 'The site answers its own REST index.' );
		$this->assertSame( Health_Site_Tests::LOOPBACK_TIMEOUT, (int) $seen['timeouts'][ home_url( '/wp-json/' ) ] );
		$this->assertSame( 1, (int) $seen['timeouts'][ site_url( '/wp-login.php' ) ], 'A shorter timeout is kept.' );
		$this->assertTrue( Health_Site_Tests::is_own_url( home_url( '/x' ) ) );
		$this->assertFalse( Health_Site_Tests::is_own_url( 'http://localhost:1/' ) );
		$this->assertFalse( Health_Site_Tests::is_own_url( 'not a url' ) );
	}

	/**
	 * Whatever a test writes is dropped before it reaches the database.
	 */
	public function test_writes_are_dropped(): void {
		global $wpdb;
		$seen = &$this->seen;
		$this->add_tests(
			array(
				'handoff_probe_write' => array(
					'label' => 'Write probe',
					'test'  => static function () use ( &$seen, $wpdb ) {
						$seen['add']    = add_option( 'handoff_health_probe', 'written', '', false );
						$seen['update'] = update_option( 'blogname', 'Changed by a test' );
						$seen['insert'] = $wpdb->insert(
							$wpdb->options,
							array(
								'option_name'  => 'handoff_health_probe_2',
								'option_value' => 'x',
								'autoload'     => 'no',
							)
						);
						$seen['delete'] = $wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name = 'blogname'" ); // phpcs:ignore WordPress.DB -- a probe.
						// A temporary table: a real one would commit the test's transaction.
						$seen['create'] = $wpdb->query( "CREATE TEMPORARY TABLE {$wpdb->prefix}handoff_probe ( id INT )" ); // phpcs:ignore WordPress.DB -- a probe.
						$seen['select'] = $wpdb->get_var( "SELECT option_value FROM {$wpdb->options} WHERE option_name = 'blogname'" ); // phpcs:ignore WordPress.DB -- a probe.
						return self::result( 'handoff_probe_write' );
					},
				),
			)
		);
		$before = $this->site_state();

		$this->assertArrayHasKey( 'handoff_probe_write', $this->run_probes() );

		$this->assertFalse( $seen['add'] );
		$this->assertFalse( $seen['update'] );
		$this->assertFalse( $seen['insert'] );
		$this->assertFalse( $seen['delete'] );
		$this->assertFalse( $seen['create'] );
		$this->assertSame( 'Sandbox Client Co.', $seen['select'], 'Reading still works.' );
		wp_cache_flush();
		$this->assertSame( $before, $this->site_state() );
		$this->assertFalse( get_option( 'handoff_health_probe' ) );
		$this->assertSame( 'Sandbox Client Co.', get_option( 'blogname' ) );
		$suppressed = $wpdb->suppress_errors( true );
		$this->assertNull( $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}handoff_probe" ) ); // phpcs:ignore WordPress.DB -- a probe.
		$this->assertStringContainsString( "doesn't exist", $wpdb->last_error );
		$wpdb->suppress_errors( $suppressed );
	}

	/**
	 * The guards are gone once the tests ran: writes and requests work again.
	 */
	public function test_the_guards_are_removed_afterwards(): void {
		$this->add_tests(
			array(
				'handoff_probe_throw' => array(
					'label' => 'Throwing probe',
					'test'  => static function () {
						throw new RuntimeException( 'boom' );
					},
				),
			)
		);
		Health_Site_Tests::run();

		$this->assertFalse( has_filter( 'pre_http_request', array( Health_Site_Tests::class, 'offline' ) ) );
		$this->assertFalse( has_filter( 'http_request_args', array( Health_Site_Tests::class, 'cap_timeout' ) ) );
		$this->assertFalse( has_filter( 'query', array( Health_Site_Tests::class, 'drop_writes' ) ) );
		$this->assertTrue( add_option( 'handoff_health_probe', 'written', '', false ) );
		$this->assertSame( 'written', get_option( 'handoff_health_probe' ) );
	}

	/**
	 * A test that throws, answers nothing or prints: reported, and nothing is printed; the
	 * others still run. Async tests and tests that cannot be called are left out; WordPress's
	 * result filter applies.
	 */
	public function test_broken_tests_are_reported(): void {
		$this->add_tests(
			array(
				'handoff_probe_throw'   => array(
					'label' => 'Throwing <em>probe</em>',
					'test'  => static function () {
						throw new RuntimeException( 'boom' );
					},
				),
				'handoff_probe_error'   => array(
					'label' => 'Erroring probe',
					'test'  => static function () {
						return intdiv( 1, 0 );
					},
				),
				'handoff_probe_none'    => array(
					'label' => 'Silent probe',
					'test'  => static function () {
						return null;
					},
				),
				'handoff_probe_echo'    => array(
					'label' => 'Noisy probe',
					'test'  => static function () {
						echo 'noise';
						ob_start();
						echo 'an unclosed buffer';
						return self::result( 'handoff_probe_echo', 'recommended', 'Noisy &amp; <strong>proud</strong>' );
					},
				),
				'handoff_probe_missing' => array(
					'label' => 'Missing probe',
					'test'  => 'handoff_no_such_function',
				),
				'handoff_probe_later'   => array(
					'label' => 'Later probe',
					'test'  => static function () {
						return self::result( 'handoff_probe_later' );
					},
				),
			)
		);
		add_filter(
			'site_status_test_result',
			static function ( $result ) {
				if ( is_array( $result ) && 'handoff_probe_later' === ( $result['test'] ?? '' ) ) {
					$result['status'] = 'critical';
				}
				return $result;
			}
		);
		$level = ob_get_level();

		$results = $this->run_probes();

		$this->assertSame( $level, ob_get_level(), 'Every buffer a test opened is closed.' );
		$this->assertSame( array( 'handoff_probe_throw', 'handoff_probe_error', 'handoff_probe_none', 'handoff_probe_echo', 'handoff_probe_later' ), array_keys( $results ) );
		$this->assertSame(
			array(
				'test'   => 'handoff_probe_throw',
				'status' => 'recommended',
				'label'  => 'Throwing probe: the test stopped with an error (RuntimeException: boom)',
				'badge'  => '',
			),
			$results['handoff_probe_throw']
		);
		$this->assertSame( 'Erroring probe: the test stopped with an error (DivisionByZeroError: Division by zero)', $results['handoff_probe_error']['label'] );
		$this->assertSame( 'Silent probe: the test gave no result', $results['handoff_probe_none']['label'] );
		$this->assertSame(
			array(
				'test'   => 'handoff_probe_echo',
				'status' => 'recommended',
				'label'  => 'Noisy & proud',
				'badge'  => 'Security',
			),
			$results['handoff_probe_echo']
		);
		$this->assertSame( 'critical', $results['handoff_probe_later']['status'], 'site_status_test_result applies.' );
	}

	/**
	 * The core tests on the sandbox take well under the answer's budget.
	 */
	public function test_the_tests_are_quick(): void {
		$start   = microtime( true );
		$results = Health_Site_Tests::run();
		$seconds = microtime( true ) - $start;
		$this->assertNotEmpty( $results );
		$this->assertLessThan( 1.5, $seconds );
	}
}
