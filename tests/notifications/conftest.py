"""Message stories: the seeded templates, a clean fake SMS gateway, and the work-order fixtures."""

import importlib

import pytest
from django.apps import apps

from aftersales.notifications.gateways import FAKE_SMS
from tests.workorders.conftest import bought, open_job, tech  # noqa: F401


@pytest.fixture(autouse=True)
def templates(db):  # type: ignore[no-untyped-def]
    """The data migration's templates (a transactional test's flush removes them: seed again)."""
    seed = importlib.import_module("aftersales.notifications.migrations.0002_seed_templates")
    seed.seed(apps, None)


@pytest.fixture(autouse=True)
def fake_sms():  # type: ignore[no-untyped-def]
    FAKE_SMS.sent.clear()
    yield FAKE_SMS
    FAKE_SMS.sent.clear()


@pytest.fixture
def immediate_tasks(settings):  # type: ignore[no-untyped-def]
    """Run enqueued tasks at once (the worker's job), so a commit delivers its messages."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
