"""Tests of reproduce."""
