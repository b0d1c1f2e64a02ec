"""Tests of frame."""
