"""Developer tools shared by the browser tests, benchmarks and scripts (not used by the app)."""
