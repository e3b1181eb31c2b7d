"""Follow-up stories start from work-order stories: reuse their fixtures."""

from tests.workorders.conftest import bought, open_job  # noqa: F401
