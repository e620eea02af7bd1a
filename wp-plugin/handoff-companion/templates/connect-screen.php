<?php
/**
 * Settings → Handoff. Variables come from Connect_Screen::render() in $view.
 *
 * @package Handoff\Companion
 *
 * @var array<string, mixed> $view
 */

defined( 'ABSPATH' ) || exit;

$handoff_result    = $view['result'];
$handoff_password  = $view['password'];
$handoff_connected = $view['bridge_user'] && $handoff_password;
?>
<div class="wrap handoff-connect">
	<h1><?php esc_html_e( 'Handoff', 'handoff-companion' ); ?></h1>
	<p><?php esc_html_e( 'Connect this site to your developer\'s Handoff backend. It reads what is installed on the site and the admin menu each role sees; it cannot log in to wp-admin, install anything or change users.', 'handoff-companion' ); ?></p>

	<?php if ( ! empty( $handoff_result['error'] ) ) : ?>
		<div class="notice notice-error"><p><?php echo esc_html( $handoff_result['error'] ); ?></p></div>
	<?php endif; ?>
	<?php if ( ! empty( $handoff_result['notice'] ) ) : ?>
		<div class="notice notice-success"><p><?php echo esc_html( $handoff_result['notice'] ); ?></p></div>
	<?php endif; ?>

	<?php if ( ! empty( $handoff_result['key'] ) ) : ?>
		<div class="notice notice-success handoff-key">
			<p><strong><?php esc_html_e( 'Connection key — copy it now. It is shown only once; pressing the button again replaces it.', 'handoff-companion' ); ?></strong></p>
			<p>
				<label for="handoff-key" class="screen-reader-text"><?php esc_html_e( 'Connection key', 'handoff-companion' ); ?></label>
				<textarea id="handoff-key" class="large-text code" rows="3" readonly onfocus="this.select()"><?php echo esc_textarea( $handoff_result['key'] ); ?></textarea>
			</p>
			<p>
				<button type="button" class="button" id="handoff-copy" data-copied="<?php esc_attr_e( 'Copied', 'handoff-companion' ); ?>" data-failed="<?php esc_attr_e( 'Press Ctrl+C (⌘C) to copy', 'handoff-companion' ); ?>"><?php esc_html_e( 'Copy key', 'handoff-companion' ); ?></button>
				<span id="handoff-copy-status" class="screen-reader-text" aria-live="polite"></span>
			</p>
			<p class="description"><?php esc_html_e( 'Do not reload this page: reloading sends the form again, which creates a new key and makes this one stop working.', 'handoff-companion' ); ?></p>
			<p><?php esc_html_e( 'On the developer\'s machine:', 'handoff-companion' ); ?></p>
			<pre class="code"><?php echo esc_html( 'handoff site add ' . $view['home_url'] . ' --key -' ); ?></pre>
			<p class="description"><?php esc_html_e( 'Then paste the key when asked (it is not echoed), or pass it with --key.', 'handoff-companion' ); ?></p>
		</div>
		<script>
			document.getElementById( 'handoff-copy' ).addEventListener( 'click', function () {
				var field = document.getElementById( 'handoff-key' ),
					status = document.getElementById( 'handoff-copy-status' ),
					button = this;
				function say( text ) {
					button.textContent = text;
					status.textContent = text;
				}
				field.select();
				( navigator.clipboard ? navigator.clipboard.writeText( field.value ) : Promise.reject() )
					.catch( function () {
						if ( ! document.execCommand( 'copy' ) ) {
							throw new Error( 'copy refused' );
						}
					} )
					.then(
						function () { say( button.dataset.copied ); },
						function () { say( button.dataset.failed ); field.focus(); field.select(); }
					);
			} );
		</script>
	<?php endif; ?>

	<h2><?php esc_html_e( 'Status', 'handoff-companion' ); ?></h2>
	<table class="form-table" role="presentation">
		<tr>
			<th scope="row"><?php esc_html_e( 'Connection', 'handoff-companion' ); ?></th>
			<td id="handoff-status">
				<?php if ( $handoff_connected ) : ?>
					<?php
					printf(
						/* translators: %s: the bridge user's login. */
						esc_html__( 'Connected as the user %s.', 'handoff-companion' ),
						'<code>' . esc_html( $view['bridge_user']->user_login ) . '</code>'
					);
					?>
				<?php else : ?>
					<?php esc_html_e( 'Not connected.', 'handoff-companion' ); ?>
				<?php endif; ?>
			</td>
		</tr>
		<?php if ( $handoff_connected ) : ?>
			<tr>
				<th scope="row"><?php esc_html_e( 'Last used', 'handoff-companion' ); ?></th>
				<td>
					<?php
					if ( ! empty( $handoff_password['last_used'] ) ) {
						printf(
							/* translators: 1: how long ago, 2: IP address. */
							esc_html__( '%1$s ago, from %2$s', 'handoff-companion' ),
							esc_html( human_time_diff( (int) $handoff_password['last_used'] ) ),
							esc_html( (string) $handoff_password['last_ip'] )
						);
					} else {
						esc_html_e( 'Not yet.', 'handoff-companion' );
					}
					?>
				</td>
			</tr>
		<?php endif; ?>
	</table>

	<?php if ( ! $view['supported'] ) : ?>
		<div class="notice notice-warning inline"><p><?php esc_html_e( 'WordPress only allows Application Passwords over HTTPS. Open this screen over https:// to connect (or, on a development copy, set WP_ENVIRONMENT_TYPE to "local").', 'handoff-companion' ); ?></p></div>
	<?php endif; ?>

	<form method="post" action="">
		<?php wp_nonce_field( $view['nonce'] ); ?>
		<input type="hidden" name="<?php echo esc_attr( $view['action_name'] ); ?>" value="connect">
		<?php
		submit_button(
			$handoff_connected ? __( 'Create a new connection key', 'handoff-companion' ) : __( 'Connect to Handoff', 'handoff-companion' ),
			'primary',
			'handoff-connect',
			false,
			$view['supported'] ? array() : array( 'disabled' => 'disabled' )
		);
		?>
		<?php if ( $handoff_connected ) : ?>
			<p class="description"><?php esc_html_e( 'A new key replaces the old one: the backend must be given the new key.', 'handoff-companion' ); ?></p>
		<?php endif; ?>
	</form>

	<?php if ( $view['bridge_user'] ) : ?>
		<h2><?php esc_html_e( 'Disconnect', 'handoff-companion' ); ?></h2>
		<form method="post" action="">
			<?php wp_nonce_field( $view['nonce'] ); ?>
			<input type="hidden" name="<?php echo esc_attr( $view['action_name'] ); ?>" value="disconnect">
			<p><?php esc_html_e( 'Revokes the backend\'s password and deletes its user. Nothing else on the site changes.', 'handoff-companion' ); ?></p>
			<p>
				<label>
					<input type="checkbox" name="handoff_confirm" value="1" required>
					<?php esc_html_e( 'I understand that the backend loses access to this site.', 'handoff-companion' ); ?>
				</label>
			</p>
			<?php submit_button( __( 'Disconnect', 'handoff-companion' ), 'secondary button-link-delete', 'handoff-disconnect', false ); ?>
		</form>
	<?php endif; ?>
</div>
