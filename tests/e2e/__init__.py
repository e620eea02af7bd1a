"""Browser tests: a package, so its modules may share a basename with a unit test module."""
