<?php
/**
 * Tests that the plugin's files do nothing when opened directly.
 *
 * @package Handoff\Companion\Tests
 */

/**
 * Every PHP file of the plugin, run on its own (as a web server would when someone requests
 * wp-content/plugins/handoff-companion/…/file.php), stops at once: no output, no error.
 */
class DirectAccessTest extends Handoff_Test_Case {

	/**
	 * Every PHP file of the plugin.
	 *
	 * @return array<string, array{0: string}>
	 */
	public function plugin_files(): array {
		$root  = HANDOFF_COMPANION_DIR;
		$files = array();
		$found = new RecursiveIteratorIterator( new RecursiveDirectoryIterator( $root, FilesystemIterator::SKIP_DOTS ) );
		foreach ( $found as $file ) {
			if ( 'php' === $file->getExtension() ) {
				$files[ substr( $file->getPathname(), strlen( $root ) + 1 ) ] = array( $file->getPathname() );
			}
		}
		ksort( $files );
		return $files;
	}

	/**
	 * The file starts with the guard, and exits silently when WordPress did not load it.
	 *
	 * @dataProvider plugin_files
	 *
	 * @param string $file Path of the file.
	 */
	public function test_the_file_does_nothing_on_its_own( string $file ): void {
		$source = (string) file_get_contents( $file ); // phpcs:ignore WordPress.WP.AlternativeFunctions -- a local file.
		$this->assertMatchesRegularExpression( "/^defined\\( '(ABSPATH|WP_UNINSTALL_PLUGIN)' \\) \\|\\| exit;\$/m", $source );
		$output = array();
		$status = -1;
		// phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions -- runs php-cli on a file of the plugin.
		exec( escapeshellarg( PHP_BINARY ) . ' -d display_errors=stdout ' . escapeshellarg( $file ) . ' 2>&1', $output, $status );
		$this->assertSame( 0, $status, implode( "\n", $output ) );
		$this->assertSame( array(), $output );
	}
}
