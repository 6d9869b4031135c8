"""No view sends mail itself: a request only records messages and queues tasks.

During a test, ``EmailMessage.send`` and the test mail backend's ``send_messages`` raise when
called while the test client (or the live server) handles a request, unless a task is running:
the immediate task backend (the tests' default) runs a queued task at once, in the request's
thread, and that is the worker's work, not the view's.
"""

from __future__ import annotations

import threading

from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend
from django.core.signals import request_finished, request_started
from django_tasks.signals import task_finished, task_started


class MailSentInRequest(AssertionError):
    pass


_state = threading.local()


def _depth(name: str) -> int:
    return getattr(_state, name, 0)


def _started(sender, **kwargs):
    _state.requests = _depth("requests") + 1


def _finished(sender, **kwargs):
    _state.requests = max(_depth("requests") - 1, 0)


def _task_started(sender, **kwargs):
    _state.tasks = _depth("tasks") + 1


def _task_finished(sender, task_result=None, **kwargs):
    _state.tasks = max(_depth("tasks") - 1, 0)
    if task_result is not None and task_result.errors:
        failed_tasks.append(task_result)


#: Tasks that raised in this test (the immediate backend records, and does not raise, them).
failed_tasks: list = []


def check() -> None:
    if _depth("requests") and not _depth("tasks"):
        raise MailSentInRequest("An e-mail was sent inside a request: record it and queue a task.")


def _guarded(original):
    def guarded(self, *args, **kwargs):
        check()
        return original(self, *args, **kwargs)

    guarded.__wrapped__ = original
    return guarded


def install() -> None:
    request_started.connect(_started, dispatch_uid="mail_guard_started")
    request_finished.connect(_finished, dispatch_uid="mail_guard_finished")
    task_started.connect(_task_started, dispatch_uid="mail_guard_task_started")
    task_finished.connect(_task_finished, dispatch_uid="mail_guard_task_finished")
    if not hasattr(EmailMessage.send, "__wrapped__"):
        EmailMessage.send = _guarded(EmailMessage.send)
        EmailBackend.send_messages = _guarded(EmailBackend.send_messages)


def reset() -> None:
    _state.requests = 0
    _state.tasks = 0
    failed_tasks.clear()
