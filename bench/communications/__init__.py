"""The communications benchmark: a notice to every contact of 5,000 customers (python -m
bench.communications)."""
