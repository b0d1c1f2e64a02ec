"""The throwaway page the 'Adding a page' recipe test adds to a copy of the tree (see tests/house/test_recipe.py)."""
