"""The build engine: what to build (plan), what changed (fingerprints, manifest, stamp), and what
is kept between builds (the parse cache). It knows nothing of what a reply says."""
