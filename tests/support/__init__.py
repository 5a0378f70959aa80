"""What the tests (and the benchmarks) build on: API factories, synthetic uploads, CCLF files,
and the real server as a separate process."""
