"""ehelse: split the yearly operating cost of Norway's national e-health solutions between payers."""

__version__ = "0.1.0"
