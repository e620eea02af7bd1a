<?php
/**
 * The Site Handbook screen. Variables come from Handbook_Screen::render() in $view.
 *
 * @package Handoff\Companion
 *
 * @var array<string, mixed> $view
 */

defined( 'ABSPATH' ) || exit;

$handoff_handbook = $view['handbook'];
$handoff_chapters = $view['chapters'];
$handoff_results  = $view['results'];
$handoff_search   = $view['search'];
?>
<style>
	.handoff-handbook .handoff-handbook-skip:focus { position: static; display: inline-block; width: auto; height: auto; margin: 0 0 8px; padding: 8px 12px; clip: auto; clip-path: none; overflow: visible; background: #fff; color: #2271b1; box-shadow: 0 0 0 2px #2271b1; }
	.handoff-handbook .handoff-handbook-meta { margin-top: 0; color: #50575e; }
	.handoff-handbook .handoff-handbook-search { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin: 16px 0 4px; }
	.handoff-handbook .handoff-handbook-search input[type="search"] { width: 22em; max-width: 100%; }
	.handoff-handbook .handoff-handbook-status { min-height: 1.5em; margin: 0 0 12px; }
	.handoff-handbook .handoff-handbook-toc, .handoff-handbook .handoff-handbook-content { max-width: 70ch; }
	.handoff-handbook .handoff-handbook-toc { padding: 4px 20px 8px; }
	.handoff-handbook .handoff-handbook-toc h2 { font-size: 1.1em; }
	.handoff-handbook .handoff-handbook-toc ol { margin-left: 1.5em; }
	.handoff-handbook .handoff-handbook-content { font-size: 15px; line-height: 1.65; }
	.handoff-handbook .handoff-handbook-content:focus { outline: none; }
	.handoff-handbook .handoff-handbook-content h2 { font-size: 1.5em; margin: 1.8em 0 0.6em; padding-top: 0.6em; border-top: 1px solid #dcdcde; scroll-margin-top: 48px; }
	.handoff-handbook .handoff-handbook-section:first-child h2 { border-top: 0; margin-top: 0.8em; }
	.handoff-handbook .handoff-handbook-content h3 { font-size: 1.2em; margin: 1.4em 0 0.5em; }
	.handoff-handbook .handoff-handbook-content p, .handoff-handbook .handoff-handbook-content li { font-size: inherit; line-height: inherit; }
	.handoff-handbook .handoff-handbook-content ul { list-style: disc; margin-left: 1.5em; }
	.handoff-handbook .handoff-handbook-content ol { margin-left: 1.5em; }
	.handoff-handbook .handoff-handbook-content blockquote { margin: 1em 0; padding: 0.5em 1em; border-left: 4px solid #72aee6; background: #f6f7f7; }
	.handoff-handbook .handoff-handbook-content table { border-collapse: collapse; margin: 1em 0; }
	.handoff-handbook .handoff-handbook-content th, .handoff-handbook .handoff-handbook-content td { border: 1px solid #dcdcde; padding: 6px 10px; text-align: left; vertical-align: top; }
	.handoff-handbook .handoff-handbook-content img { max-width: 100%; height: auto; }
	.handoff-handbook mark.handoff-handbook-match { background: #fcf0a1; color: inherit; padding: 0 1px; }
	.handoff-handbook .handoff-handbook-results { list-style: none; margin: 0; padding: 0; }
	.handoff-handbook .handoff-handbook-result { margin: 0 0 1.5em; padding: 0.2em 0 0.8em; border-bottom: 1px solid #dcdcde; }
	.handoff-handbook .handoff-handbook-result-chapter { margin: 0; font-size: 13px; color: #50575e; }
	.handoff-handbook .handoff-handbook-result h2, .handoff-handbook .handoff-handbook-result h3 { margin-top: 0.3em; padding-top: 0; border-top: 0; }
	@media print {
		#adminmenumain, #wpadminbar, #wpfooter, #screen-meta, #screen-meta-links, .notice, .update-nag, .handoff-handbook-search, .handoff-handbook-status, .handoff-handbook-skip { display: none !important; }
		#wpcontent, #wpfooter { margin-left: 0 !important; }
		#wpbody-content { padding-bottom: 0; }
		html.wp-toolbar { padding-top: 0; }
		.handoff-handbook .handoff-handbook-toc { border: 0; box-shadow: none; padding: 0; }
		.handoff-handbook .handoff-handbook-toc, .handoff-handbook .handoff-handbook-content { max-width: none; }
		.handoff-handbook .handoff-handbook-content { font-size: 11pt; color: #000; }
		.handoff-handbook .handoff-handbook-content h2 { break-after: avoid; }
		.handoff-handbook .handoff-handbook-content a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 0.85em; }
		.handoff-handbook mark.handoff-handbook-match { background: none; }
	}
</style>
<div class="wrap handoff-handbook">
	<?php if ( ! $handoff_handbook ) : ?>
		<h1><?php esc_html_e( 'Site Handbook', 'handoff-companion' ); ?></h1>
		<div class="notice notice-warning inline"><p><?php esc_html_e( 'The handbook is not available right now. Ask the person who looks after your site.', 'handoff-companion' ); ?></p></div>
	<?php else : ?>
		<a class="screen-reader-text handoff-handbook-skip" href="#handoff-handbook-content"><?php esc_html_e( 'Skip to the handbook', 'handoff-companion' ); ?></a>
		<h1><?php echo esc_html( $handoff_handbook['title'] ); ?></h1>
		<p class="handoff-handbook-meta">
			<?php
			/* translators: %s: a date. */
			printf( esc_html__( 'Published on %s', 'handoff-companion' ), esc_html( $view['published_on'] ) );
			?>
		</p>

		<form id="handoff-handbook-search" class="handoff-handbook-search" role="search" method="get" action="<?php echo esc_url( $view['action'] ); ?>" data-filtered="<?php echo '' === $handoff_search ? '0' : '1'; ?>">
			<input type="hidden" name="page" value="<?php echo esc_attr( $view['page'] ); ?>">
			<label for="handoff-handbook-s"><?php esc_html_e( 'Search the handbook', 'handoff-companion' ); ?></label>
			<input type="search" id="handoff-handbook-s" name="s" value="<?php echo esc_attr( $handoff_search ); ?>" maxlength="100" aria-controls="handoff-handbook-content" aria-describedby="handoff-handbook-status" autocomplete="off">
			<input type="submit" class="button" value="<?php esc_attr_e( 'Search', 'handoff-companion' ); ?>">
			<?php if ( '' !== $handoff_search ) : ?>
				<a href="<?php echo esc_url( $view['url'] ); ?>"><?php esc_html_e( 'Show the whole handbook', 'handoff-companion' ); ?></a>
			<?php endif; ?>
		</form>
		<p id="handoff-handbook-status" class="handoff-handbook-status description" role="status" aria-live="polite"
			data-count="<?php /* translators: %d: a number of sections. */ esc_attr_e( 'Sections matching: %d', 'handoff-companion' ); ?>"
			data-partial="<?php /* translators: %d: a number of sections. */ esc_attr_e( 'No section has all of these words. Sections with most of them: %d', 'handoff-companion' ); ?>"
			data-none="<?php esc_attr_e( 'No section matches. Try another word.', 'handoff-companion' ); ?>"
		>
			<?php
			if ( '' !== $handoff_search ) {
				if ( ! $handoff_results ) {
					esc_html_e( 'No section matches. Try another word.', 'handoff-companion' );
				} elseif ( $view['complete'] ) {
					/* translators: %d: a number of sections. */
					printf( esc_html__( 'Sections matching: %d', 'handoff-companion' ), count( $handoff_results ) );
				} else {
					/* translators: %d: a number of sections. */
					printf( esc_html__( 'No section has all of these words. Sections with most of them: %d', 'handoff-companion' ), count( $handoff_results ) );
				}
			}
			?>
		</p>

		<?php if ( array_filter( array_column( $handoff_chapters, 'id' ) ) ) : ?>
			<nav class="handoff-handbook-toc card" aria-labelledby="handoff-handbook-toc-title">
				<h2 id="handoff-handbook-toc-title"><?php esc_html_e( 'Contents', 'handoff-companion' ); ?></h2>
				<ol>
					<?php foreach ( $handoff_chapters as $handoff_chapter ) : ?>
						<?php if ( '' !== $handoff_chapter['id'] ) : ?>
							<li data-handoff-section="<?php echo esc_attr( $handoff_chapter['id'] ); ?>"><a href="#<?php echo esc_attr( $handoff_chapter['id'] ); ?>"><?php echo esc_html( '' !== $handoff_chapter['title'] ? $handoff_chapter['title'] : $handoff_chapter['id'] ); ?></a></li>
						<?php endif; ?>
					<?php endforeach; ?>
				</ol>
			</nav>
		<?php endif; ?>

		<div id="handoff-handbook-content" class="handoff-handbook-content" tabindex="-1" lang="<?php echo esc_attr( $handoff_handbook['language'] ); ?>">
			<ol class="handoff-handbook-results" aria-label="<?php esc_attr_e( 'Search results', 'handoff-companion' ); ?>"<?php echo $handoff_results ? '' : ' hidden'; ?>>
				<?php foreach ( $handoff_results as $handoff_result ) : ?>
					<li class="handoff-handbook-result" data-handoff-section="<?php echo esc_attr( $handoff_result['chapter'] ); ?>">
						<?php if ( 3 === $handoff_result['level'] ) : ?>
							<p class="handoff-handbook-result-chapter"><a href="<?php echo esc_url( $view['url'] . '#' . $handoff_result['chapter'] ); ?>"><?php echo esc_html( $handoff_result['chapter_title'] ); ?></a></p>
						<?php endif; ?>
						<?php echo $handoff_result['html']; // Filtered by Handbook_Html::kses() (Handbook_Search::body_sections()); the search marks are escaped. ?>
					</li>
				<?php endforeach; ?>
			</ol>
			<?php foreach ( $handoff_chapters as $handoff_chapter ) : ?>
				<section class="handoff-handbook-section" data-handoff-section="<?php echo esc_attr( $handoff_chapter['id'] ); ?>"<?php echo '' === $handoff_chapter['title'] ? '' : ' aria-label="' . esc_attr( $handoff_chapter['title'] ) . '"'; ?>>
					<?php foreach ( $handoff_chapter['sections'] as $handoff_section ) : ?>
						<div class="handoff-handbook-part" data-handoff-level="<?php echo esc_attr( (string) $handoff_section['level'] ); ?>"><?php echo $handoff_section['html']; // Filtered by Handbook_Html::kses() (Handbook_Search::body_sections()). ?></div>
					<?php endforeach; ?>
				</section>
			<?php endforeach; ?>
		</div>
		<?php if ( $handoff_chapters ) : ?>
			<script type="application/json" id="handoff-handbook-search-data"><?php echo wp_json_encode( $view['search_data'], JSON_HEX_TAG | JSON_HEX_AMP | JSON_UNESCAPED_UNICODE ); ?></script>
		<?php endif; ?>
	<?php endif; ?>
</div>
