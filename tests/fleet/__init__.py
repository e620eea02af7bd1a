"""A fake fleet of WordPress sites on loopback addresses, for tests and benchmarks."""
