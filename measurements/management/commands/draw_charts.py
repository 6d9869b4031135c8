import time

from django.core.management.base import BaseCommand

from municipalities.models import LocalProject

from ...selectors import draw_progress_pages


class Command(BaseCommand):
    help = (
        "Tegner diagrammene på framgangssidene med publiserte resultater, på alle språk, i det "
        "delte lageret (Redis): etter at Redis er startet på nytt, slik at ingen besøkende "
        "venter på at et diagram tegnes. Ellers tegner arbeideren et prosjekts diagrammer når "
        "tallene endres."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="også prosjekter som ikke har publisert"
        )

    def handle(self, *args, **options):
        projects = LocalProject.objects.order_by("pk")
        if not options["all"]:
            projects = projects.filter(progress_page__published_at__isnull=False)
        start = time.monotonic()
        pages = draw_progress_pages(projects.values_list("pk", flat=True))
        self.stdout.write(f"{pages} framgangssider tegnet på {time.monotonic() - start:.1f} s.")
