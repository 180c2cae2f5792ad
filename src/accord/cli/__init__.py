"""The ``accord`` command line."""
