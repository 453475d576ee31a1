"""Cross-cutting contract tests: spec examples, a second generator, schema gates, inference."""
