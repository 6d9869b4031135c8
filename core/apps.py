from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel below the domain apps: outbox, scheduler, caches, sessions, errors."""

    name = "core"
    verbose_name = _("Platform")

    def ready(self):
        # core.sessions connects record_sign_in_time to user_logged_in.
        from . import scheduler, sessions  # noqa: F401

        scheduler.register("purge_personal_data", timedelta(days=1), scheduler.purge_personal_data)
        scheduler.register("prune_task_results", timedelta(days=1), scheduler.prune_task_results)
