"""Background work of the notifications app (run by `aftersales worker`)."""

from django_tasks import task

from aftersales.notifications.services import message_deliver


@task()
def deliver_message(message_id: int) -> None:
    message_deliver(message_id=message_id)


@task()
def deliver_messages(message_ids: list[int]) -> None:
    """A sweep's batch: each message is claimed on its own, so a retry or a second runner
    never sends one twice."""
    for message_id in message_ids:
        message_deliver(message_id=message_id)
