"""Training target-language NER models on projected (silver) or reviewed data."""
