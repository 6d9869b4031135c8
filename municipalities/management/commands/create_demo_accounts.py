import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.cache import bump_generation
from municipalities.models import LocalProject, Participant, ParticipantRole
from network.models import Network, Person, User

# username → (first name, last name, role description)
DEMO_ACCOUNTS = {
    "admin": ("Ada", "Administrator", "administrator"),
    "krd": ("Kari", "Departement", "ansatt i departementet (KRD)"),
    "veileder.omdomme": ("Asbjørn L.", "Stavem", "prosessveileder, Omdømme"),
    "veileder.sykefravaer.sor": ("Dorrit", "Svenning", "prosessveileder, Sykefravær Sør"),
    "leder.karmoy": ("Kari", "Karmøy", "prosjektleder, Karmøy (Omdømme)"),
    "leder.strand": ("Sigrid", "Strand", "prosjektleder, Strand (Omdømme)"),
    "deltaker.karmoy": ("Dag", "Deltaker", "deltaker, Karmøy (Omdømme)"),
}


def _email(username: str) -> str:
    return f"{username}@example.org"


class Command(BaseCommand):
    help = (
        "Oppretter én demokonto per rolle (bare for utvikling) og skriver ut brukernavn og "
        "passord. Kjøres den igjen, tilbakestilles kontoene."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Bruk dette passordet for alle kontoene.")

    def handle(self, *args, password=None, **options):
        if not settings.DEBUG:
            raise CommandError("Demokontoer er bare for utvikling: DEBUG er slått av.")
        if not Network.objects.filter(slug="omdomme").exists():
            raise CommandError("Last inn programmet først: manage.py load_programme_2012")
        passwords = {name: password or secrets.token_urlsafe(12) for name in DEMO_ACCOUNTS}
        for name, value in passwords.items():
            first, last, _role = DEMO_ACCOUNTS[name]
            account = User(username=name, first_name=first, last_name=last, email=_email(name))
            try:
                validate_password(value, account)
            except ValidationError as error:
                raise CommandError(f"{name}: {' '.join(error.messages)}") from error
        with transaction.atomic():
            users = {name: self._reset(name, passwords[name]) for name in DEMO_ACCOUNTS}
            self._assign_roles(users)
        bump_generation()
        self.stdout.write(self.style.SUCCESS("Demokontoer (bare for utvikling):"))
        width = max(len(name) for name in DEMO_ACCOUNTS)
        for name, (_first, _last, role) in DEMO_ACCOUNTS.items():
            self.stdout.write(f"  {name:<{width}}  {passwords[name]:<16}  {role}")

    def _reset(self, username: str, password: str) -> User:
        first, last, _role = DEMO_ACCOUNTS[username]
        user, _created = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = _email(username)
        user.is_active = True
        user.is_superuser = user.is_staff = username == "admin"
        user.is_programme_staff = username == "krd"
        user.set_password(password)
        user.save()
        return user

    def _assign_roles(self, users: dict[str, User]) -> None:
        for username, network_slug in [
            ("veileder.omdomme", "omdomme"),
            ("veileder.sykefravaer.sor", "sykefravaer-sor"),
        ]:
            person = Person.objects.get(pk=Network.objects.get(slug=network_slug).facilitator_id)
            Person.objects.filter(user=users[username]).exclude(pk=person.pk).update(user=None)
            person.user = users[username]
            person.save(update_fields=["user"])
        for username, slug, role, leader in [
            ("leder.karmoy", "karmoy-omdomme", ParticipantRole.LEADER, True),
            ("leder.strand", "strand-omdomme", ParticipantRole.LEADER, True),
            ("deltaker.karmoy", "karmoy-omdomme", ParticipantRole.OTHER, False),
        ]:
            project = LocalProject.objects.get(slug=slug)
            user = users[username]
            Participant.objects.update_or_create(
                local_project=project,
                user=user,
                defaults={
                    "name": user.get_full_name(),
                    "function": "Prosjektleder" if leader else "Rådgiver",
                    "role": role,
                    "email": user.email,
                    "is_project_leader": leader,
                    "listed_publicly": leader,
                    "municipality": project.municipalities.first(),
                },
            )
