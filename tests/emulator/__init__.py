"""Tests of lemondata_video.emulator, over real HTTP on loopback."""
