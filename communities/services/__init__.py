"""Every write on communities goes through these functions (views, admin, commands and
tests alike). Split by sub-domain; import from the submodules."""
