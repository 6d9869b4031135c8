"""``/metrics`` for Prometheus: behind a token or an allow-list, labelled by view name (never by
path), and the task queue when the database task backend is installed."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone
from prometheus_client import REGISTRY

TOKEN = "metrics-token-for-tests-0123456789"


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []
    return {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


def _count(view: str, method: str = "GET", status: str | None = None) -> float:
    if status is None:
        name, labels = "portal_request_duration_seconds_count", {"view": view, "method": method}
    else:
        name, labels = "portal_requests_total", {"view": view, "method": method, "status": status}
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.mark.django_db
def test_metrics_are_not_found_when_neither_token_nor_allow_list_is_set(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert client.get("/metrics").status_code == 404


@pytest.mark.django_db
def test_metrics_need_the_right_bearer_token(client, token):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=TOKEN).status_code == 404
    response = client.get("/metrics", **token)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert b"# TYPE portal_request_duration_seconds histogram" in response.content


@pytest.mark.django_db
def test_metrics_answer_allow_listed_addresses_only(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8", "192.0.2.7"]
    assert client.get("/metrics", REMOTE_ADDR="10.20.30.40").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.8").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="not-an-address").status_code == 404


@pytest.mark.django_db
def test_requests_are_counted_by_view_name_and_status_class_never_by_path(client, token, programme):
    project_pages = _count("municipalities:project_detail")
    found = _count("municipalities:project_detail", status="2xx")
    missing = _count("municipalities:project_detail", status="4xx")
    assert client.get("/prosjekter/karmoy-omdomme/").status_code == 200
    assert client.get("/prosjekter/strand-omdomme/").status_code == 200
    assert client.get("/prosjekter/finnes-ikke/").status_code == 404
    assert _count("municipalities:project_detail") == project_pages + 3
    assert _count("municipalities:project_detail", status="2xx") == found + 2
    assert _count("municipalities:project_detail", status="4xx") == missing + 1

    body = client.get("/metrics", **token).content.decode()
    assert 'view="municipalities:project_detail"' in body
    assert "karmoy" not in body and "/prosjekter/" not in body


@pytest.mark.django_db
def test_requests_are_not_counted_while_metrics_are_off(client, settings, programme):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []
    before = _count("network:home")
    client.get("/")
    assert _count("network:home") == before


@pytest.mark.django_db
def test_counting_a_request_costs_no_query(client, token, programme, django_assert_num_queries):
    """The two queries are the scrape's own (tasks waiting and failed); counting adds none."""
    client.get("/")  # warm up (the first request loads the URL configuration)
    with django_assert_num_queries(2):
        client.get("/metrics", **token)


@pytest.fixture
def task_table(settings, django_db_blocker):
    """The database task backend's table: the one of the installed app, or made for the test
    where the app is not (yet) installed."""
    if apps.is_installed("django_tasks_db"):
        yield
        return
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_tasks_db"]
    from django_tasks_db.models import DBTaskResult

    with connection.schema_editor() as editor:
        editor.create_model(DBTaskResult)
    yield
    with connection.schema_editor() as editor:
        editor.delete_model(DBTaskResult)


@pytest.mark.django_db(transaction=True)
def test_metrics_show_the_task_queue(client, token, task_table):
    from django_tasks_db.models import DBTaskResult, get_date_max

    DBTaskResult.objects.all().delete()
    common = {"args_kwargs": {"args": [], "kwargs": {}}, "backend_name": "default"}
    for _ in range(3):
        DBTaskResult.objects.create(task_path="mail.send", run_after=get_date_max(), **common)
    DBTaskResult.objects.create(
        task_path="mail.send", run_after=timezone.now() + timedelta(days=1), **common
    )
    DBTaskResult.objects.create(
        task_path="mail.send", run_after=get_date_max(), status="FAILED", **common
    )
    DBTaskResult.objects.filter(status="READY").update(
        enqueued_at=timezone.now() - timedelta(minutes=10)
    )

    body = client.get("/metrics", **token).content.decode()
    lines = dict(line.rsplit(" ", 1) for line in body.splitlines() if not line.startswith("#"))
    assert float(lines['portal_tasks_waiting{queue="default"}']) == 3
    assert float(lines['portal_tasks_failed{queue="default"}']) == 1
    assert float(lines['portal_tasks_oldest_waiting_seconds{queue="default"}']) >= 600
