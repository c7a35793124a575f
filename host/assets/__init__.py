"""The host's static files at versioned, year-cached URLs (build.py: minified, bundled, gzipped
once at start; routes.py serves them; templates link them with asset_url())."""
