"""The Streamlit app's own package: helpers the pages call (display, resources, warm-up) and
the projection editor component. Pages only lay these out; projection logic stays in ``xner``."""
