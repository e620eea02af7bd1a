"""The domain: sites, inventories, and (later) menu profiles, handbooks and handovers."""
