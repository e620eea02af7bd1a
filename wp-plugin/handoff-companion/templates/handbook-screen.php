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
$handoff_parts    = $view['parts'];
$handoff_search   = $view['search'];
$handoff_chapters = array_values(
	array_filter(
		$handoff_parts,
		static function ( $part ) {
			return '' !== $part['id'];
		}
	)
);
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
			data-none="<?php esc_attr_e( 'No section matches. Try another word.', 'handoff-companion' ); ?>"
		>
			<?php
			if ( '' !== $handoff_search ) {
				if ( $handoff_parts ) {
					/* translators: %d: a number of sections. */
					printf( esc_html__( 'Sections matching: %d', 'handoff-companion' ), count( $handoff_parts ) );
				} else {
					esc_html_e( 'No section matches. Try another word.', 'handoff-companion' );
				}
			}
			?>
		</p>

		<?php if ( $handoff_chapters ) : ?>
			<nav class="handoff-handbook-toc card" aria-labelledby="handoff-handbook-toc-title">
				<h2 id="handoff-handbook-toc-title"><?php esc_html_e( 'Contents', 'handoff-companion' ); ?></h2>
				<ol>
					<?php foreach ( $handoff_chapters as $handoff_chapter ) : ?>
						<li data-handoff-section="<?php echo esc_attr( $handoff_chapter['id'] ); ?>"><a href="#<?php echo esc_attr( $handoff_chapter['id'] ); ?>"><?php echo esc_html( '' !== $handoff_chapter['title'] ? $handoff_chapter['title'] : $handoff_chapter['id'] ); ?></a></li>
					<?php endforeach; ?>
				</ol>
			</nav>
		<?php endif; ?>

		<div id="handoff-handbook-content" class="handoff-handbook-content" tabindex="-1" lang="<?php echo esc_attr( $handoff_handbook['language'] ); ?>">
			<?php foreach ( $handoff_parts as $handoff_part ) : ?>
				<section class="handoff-handbook-section" data-handoff-section="<?php echo esc_attr( $handoff_part['id'] ); ?>"<?php echo '' === $handoff_part['title'] ? '' : ' aria-label="' . esc_attr( $handoff_part['title'] ) . '"'; ?>>
					<?php echo $handoff_part['html']; // Filtered by Handbook_Html::kses() in Handbook_Screen::render(); the search marks are escaped. ?>
				</section>
			<?php endforeach; ?>
		</div>
		<?php
		wp_print_inline_script_tag(
			<<<'JS'
(function () {
	var form = document.getElementById( 'handoff-handbook-search' ),
		input = document.getElementById( 'handoff-handbook-s' ),
		status = document.getElementById( 'handoff-handbook-status' ),
		sections = Array.prototype.slice.call( document.querySelectorAll( '.handoff-handbook-section' ) ),
		toc = Array.prototype.slice.call( document.querySelectorAll( '.handoff-handbook-toc li[data-handoff-section]' ) ),
		markClass = 'handoff-handbook-match',
		timer = null,
		last = null;
	if ( ! form || ! input || ! status ) {
		return;
	}
	function unmark( root ) {
		Array.prototype.slice.call( root.querySelectorAll( 'mark.' + markClass ) ).forEach( function ( mark ) {
			var parent = mark.parentNode;
			parent.replaceChild( document.createTextNode( mark.textContent ), mark );
			parent.normalize();
		} );
	}
	function mark( root, needle ) {
		var walker = document.createTreeWalker( root, NodeFilter.SHOW_TEXT, null ),
			nodes = [],
			node;
		while ( ( node = walker.nextNode() ) ) {
			nodes.push( node );
		}
		nodes.forEach( function ( text ) {
			var value = text.nodeValue,
				lower = value.toLowerCase(),
				at = lower.indexOf( needle ),
				from = 0,
				fragment;
			if ( -1 === at || lower.length !== value.length ) {
				return;
			}
			fragment = document.createDocumentFragment();
			while ( -1 !== at ) {
				var hit = document.createElement( 'mark' );
				fragment.appendChild( document.createTextNode( value.slice( from, at ) ) );
				hit.className = markClass;
				hit.textContent = value.slice( at, at + needle.length );
				fragment.appendChild( hit );
				from = at + needle.length;
				at = lower.indexOf( needle, from );
			}
			fragment.appendChild( document.createTextNode( value.slice( from ) ) );
			text.parentNode.replaceChild( fragment, text );
		} );
	}
	function run() {
		var needle = input.value.replace( /\s+/g, ' ' ).trim().toLowerCase(),
			shown = 0,
			visible = {};
		if ( needle === last ) {
			return;
		}
		last = needle;
		sections.forEach( function ( section ) {
			unmark( section );
			var hit = '' === needle || -1 !== section.textContent.replace( /\s+/g, ' ' ).toLowerCase().indexOf( needle );
			section.hidden = ! hit;
			if ( hit ) {
				shown++;
				visible[ section.getAttribute( 'data-handoff-section' ) ] = true;
				if ( '' !== needle ) {
					mark( section, needle );
				}
			}
		} );
		toc.forEach( function ( item ) {
			item.hidden = ! visible[ item.getAttribute( 'data-handoff-section' ) ];
		} );
		if ( '' === needle ) {
			status.textContent = '';
		} else if ( shown ) {
			status.textContent = status.getAttribute( 'data-count' ).replace( '%d', String( shown ) );
		} else {
			status.textContent = status.getAttribute( 'data-none' );
		}
	}
	last = input.value.replace( /\s+/g, ' ' ).trim().toLowerCase();
	input.addEventListener( 'input', function () {
		window.clearTimeout( timer );
		timer = window.setTimeout( run, 150 );
	} );
	input.addEventListener( 'keydown', function ( event ) {
		if ( 'Escape' === event.key && '' !== input.value ) {
			event.preventDefault();
			input.value = '';
			run();
		}
	} );
	form.addEventListener( 'submit', function ( event ) {
		if ( '1' !== form.getAttribute( 'data-filtered' ) ) {
			event.preventDefault();
			window.clearTimeout( timer );
			run();
		}
	} );
}());
JS
		);
		?>
	<?php endif; ?>
</div>
