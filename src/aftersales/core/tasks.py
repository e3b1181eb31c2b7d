"""Background work of the kernel (run by `aftersales worker`): a long list's export."""

from django_tasks import task

from aftersales.core.exports import export_job_run


# Below the customers' messages (priority 0), beside the catalog's imports: a message waiting
# behind an export is late.
@task(priority=-10)
def export_job_task(job_id: int) -> None:
    """Write the export's workbook, recording its progress (decision 83)."""
    export_job_run(job_id=job_id)
