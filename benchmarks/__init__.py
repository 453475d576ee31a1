"""Benchmarks of the lemondata_video façade against raw httpx, run by ``scripts/bench``."""
