<?php
/**
 * Which menu item governs each door into wp-admin's data.
 *
 * @package Handoff\Companion
 */

namespace Handoff\Companion;

defined( 'ABSPATH' ) || exit;

/**
 * Data only, read by the guards and by the tests (each row is a test case): for every core
 * screen, admin-ajax action and REST route that shows or changes what a menu item governs,
 * the item(s) whose denial closes it; and the capabilities each core item stands for
 * beyond its menu capability.
 *
 * A row's `by` says how the governing item is found from the request:
 *
 * - `item`: the fixed items listed (the door is refused when any of them is denied);
 * - `post_type`: the request's `post_type` argument (none means `post`) turns each listed
 *   file into `FILE?post_type=X` (`FILE` alone for posts; attachments: upload.php);
 * - `post`: the post named by the first present `args` → its type, then as `post_type`;
 * - `revision`: the revision named by `args` → its parent's type, then as `post_type`;
 * - `taxonomy`: the `taxonomy` argument → `edit-tags.php?taxonomy=T`;
 * - `option_page`: options.php's settings group (`option_page`, posted) → its settings
 *   screen (OPTION_PAGES), or the plugin page of the same name, else Settings.
 */
final class Menu_Door_Table {

	/**
	 * wp-admin screens (the file loaded) → what governs them. Screens not listed are
	 * matched by file and query against the denied slugs as written in the menu.
	 */
	public const SCREENS = array(
		'edit.php'          => array(
			'by'    => 'post_type',
			'items' => array( 'edit.php' ),
		),
		'post-new.php'      => array(
			'by'    => 'post_type',
			'items' => array( 'post-new.php', 'edit.php' ),
		),
		'post.php'          => array(
			'by'    => 'post',
			'args'  => array( 'post', 'post_ID' ),
			'items' => array( 'edit.php' ),
		),
		'revision.php'      => array(
			'by'    => 'revision',
			'args'  => array( 'revision', 'to', 'from' ),
			'items' => array( 'edit.php' ),
		),
		'press-this.php'    => array(
			'by'    => 'item',
			'items' => array( 'post-new.php', 'edit.php' ),
		),
		'edit-tags.php'     => array(
			'by'    => 'taxonomy',
			'items' => array( 'edit-tags.php' ),
		),
		'term.php'          => array(
			'by'    => 'taxonomy',
			'items' => array( 'edit-tags.php' ),
		),
		'upload.php'        => array(
			'by'    => 'item',
			'items' => array( 'upload.php' ),
		),
		'media-new.php'     => array(
			'by'    => 'item',
			'items' => array( 'media-new.php', 'upload.php' ),
		),
		'media-upload.php'  => array(
			'by'    => 'item',
			'items' => array( 'media-new.php', 'upload.php' ),
		),
		'async-upload.php'  => array(
			'by'    => 'item',
			'items' => array( 'media-new.php', 'upload.php' ),
		),
		'media.php'         => array(
			'by'    => 'item',
			'items' => array( 'upload.php' ),
		),
		'comment.php'       => array(
			'by'    => 'item',
			'items' => array( 'edit-comments.php' ),
		),
		'options.php'       => array(
			'by'    => 'option_page',
			'items' => array( 'options-general.php' ),
		),
		'export.php'        => array(
			'by'    => 'item',
			'items' => array( 'export.php', 'tools.php' ),
		),
		'import.php'        => array(
			'by'    => 'item',
			'items' => array( 'import.php', 'tools.php' ),
		),
		'customize.php'     => array(
			'by'    => 'item',
			'items' => array( 'customize.php', 'themes.php' ),
		),
		'site-editor.php'   => array(
			'by'    => 'item',
			'items' => array( 'site-editor.php', 'themes.php' ),
		),
		'user-edit.php'     => array(
			'by'    => 'item',
			'items' => array( 'users.php' ),
		),
		'user-new.php'      => array(
			'by'    => 'item',
			'items' => array( 'user-new.php', 'users.php' ),
		),
		'theme-install.php' => array(
			'by'    => 'item',
			'items' => array( 'theme-install.php', 'themes.php' ),
		),
		'plugin-install.php' => array(
			'by'    => 'item',
			'items' => array( 'plugin-install.php', 'plugins.php' ),
		),
	);

	/**
	 * options.php's settings groups of core → the settings screen they belong to.
	 */
	public const OPTION_PAGES = array(
		'general'    => 'options-general.php',
		'writing'    => 'options-writing.php',
		'reading'    => 'options-reading.php',
		'discussion' => 'options-discussion.php',
		'media'      => 'options-media.php',
		'permalink'  => 'options-permalink.php',
		'privacy'    => 'options-privacy.php',
	);

	/**
	 * admin-ajax actions of core that change what an item governs → the item, found as
	 * for SCREENS. Actions whose handlers check a meta capability the capability guard
	 * denies by object are listed too, so that they are refused before the handler runs.
	 */
	public const AJAX_ACTIONS = array(
		'inline-save'            => array(
			'by'    => 'post',
			'args'  => array( 'post_ID' ),
			'items' => array( 'edit.php' ),
		),
		'sample-permalink'       => array(
			'by'    => 'post',
			'args'  => array( 'post_id' ),
			'items' => array( 'edit.php' ),
		),
		'trash-post'             => array(
			'by'    => 'post',
			'args'  => array( 'id' ),
			'items' => array( 'edit.php' ),
		),
		'untrash-post'           => array(
			'by'    => 'post',
			'args'  => array( 'id' ),
			'items' => array( 'edit.php' ),
		),
		'delete-post'            => array(
			'by'    => 'post',
			'args'  => array( 'id' ),
			'items' => array( 'edit.php' ),
		),
		'add-meta'               => array(
			'by'    => 'post',
			'args'  => array( 'post_id' ),
			'items' => array( 'edit.php' ),
		),
		'inline-save-tax'        => array(
			'by'    => 'taxonomy',
			'items' => array( 'edit-tags.php' ),
		),
		'add-tag'                => array(
			'by'    => 'taxonomy',
			'items' => array( 'edit-tags.php' ),
		),
		'delete-tag'             => array(
			'by'    => 'taxonomy',
			'items' => array( 'edit-tags.php' ),
		),
		'replyto-comment'        => array(
			'by'    => 'item',
			'items' => array( 'edit-comments.php' ),
		),
		'edit-comment'           => array(
			'by'    => 'item',
			'items' => array( 'edit-comments.php' ),
		),
		'delete-comment'         => array(
			'by'    => 'item',
			'items' => array( 'edit-comments.php' ),
		),
		'dim-comment'            => array(
			'by'    => 'item',
			'items' => array( 'edit-comments.php' ),
		),
		'get-comments'           => array(
			'by'    => 'item',
			'items' => array( 'edit-comments.php' ),
		),
		'upload-attachment'      => array(
			'by'    => 'item',
			'items' => array( 'media-new.php', 'upload.php' ),
		),
		'save-attachment'        => array(
			'by'    => 'item',
			'items' => array( 'upload.php' ),
		),
		'save-attachment-compat' => array(
			'by'    => 'item',
			'items' => array( 'upload.php' ),
		),
	);

	/**
	 * REST routes of core (namespace wp/v2, by the first part of the route after it) that
	 * are not a post type's or a taxonomy's (those are found by their `rest_base`) → the
	 * item, and which requests are refused: `all`, or `writes` (every method but GET and
	 * HEAD, and GET with `context=edit`: reading what the front end shows stays open).
	 */
	public const REST_ROUTES = array(
		'comments'       => array(
			'items'   => array( 'edit-comments.php' ),
			'refuses' => 'writes',
		),
		'settings'       => array(
			'items'   => array( 'options-general.php' ),
			'refuses' => 'all',
		),
		'users'          => array(
			'items'   => array( 'users.php' ),
			'refuses' => 'writes',
		),
		'plugins'        => array(
			'items'   => array( 'plugins.php' ),
			'refuses' => 'all',
		),
		'menus'          => array(
			'items'   => array( 'nav-menus.php', 'themes.php' ),
			'refuses' => 'writes',
		),
		'menu-items'     => array(
			'items'   => array( 'nav-menus.php', 'themes.php' ),
			'refuses' => 'writes',
		),
		'widgets'        => array(
			'items'   => array( 'widgets.php', 'themes.php' ),
			'refuses' => 'writes',
		),
		'sidebars'       => array(
			'items'   => array( 'widgets.php', 'themes.php' ),
			'refuses' => 'writes',
		),
		'templates'      => array(
			'items'   => array( 'site-editor.php', 'themes.php' ),
			'refuses' => 'writes',
		),
		'template-parts' => array(
			'items'   => array( 'site-editor.php', 'themes.php' ),
			'refuses' => 'writes',
		),
		'global-styles'  => array(
			'items'   => array( 'site-editor.php', 'themes.php' ),
			'refuses' => 'writes',
		),
	);

	/**
	 * REST routes that stay open whatever is denied: the user's own account, which the
	 * block editor reads on every screen.
	 */
	public const REST_ALWAYS_OPEN = array( 'users/me' );

	/**
	 * Capabilities a core item stands for besides its menu capability (post type and
	 * taxonomy screens add their type's capabilities: Menu_Lock_Plan).
	 */
	public const ITEM_CAPS = array(
		'edit-comments.php'  => array( 'moderate_comments' ),
		'upload.php'         => array( 'upload_files' ),
		'media-new.php'      => array( 'upload_files' ),
		'users.php'          => array( 'list_users', 'edit_users', 'create_users', 'delete_users', 'promote_users', 'remove_users' ),
		'user-new.php'       => array( 'create_users', 'promote_users' ),
		'plugins.php'        => array( 'activate_plugins', 'install_plugins', 'update_plugins', 'delete_plugins', 'edit_plugins' ),
		'plugin-install.php' => array( 'install_plugins' ),
		'plugin-editor.php'  => array( 'edit_plugins' ),
		'themes.php'         => array( 'switch_themes', 'install_themes', 'update_themes', 'delete_themes' ),
		'theme-editor.php'   => array( 'edit_themes' ),
		'update-core.php'    => array( 'update_core' ),
		'import.php'         => array( 'import' ),
		'export.php'         => array( 'export' ),
	);

	/**
	 * Capabilities never withheld: every signed-in user's, the bridge's.
	 */
	public const NEVER_WITHHELD = array( 'read', 'exist', Capabilities::BRIDGE_CAP );

	/**
	 * The object meta capabilities the capability guard denies on a denied post type.
	 */
	public const POST_META_CAPS = array( 'edit_post', 'edit_page', 'delete_post', 'delete_page', 'publish_post' );

	/**
	 * The object meta capabilities denied on a denied taxonomy's terms.
	 */
	public const TERM_META_CAPS = array( 'edit_term', 'delete_term' );
}
