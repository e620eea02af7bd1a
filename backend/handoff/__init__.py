"""Handoff: hand finished WordPress sites over to their clients."""

__version__ = "0.1.0"

# The oldest companion plugin and WordPress this backend can talk to.
MIN_PLUGIN_VERSION = "0.1.0"
MIN_WORDPRESS_VERSION = "6.1"
