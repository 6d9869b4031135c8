"""The page cache keeps a page while nothing it was made of has changed (core/cache.py): the
tables its render read (a write renews the versions of the tables it wrote when its
transaction commits, from a request, a worker's task or a command alike), the values it read
from the shared cache, and the generation."""

import contextlib
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from core.cache import (
    HIT_HEADER,
    NO_KEY,
    TABLE_KEY,
    VOLATILE_TABLES,
    PageCacheMiddleware,
    RowScope,
    bump_tables,
    statement,
)
from network.models import Programme
from surveys.services import close_run
from tests.factories import ProgrammeFactory
from tests.measurements.factories import set_round
from tests.surveys.factories import form_data, open_run
from tests.tasks_helpers import run_queued_tasks, use_database_queue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

PROJECT = "/prosjekter/karmoy-omdomme/"
PROGRAMMES = Programme._meta.db_table


def is_hit(response) -> bool:
    return response.get(HIT_HEADER) == "hit"


def cached(client, url):
    """The page, rendered and stored: the next request is a hit."""
    client.get(url)
    assert is_hit(client.get(url))


def rename(programme, name: str) -> None:
    Programme.objects.filter(pk=programme.pk).update(name=name)


def version(table: str):
    return cache.get(TABLE_KEY + table)


# --- Writes to what a page read, and to what it did not ---------------------------------------


def test_a_write_to_a_table_the_page_did_not_read_leaves_it_cached(
    login, leader_karmoy, karmoy, committed
):
    visitor = Client()
    cached(visitor, "/")
    cached(visitor, PROJECT)
    with committed():
        response = login(leader_karmoy).post(
            f"{PROJECT}rediger/",
            {"background": "Ny tekst", "summary": "Ny", "loaded_version": 1, "action": "publish"},
        )
    assert response.status_code == 302
    assert is_hit(visitor.get("/"))  # the front page shows no project page
    changed = visitor.get(PROJECT)
    assert not is_hit(changed) and "Ny tekst" in changed.content.decode()


def test_a_write_to_a_table_the_page_read_shows_on_the_next_request(programme, committed):
    visitor = Client()
    cached(visitor, "/")
    with committed():
        rename(programme, "Eit nytt namn på programmet")
    response = visitor.get("/")
    assert not is_hit(response)
    assert "Eit nytt namn på programmet" in response.content.decode()
    assert is_hit(visitor.get("/"))


@task()
def rename_programme(slug: str, name: str) -> None:
    Programme.objects.filter(slug=slug).update(name=name)


def test_a_write_in_a_workers_task_shows_on_the_next_request(programme, settings, committed):
    use_database_queue(settings)
    visitor = Client()
    cached(visitor, "/")
    rename_programme.enqueue(programme.slug, "Namn frå arbeidaren")
    assert is_hit(visitor.get("/"))  # queueing the task writes only the queue
    with committed():
        assert run_queued_tasks() == 1
    response = visitor.get("/")
    assert not is_hit(response) and "Namn frå arbeidaren" in response.content.decode()


def test_a_write_by_a_management_command_shows_on_the_next_request(programme, committed):
    """Any command, also one that knows nothing of the page cache."""
    visitor = Client()
    cached(visitor, "/")
    with committed():
        call_command(
            "shell",
            command=(
                "from network.models import Programme; "
                f"Programme.objects.filter(pk={programme.pk}).update(name='Namn frå kommandoen')"
            ),
        )
    response = visitor.get("/")
    assert not is_hit(response) and "Namn frå kommandoen" in response.content.decode()


def test_a_rolled_back_write_changes_no_version(programme, committed):
    visitor = Client()
    cached(visitor, "/")
    before = version(PROGRAMMES)
    with committed(), contextlib.suppress(RuntimeError), transaction.atomic():
        rename(programme, "Aldri lagra")
        raise RuntimeError
    assert version(PROGRAMMES) == before
    assert is_hit(visitor.get("/"))


def test_a_write_renews_its_tables_only_when_its_transaction_commits(programme, committed):
    cached(Client(), "/")
    before = version(PROGRAMMES)
    with committed():
        with transaction.atomic():
            rename(programme, "Lagra til slutt")
            assert version(PROGRAMMES) == before  # not yet: others still read the old name
        assert version(PROGRAMMES) == before  # the test's transaction is still open
    assert version(PROGRAMMES) != before


def test_a_transaction_renews_each_table_it_wrote_once(programme, committed):
    renewals = []
    with mock.patch("core.cache.bump_tables", side_effect=renewals.append):
        for transactions in (1, 2):
            with committed(), transaction.atomic():
                for n in range(5):
                    rename(programme, f"Namn {transactions}.{n}")
            assert renewals == [{PROGRAMMES, PROGRAMMES + NO_KEY}] * transactions


def test_a_write_committed_while_the_page_rendered_leaves_no_stale_page(programme):
    """The version stored is the one read before the table was first read: a write committed
    after that (another process's, here its commit hook, the moment the query has run) makes
    the page stale at once."""

    def committed_meanwhile(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if PROGRAMMES in sql:
            bump_tables({PROGRAMMES})
        return result

    def renders(request):
        with connection.execute_wrapper(committed_meanwhile):
            names = list(Programme.objects.values_list("name", flat=True))
        return HttpResponse(", ".join(names))

    def committed_before(request):
        bump_tables({PROGRAMMES})
        return HttpResponse(", ".join(Programme.objects.values_list("name", flat=True)))

    for path in ("/a/", "/b/"):  # the first read of the table and a later one
        middleware = PageCacheMiddleware(renders)
        middleware(RequestFactory().get(path))
        assert not is_hit(middleware(RequestFactory().get(path)))
    middleware = PageCacheMiddleware(committed_before)
    middleware(RequestFactory().get("/c/"))
    assert is_hit(PageCacheMiddleware(renders)(RequestFactory().get("/c/")))


def test_a_write_to_a_volatile_table_renews_nothing(programme, committed):
    visitor = Client()
    cached(visitor, "/")
    with committed():
        Session.objects.create(
            session_key="x" * 32, session_data="", expire_date=timezone.now() + timedelta(days=1)
        )
    assert version("django_session") is None
    assert is_hit(visitor.get("/"))


def test_a_render_that_reads_a_volatile_table_is_not_stored(programme):
    view = PageCacheMiddleware(lambda request: HttpResponse(str(Session.objects.count())))
    view(RequestFactory().get("/okter/"))
    assert not is_hit(view(RequestFactory().get("/okter/")))


# --- Rows of one thing ------------------------------------------------------------------------

#: The programme table as if each programme's row belonged to it alone (keyed by slug).
programme_rows = RowScope("programme", {PROGRAMMES})


@programme_rows.keyed_by("slug")
def programme_name(request, slug):
    return HttpResponse(Programme.objects.get(slug=slug).name)


def all_names(request):
    return HttpResponse(", ".join(Programme.objects.values_list("name", flat=True)))


def two_programmes(programme):
    return programme, ProgrammeFactory(name="Eit anna program")


def served(view, path, **kwargs):
    return PageCacheMiddleware(lambda request: view(request, **kwargs))(RequestFactory().get(path))


@programme_rows.keyed_by("programme.slug")
def rename_rows_of(*, programme, name):
    rename(programme, name)


def test_a_write_to_one_keys_rows_leaves_the_pages_of_other_keys_cached(programme, committed):
    first, other = two_programmes(programme)
    for row in (first, other):
        served(programme_name, f"/{row.slug}/", slug=row.slug)
    with committed():
        rename_rows_of(programme=other, name="Nytt namn")
    assert is_hit(served(programme_name, f"/{first.slug}/", slug=first.slug))
    changed = served(programme_name, f"/{other.slug}/", slug=other.slug)
    assert not is_hit(changed) and changed.content == b"Nytt namn"


def test_a_page_that_reads_every_keys_rows_is_stale_after_a_write_to_one(programme, committed):
    _first, other = two_programmes(programme)
    served(all_names, "/alle/")
    assert is_hit(served(all_names, "/alle/"))
    with committed():
        rename_rows_of(programme=other, name="Nytt namn")
    assert not is_hit(served(all_names, "/alle/"))


@pytest.mark.parametrize("unkeyed", ["statement", "bump_tables"])
def test_a_write_that_names_no_key_makes_every_keys_pages_stale(programme, committed, unkeyed):
    served(programme_name, "/p/", slug=programme.slug)
    with committed():
        if unkeyed == "statement":
            ProgrammeFactory()
        else:
            bump_tables({PROGRAMMES})
    assert not is_hit(served(programme_name, "/p/", slug=programme.slug))


def test_a_transaction_that_writes_keyed_and_unkeyed_renews_both(programme, committed):
    """Each table is renewed once per commit, but the no-key version still is when a keyed
    write of the same table came first."""
    first, other = two_programmes(programme)
    served(programme_name, "/p/", slug=first.slug)
    with committed(), transaction.atomic():
        rename_rows_of(programme=other, name="Nytt namn")
        rename(other, "Utan nøkkel")
    assert not is_hit(served(programme_name, "/p/", slug=first.slug))


def test_a_connection_remembers_a_bounded_number_of_renewals(programme, committed):
    """Each key's versions are renewed once per commit; what a connection remembers of that
    stays bounded however many keys it writes."""
    for n in range(700):
        with committed(), programme_rows.of(f"k{n}"):
            rename(programme, f"Namn {n}")
    assert 0 < len(connection.page_cache_renewed) <= 1024


# --- The shared cache as a source -------------------------------------------------------------


def test_a_page_made_from_a_cached_value_is_kept_while_the_value_is(programme):
    view = PageCacheMiddleware(lambda request: HttpResponse(cache.get("greeting", "hallo")))
    view(RequestFactory().get("/hei/"))
    assert is_hit(view(RequestFactory().get("/hei/")))
    cache.set("greeting", "hei")
    response = view(RequestFactory().get("/hei/"))
    assert not is_hit(response) and response.content == b"hei"
    assert is_hit(view(RequestFactory().get("/hei/")))


def test_a_render_that_counts_in_the_shared_cache_is_not_stored(programme):
    cache.set("visits", 0)
    view = PageCacheMiddleware(lambda request: HttpResponse(str(cache.incr("visits"))))
    view(RequestFactory().get("/teller/"))
    assert not is_hit(view(RequestFactory().get("/teller/")))

    def replaces(request):
        seen = cache.get("seen", 0)
        cache.set("seen", seen + 1)
        return HttpResponse(str(seen))

    view = PageCacheMiddleware(replaces)
    view(RequestFactory().get("/sett/"))
    assert not is_hit(view(RequestFactory().get("/sett/")))


def test_a_page_made_from_a_value_it_stored_is_stored_once_the_value_is_found(programme):
    def remembers(request):
        name = cache.get("name")
        if name is None:
            name = Programme.objects.values_list("name", flat=True).first()
            cache.set("name", name)
        return HttpResponse(name)

    view = PageCacheMiddleware(remembers)
    view(RequestFactory().get("/namn/"))  # found nothing, stored the value: not stored
    assert not is_hit(view(RequestFactory().get("/namn/")))  # found it: stored
    assert is_hit(view(RequestFactory().get("/namn/")))
    cache.set("name", "Eit anna namn")
    assert view(RequestFactory().get("/namn/")).content == b"Eit anna namn"


@pytest.fixture
def survey(karmoy):
    return open_run(karmoy, set_round("nullpunkt", "open"), "residents")


def test_the_questionnaire_stays_cached_while_answers_arrive_until_the_run_closes(
    survey, facilitator, committed
):
    path = reverse("surveys:answer", args=[survey.token])
    Client().get(path)  # reads the run and keeps it in the cache (surveys.selectors)
    cached(Client(), path)
    for _ in range(3):
        with committed():
            assert Client().post(path, form_data(survey)).status_code == 302
        assert is_hit(Client().get(path))
    with committed():
        close_run(run=survey, user=facilitator)
    response = Client().get(path)
    assert not is_hit(response)
    assert 'name="csrfmiddlewaretoken"' not in response.content.decode()  # closed


# --- A hit stays cheap ------------------------------------------------------------------------


def test_a_hit_is_one_round_trip_to_the_cache(programme, django_assert_num_queries):
    visitor = Client()
    cached(visitor, PROJECT)
    with (
        mock.patch.object(cache, "get_many", wraps=cache.get_many) as fetched,
        django_assert_num_queries(0),
    ):
        assert is_hit(visitor.get(PROJECT))
    assert fetched.call_count == 1
    (keys,), _ = fetched.call_args
    assert f"{TABLE_KEY}{PROGRAMMES}" in keys  # the page's tables come with the page


# --- Reading statements ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "reads", "writes"),
    [
        (
            'SELECT "network_programme"."id" FROM "network_programme" INNER JOIN '
            '"network_network" ON ("network_programme"."id" = "network_network"."programme_id")',
            {"network_programme", "network_network"},
            set(),
        ),
        (
            'SELECT "network_network"."id" FROM "network_network" FOR UPDATE SKIP LOCKED',
            {"network_network"},
            set(),
        ),
        (
            'UPDATE "network_programme" SET "name" = %s WHERE "network_programme"."id" IN '
            '(SELECT U0."id" FROM "network_network" U0)',
            {"network_programme", "network_network"},
            {"network_programme"},
        ),
        ('INSERT INTO "network_theme" ("name") VALUES (%s)', {"network_theme"}, {"network_theme"}),
        (
            'INSERT INTO "network_theme" ("id") VALUES (%s) ON CONFLICT("id") DO UPDATE SET '
            '"name" = EXCLUDED."name"',
            {"network_theme"},
            {"network_theme"},
        ),
        ('DELETE FROM "network_theme" WHERE "id" = %s', {"network_theme"}, {"network_theme"}),
        ('DELETE FROM "django_session" WHERE "session_key" = %s', {"django_session"}, set()),
        (
            'UPDATE "network_user" SET "last_login" = %s WHERE "network_user"."id" = %s',
            {"network_user"},
            set(),
        ),
        (
            'UPDATE "network_user" SET "last_login" = %s, "first_name" = %s '
            'WHERE "network_user"."id" = %s',
            {"network_user"},
            {"network_user"},
        ),
        (
            "WITH run AS (SELECT id FROM surveys_surveyrun WHERE id = 1 FOR KEY SHARE), "
            "response AS (INSERT INTO surveys_surveyresponse (run_id) SELECT id FROM run "
            "RETURNING id) INSERT INTO surveys_surveyanswer (response_id) SELECT id FROM response",
            {"surveys_surveyrun", "surveys_surveyresponse", "surveys_surveyanswer"},
            {"surveys_surveyresponse", "surveys_surveyanswer"},
        ),
        ("WITH x AS (SELECT 1) SELECT * FROM x", set(), set()),
        (
            'TRUNCATE "network_theme", "network_network"',
            {"network_theme", "network_network"},
            {"network_theme", "network_network"},
        ),
        ('ALTER TABLE "network_theme" ADD COLUMN "x" integer', {"network_theme"}, {"*"}),
        ("SAVEPOINT s1", set(), set()),
        ("RELEASE SAVEPOINT s1", set(), set()),
    ],
)
def test_a_statement_is_read_for_the_tables_it_reads_and_writes(sql, reads, writes):
    seen = statement(sql)
    assert seen.reads == reads and seen.writes == writes


def test_the_volatile_tables_are_tables_of_the_portal():
    assert set(connection.introspection.table_names()) >= VOLATILE_TABLES
