"""Background work of the notifications app (run by `aftersales worker`)."""

from django_tasks import task

from aftersales.notifications.services import message_deliver


@task()
def deliver_message(message_id: int) -> None:
    message_deliver(message_id=message_id)
