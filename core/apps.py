from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from . import registrations


class CoreConfig(registrations.RegisteringConfig):
    """The kernel below the domain apps: outbox, scheduler, caches, sessions, errors."""

    name = "core"
    verbose_name = _("Platform")

    def registrations(self):
        from . import scheduler

        return [
            (
                scheduler.register,
                ("purge_personal_data", timedelta(days=1), scheduler.purge_personal_data),
                ("prune_task_results", timedelta(days=1), scheduler.prune_task_results),
            ),
        ]

    def ready(self):
        # core.sessions connects record_sign_in_time to user_logged_in; core.cache watches
        # every database connection's statements (what a page read, what a write changed).
        from . import cache, sessions  # noqa: F401

        cache.watch_open_connections()
        super().ready()
