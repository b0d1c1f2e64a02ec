"""Tests in a real browser (chromium): every page, layouts, presenter mode, hostile input, a class of browsers."""
