"""A prepared read gives what its queryset gives, for any parameters, compiled once."""

import datetime

import pytest
from django.db.models import Count, Q
from django.utils import translation

from core.prepared_reads import PreparedRead, field_paths, instance
from gatherings.models import Gathering
from municipalities.models import LocalProject
from network.models import Network

pytestmark = pytest.mark.django_db


def projects_of(network_id):
    return LocalProject.objects.filter(network_id=network_id).order_by("slug")


read_projects = PreparedRead(
    lambda network_id: projects_of(network_id).values_list("pk", "slug", "network_id")
)


def test_a_prepared_read_gives_the_rows_of_its_queryset_for_every_parameter(programme):
    for network in Network.objects.all():
        expected = list(projects_of(network.pk).values_list("pk", "slug", "network_id"))
        assert read_projects(network_id=network.pk) == expected
    assert read_projects(network_id=0) == []


def test_a_list_is_compiled_for_each_length_and_text_goes_in_as_it_is(programme):
    read = PreparedRead(
        lambda ids, slug: (
            LocalProject.objects.filter(Q(pk__in=ids) | Q(slug=slug))
            .order_by("pk")
            .values_list("slug", flat=False)
        )
    )
    projects = list(LocalProject.objects.order_by("pk")[:4])
    for n in (1, 3):
        ids = [p.pk for p in projects[:n]]
        assert read(ids=ids, slug=projects[3].slug) == [
            (p.slug,) for p in [*projects[:n], projects[3]]
        ]


def test_a_set_is_compiled_once_for_each_power_of_two_and_gives_its_members(programme):
    read = PreparedRead(
        lambda ids: LocalProject.objects.filter(pk__in=ids).order_by("pk").values_list("pk")
    )
    pks = list(LocalProject.objects.order_by("pk").values_list("pk", flat=True)[:7])
    assert len(pks) == 7
    for n in range(1, 8):
        assert read(ids=set(pks[:n])) == [(pk,) for pk in pks[:n]]
    assert len(read._compiled) == 4  # 1, 2, 3–4 and 5–7 values: as 1, 2, 4 and 8
    assert read(ids={2**70}) == []


def test_rows_make_instances_as_the_orm_does(programme, django_assert_num_queries):
    read = PreparedRead(
        lambda slug: LocalProject.objects.filter(slug=slug).values_list(
            *field_paths(LocalProject), *field_paths(Network, "network__")
        )
    )
    (row,) = read(slug="karmoy-omdomme")
    project = instance(LocalProject, row)
    project.network = instance(Network, row, len(LocalProject._meta.concrete_fields))
    expected = LocalProject.objects.select_related("network").get(slug="karmoy-omdomme")
    with django_assert_num_queries(0):
        assert (project.pk, project.name, project.network.name) == (
            expected.pk,
            expected.name,
            expected.network.name,
        )
    assert not project._state.adding


def test_a_parameter_the_orm_changes_is_refused(programme):
    read = PreparedRead(
        lambda name: LocalProject.objects.filter(name__icontains=name).values_list("pk")
    )
    with pytest.raises(ValueError, match="name"):
        read(name="karm")
    with pytest.raises(TypeError):
        PreparedRead(lambda day: LocalProject.objects.values_list("pk"))(day=1.5)


def test_instances_are_made_as_the_orm_makes_them_with_related_rows_and_annotations(
    programme, django_assert_num_queries
):
    def build(programme_id):
        return (
            LocalProject.objects.filter(network__programme_id=programme_id)
            .select_related("network__theme")
            .annotate(municipality_count=Count("municipalities"))
            .only("slug", "name", "network__slug", "network__theme__slug")
            .order_by("slug")
        )

    read = PreparedRead(build)
    expected = list(build(programme.pk))
    projects = read.instances(programme_id=programme.pk)
    with django_assert_num_queries(0):
        assert [
            (p.pk, p.slug, p.network.slug, p.network.theme.slug, p.municipality_count)
            for p in projects
        ] == [
            (p.pk, p.slug, p.network.slug, p.network.theme.slug, p.municipality_count)
            for p in expected
        ]
    assert projects and not projects[0]._state.adding


def test_a_date_goes_in_as_it_is_and_the_sql_is_kept_per_language(programme):
    def build(day):
        return Gathering.objects.filter(start_date__gte=day).order_by("title").values_list("pk")

    read = PreparedRead(build)
    for day in (datetime.date(2012, 1, 1), datetime.date(2012, 10, 1), datetime.date(2030, 1, 1)):
        for language in ("nb", "nn"):
            with translation.override(language):
                assert read(day=day) == list(build(day))
    assert len(read._compiled) == 2
    with pytest.raises(TypeError):
        read(day=datetime.datetime(2012, 1, 1, tzinfo=datetime.UTC))


def test_a_read_that_prefetches_is_refused(programme):
    read = PreparedRead(
        lambda programme_id: Network.objects.filter(programme_id=programme_id).prefetch_related(
            "local_projects"
        )
    )
    with pytest.raises(ValueError, match="prefetch"):
        read.instances(programme_id=programme.pk)


def test_an_integer_no_database_column_holds_matches_nothing(programme):
    read = PreparedRead(lambda pk: LocalProject.objects.filter(pk=pk))
    assert read.instances(pk=2**64) == []
    assert (
        PreparedRead(lambda ids: LocalProject.objects.filter(pk__in=ids).values_list("pk"))(
            ids=[1, -(2**70)]
        )
        == []
    )
