"""What the page cache (``core.cache``) knows of a project's own rows: its page and the page's
versions, its participants, stories and attachments belong to that project alone. A project's
page reads only its own rows of them, and the services that change one project's rows say
so: a leader saving their page leaves every other project's page cached."""

from core.cache import RowScope

from .models import Attachment, Participant, ProjectPage, ProjectPageVersion, Story

#: Keyed by the project's slug (the project page's URL argument).
project_rows = RowScope(
    "project",
    (
        model._meta.db_table
        for model in (ProjectPage, ProjectPageVersion, Participant, Story, Attachment)
    ),
)
