"""The client handbook: templates + the site's inventory + the client's menu + the intake."""
