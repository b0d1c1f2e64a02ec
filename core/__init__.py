"""Pure PyTorch routines behind Eager Lab: no streamlit, no plotly, runnable headless."""
