"""Full-text search over passages: `passages` holds the Whoosh index, query checking and
expansion, and the fast scorer. Importing this package does not import Whoosh."""
