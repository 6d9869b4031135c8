"""A project's charts are drawn when its numbers change, by the worker, so that the first
visitor after does not wait for them; ``manage.py draw_charts`` draws them all again after
Redis was restarted."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from measurements import drawings, services
from tests.measurements.factories import drawn_charts, publish, url
from tests.tasks_helpers import run_queued_tasks, use_database_queue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_drawn_yet():
    drawings.INDICATORS.clear()
    cache.clear()


def drawn_on_view(monkeypatch, project) -> int:
    """How many charts a worker that has drawn nothing itself draws for the page, nb and nn."""
    drawings.INDICATORS.clear()
    calls = drawn_charts(monkeypatch)
    for lang in ("nb", "nn"):
        page = Client().get(url("measurements:project_progress", project.slug, lang=lang))
        assert page.status_code == 200
    return len(calls)


def test_publishing_results_has_the_worker_draw_the_charts_in_every_language(
    settings, karmoy, leader_karmoy, monkeypatch, django_capture_on_commit_callbacks
):
    use_database_queue(settings)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_publication(local_project=karmoy, user=leader_karmoy, publish=True)
    task = DBTaskResult.objects.get()
    assert task.task_path == "measurements.tasks.draw_progress"
    assert task.args_kwargs["args"] == [[karmoy.pk]]
    assert run_queued_tasks() == 1
    assert drawn_on_view(monkeypatch, karmoy) == 0


def test_new_numbers_are_drawn_by_the_worker_not_by_the_next_visitor(
    settings, karmoy, leader_karmoy, monkeypatch, django_capture_on_commit_callbacks
):
    publish(karmoy)
    assert drawn_on_view(monkeypatch, karmoy) > 0  # nothing drawn before
    monkeypatch.undo()
    use_database_queue(settings)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_goals(local_project=karmoy, user=leader_karmoy, loaded_version=1, goals={})
    assert run_queued_tasks() == 1
    assert drawn_on_view(monkeypatch, karmoy) == 0


def test_draw_charts_draws_every_published_progress_page(karmoy, strand, monkeypatch):
    publish(karmoy)
    out = io.StringIO()
    call_command("draw_charts", stdout=out)
    assert "framgangssider tegnet" in out.getvalue()
    assert drawn_on_view(monkeypatch, karmoy) == 0
