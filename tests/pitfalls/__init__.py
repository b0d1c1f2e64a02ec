"""Tests of pitfalls."""
