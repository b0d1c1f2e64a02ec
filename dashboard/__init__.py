"""Streamlit UI of Eager Lab: the entry, settings, URL state, language catalogs, chart builders and widgets."""
