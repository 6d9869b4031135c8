"""The stored-file kernel: server-made names, and files removed only once their removal is
committed."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.db import transaction

from core.files import delete_on_commit, server_made_name


def test_a_stored_file_gets_a_random_name_with_the_checked_extension():
    first, second = server_made_name("vedlegg", "pdf"), server_made_name("vedlegg", "pdf")
    assert re.fullmatch(r"vedlegg/[0-9a-f]{32}\.pdf", first) and first != second
    assert server_made_name("gatherings/materials", "").endswith(".bin")


@pytest.mark.django_db(transaction=True)
def test_files_are_deleted_after_the_commit_and_kept_after_a_rollback():
    storage = InMemoryStorage()
    kept, removed = storage.save("a.pdf", _content()), storage.save("b.pdf", _content())
    with pytest.raises(RuntimeError), transaction.atomic():
        delete_on_commit(storage, kept, "")
        raise RuntimeError
    with transaction.atomic():
        delete_on_commit(storage, removed)
        assert storage.exists(removed)
    assert storage.exists(kept) and not storage.exists(removed)


def _content() -> ContentFile:
    return ContentFile(b"%PDF-1.4")
