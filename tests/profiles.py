"""A menu profile for the sandbox's client (editor), shared by integration and e2e tests."""

PROFILE = {
    "schema_version": 1,
    "name": "Client editor",
    "targets": {"roles": ["editor"]},
    "exempt_users": ["admin"],
    "unknown_items": "hide",
    "menu": [
        {"slug": "edit.php?post_type=page", "state": "visible", "title": "Our pages"},
        {"slug": "index.php", "state": "visible", "icon": "dashicons-admin-home"},
        {"slug": "edit.php", "state": "visible", "title": "News", "children": [
            {"slug": "post-new.php", "state": "visible", "title": "Write news"},
            {"slug": "edit.php", "state": "visible"},
            {"slug": "edit-tags.php?taxonomy=category", "state": "denied"}]},
        {"slug": "upload.php", "state": "visible"},
        {"slug": "sandbox-reports", "state": "denied"},
        {"slug": "edit.php?post_type=portfolio", "state": "denied"},
        {"slug": "tools.php", "state": "denied"},
        {"slug": "edit-comments.php", "state": "hidden"},
        {"slug": "profile.php", "state": "visible"},
    ],
    "custom_links": [{"label": "Get help", "url": "https://agency.example/help",
                      "after": "upload.php", "new_tab": True}],
    "admin_bar": {"remove": ["wp-logo", "comments"]},
    "dashboard": {"remove_widgets": ["dashboard_primary"],
                  "start_here": {"title": "Start here",
                                 "text": "Edit your pages under Our pages.",
                                 "contacts": [{"name": "Agency & Co",
                                               "email": "help@agency.example"}]}},
}
EXPECTED_TOP = ["Our pages", "Dashboard", "News", "Media", "Get help", "Profile"]
