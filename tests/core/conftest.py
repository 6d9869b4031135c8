import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """The test's transaction never commits: ``with committed():`` runs the commit hooks of
    the writes inside it, where the page cache renews the versions of their tables."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
