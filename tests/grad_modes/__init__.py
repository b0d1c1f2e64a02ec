"""Tests of grad modes."""
