"""The measurement and verdict engine: objectives compiled to set-based queries."""
