"""The framework floor: a minimal Django + django-ninja endpoint that validates a JSON POST and
inserts one row, served exactly as `aftersales serve` serves the application (bench.web).

    python -m bench.floor prepare ROWS     # its database: created, migrated, ROWS rows on file
    python -m bench.floor serve HOST:PORT  # `aftersales serve`'s gunicorn, on bench.floor.urls

DATABASE_URL names the floor's own database (the harness gives it `<bench database>_floor`).
Nothing of Aftersales is installed: no middleware, no authentication, one table. It lives under
bench/ and never ships in the application.
"""
