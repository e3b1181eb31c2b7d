"""Background work of the catalog (run by `aftersales worker`): a large import, slice by slice."""

from django_tasks import task

from aftersales.catalog.services import import_job_continue


# Below the customers' messages (priority 0): a message waiting behind an import is late.
@task(priority=-10)
def import_job_task(job_id: int, runner: str) -> None:
    """Import the job's next batches for a while, then queue the rest (decision 58)."""
    import_job_continue(job_id=job_id, runner=runner)
