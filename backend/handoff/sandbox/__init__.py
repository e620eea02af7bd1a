"""A throwaway, real WordPress on loopback (MariaDB + PHP's server), from Debian packages.

See docs/sandbox.md.
"""

import logging

from handoff.sandbox.errors import SandboxError
from handoff.sandbox.sandbox import Sandbox

# A library: warnings are in Sandbox.warnings and reach the application's log handlers, if any.
logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["Sandbox", "SandboxError"]
