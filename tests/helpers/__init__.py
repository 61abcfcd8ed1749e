"""Helpers the test modules share (builders, validators, hand-worked fixtures); test modules never import
each other, only these (tests/ is on the path through pytest's `pythonpath` setting)."""
