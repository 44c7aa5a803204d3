"""The flow lock: one writer per process at a time, on PostgreSQL and on SQLite."""

from contextlib import ExitStack, contextmanager

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from viewflow.workflow.exceptions import FlowLockFailed

LOCK_TIMEOUT_MS = getattr(settings, "CASEWORK_FLOW_LOCK_TIMEOUT_MS", 5000)


class RowLock:
    """Lock the process row for the rest of the transaction.

    PostgreSQL: SELECT … FOR UPDATE, waiting at most LOCK_TIMEOUT_MS (lock_timeout).
    SQLite: the settings open every transaction with BEGIN IMMEDIATE, which takes the database's
    write lock (waiting up to the connection timeout), so the transaction itself is the lock.
    A lock that cannot be had raises viewflow's FlowLockFailed.
    """

    @contextmanager
    def __call__(self, flow_class, process_pk):
        with ExitStack() as stack:
            try:
                stack.enter_context(transaction.atomic())
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute(f"SET LOCAL lock_timeout = {int(LOCK_TIMEOUT_MS)}")
                    manager = flow_class.process_class._default_manager
                    list(manager.filter(pk=process_pk).select_for_update().values_list("pk"))
            except DatabaseError as error:
                raise FlowLockFailed(f"Lock failed for {flow_class} #{process_pk}") from error
            yield


flow_lock = RowLock()
