"""Field service stories share dispatch's: a phone in Guangzhou's Tianhe district and an on-site
job opened on it by the hotline (`next_day_window` and `iso` come from there too)."""

from tests.dispatch.conftest import on_site_job, phone  # noqa: F401
