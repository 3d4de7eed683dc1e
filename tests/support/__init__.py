"""Helpers shared by the tests (on the path through pytest's `pythonpath`): paths, the hostile
corpus builder, the reader's test doubles, annotation scoring."""
