"""One reputation index: closed surveys wrote new indicators (an «Omdømmeindeks – <group>» in the
theme's catalogue per target group, an own «… (åpen lenke)» index for open-link runs and ten
statement means per group as the project's own indicators). Their index values move into the
theme's reputation indicator (``measured_by_survey``) as parts per target group, with the
overall value (the mean of the parts) where the project has none; the generated indicators go.

Statement means and open-link indices are not kept as values: the answers hold them. A value
someone entered by hand (source other than the survey), or a goal, keeps its indicator."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations

SURVEY = "survey"
SOURCE = "Omdømmeundersøkelsen i Nettverksportalen"
OPEN_LINK = "åpen lenke"
INDEX = "Omdømmeindeks"
GROUPS = {
    "ansatte": "employees",
    "innbyggere": "residents",
    "søkere": "applicants",
    "politikere": "politicians",
}


def move_to_one_index(apps, schema_editor):
    Indicator = apps.get_model("measurements", "Indicator")
    Measurement = apps.get_model("measurements", "Measurement")
    History = apps.get_model("measurements", "HistoricalMeasurement")
    Goal = apps.get_model("measurements", "Goal")

    def drop(indicator):
        """Delete the survey's values of a generated indicator, and it when nothing else
        (a value by hand, a goal) holds it."""
        survey_values = Measurement.objects.filter(indicator=indicator, source=SURVEY)
        History.objects.filter(id__in=list(survey_values.values_list("pk", flat=True))).delete()
        survey_values.delete()
        if not (
            Measurement.objects.filter(indicator=indicator).exists()
            or Goal.objects.filter(indicator=indicator).exists()
        ):
            History.objects.filter(indicator_id=indicator.pk).delete()
            indicator.delete()

    for base in Indicator.objects.filter(local_project=None, measured_by_survey=True):
        touched = set()
        for label, part in GROUPS.items():
            generated = Indicator.objects.filter(
                theme_id=base.theme_id, local_project=None, name=f"{INDEX} – {label}"
            ).first()
            if generated is None:
                continue
            for value in Measurement.objects.filter(indicator=generated):
                taken = Measurement.objects.filter(
                    local_project_id=value.local_project_id,
                    indicator=base,
                    round_id=value.round_id,
                    part=part,
                ).exists()
                if taken:
                    continue
                Measurement.objects.filter(pk=value.pk).update(indicator=base, part=part)
                History.objects.filter(id=value.pk).update(indicator_id=base.pk, part=part)
                touched.add((value.local_project_id, value.round_id))
            for goal in Goal.objects.filter(indicator=generated):
                if not Goal.objects.filter(
                    local_project_id=goal.local_project_id, indicator=base
                ).exists():
                    Goal.objects.filter(pk=goal.pk).update(indicator=base)
            drop(generated)
        for project_id, round_id in sorted(touched):
            values = Measurement.objects.filter(
                local_project_id=project_id, indicator=base, round_id=round_id
            )
            if values.filter(part="").exists():
                continue  # a value of the project's own (by hand, or written before): kept
            parts = list(values.exclude(part="").order_by("part"))
            mean = sum((p.value for p in parts), Decimal(0)) / len(parts)
            if len(parts) == 1:
                note = parts[0].note
            else:
                groups = ", ".join(
                    label for label, part in GROUPS.items() if part in {p.part for p in parts}
                )
                note = f"{SOURCE}: snittet av omdømmeindeksen blant {groups}."
            Measurement.objects.create(
                local_project_id=project_id,
                indicator=base,
                round_id=round_id,
                part="",
                value=mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
                note=note,
                source=SURVEY,
                reported_by_id=parts[0].reported_by_id,
            )

    for label in GROUPS:
        for indicator in Indicator.objects.filter(
            local_project__isnull=False, name=f"{INDEX} – {label} ({OPEN_LINK})"
        ):
            drop(indicator)
        for indicator in Indicator.objects.filter(
            local_project__isnull=False,
            source=SOURCE,
            position__gte=1000,
            name__endswith=f" – {label}",
        ):
            drop(indicator)


class Migration(migrations.Migration):
    dependencies = [
        ("measurements", "0011_measurement_parts"),
        ("surveys", "0002_tables_renamed"),
    ]

    operations = [migrations.RunPython(move_to_one_index, migrations.RunPython.noop)]
