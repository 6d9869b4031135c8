"""Every named URL × every persona → the expected status (see ``tests/matrix.py``)."""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.matrix import Case, as_each_persona

PROJECT_NAMESPACES = {"network", "municipalities", "gatherings", "measurements", "surveys"}
UNNAMESPACED = {"healthz"}


def _cases() -> list[Case]:
    cases = []
    for path in sorted(Path(__file__).parent.glob("*/url_matrix.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.url_matrix")
        cases.extend(module.CASES)
    return cases


CASES = _cases()


def _named_urls(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace else (pattern.namespace or "")
            names |= _named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_permission_matrix_covers_every_named_url():
    project_urls = {
        name
        for name in _named_urls()
        if name.split(":")[0] in PROJECT_NAMESPACES or name in UNNAMESPACED
    }
    covered = {case.name for case in CASES}
    missing = sorted(project_urls - covered)
    assert not missing, f"URLs without an entry in tests/<app>/url_matrix.py: {missing}"
    stale = sorted(covered - project_urls)
    assert not stale, f"Matrix entries for URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_permission_matrix_status(case, request, programme):
    """Each persona's request runs in a savepoint that is rolled back, so a POST by one persona
    does not change what the next one finds."""
    wrong = []
    for persona, client in as_each_persona(request):
        response = case.send(client)
        if response.status_code != case.expected[persona]:
            wrong.append(f"{persona}: {response.status_code} (expected {case.expected[persona]})")
    assert not wrong, f"{case.id}: " + "; ".join(wrong)
