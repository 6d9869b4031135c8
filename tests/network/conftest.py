import pytest

from tests.factories import UserFactory


@pytest.fixture
def kari(programme):
    """Kari, with an account (password ``tests.factories.PASSWORD``) and no role."""
    return UserFactory(username="kari", email="kari@karmoy.kommune.no")
