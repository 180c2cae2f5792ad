"""Use cases: the functions every interface calls."""
