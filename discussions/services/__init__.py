"""Every write on discussions goes through these modules; import from the submodules."""
