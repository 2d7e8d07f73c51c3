"""Development tools: demo data, the benchmarks, the scale-data generator and the
embedded Postgres and Redis. Never part of production.

The settings add this app to INSTALLED_APPS only when DJANGO_DEV_TOOLS is on (`make run`,
`make bench*` and the test settings turn it on); its URLs (the benchmark's hello view)
are routed only then. The Docker image leaves this directory out (.dockerignore) and
installs none of its dependencies (the `embedded` extra of pyproject.toml).
"""
