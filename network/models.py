"""The programme and its networks: themes, regional networks, facilitators, people, users."""

from __future__ import annotations

import datetime

import rules
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.text import validate_single_line


class User(AbstractUser):
    """An account. Roles beyond administrator and programme staff come from the objects a
    user is tied to: the person who facilitates a network, a participant of a local project."""

    first_name = models.CharField(
        _("first name"), max_length=150, blank=True, validators=[validate_single_line]
    )
    last_name = models.CharField(
        _("last name"), max_length=150, blank=True, validators=[validate_single_line]
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    is_programme_staff = models.BooleanField(
        _("ministry or KS staff"),
        default=False,
        help_text=_("Reads everything in the programme, drafts included."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                "email",
                condition=~Q(email=""),
                name="network_user_email_unique",
                violation_error_message=_("Another user already has this e-mail address."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("admin:network_user_change", args=[self.pk])

    @property
    def is_administrator(self) -> bool:
        return self.is_active and self.is_superuser

    def has_perm(self, perm, obj=None) -> bool:
        """The portal's rules (``<app>/rules.py``) decide every permission they name, for
        every user: a superuser gets only what they grant, and they name the administrator
        (``network.rules.is_administrator``) where they mean to. Health data, for one, is
        not the administrator's to see.

        Any other permission is one of Django's model permissions, which only the admin
        site asks for: Django decides those (a superuser has them all, other staff what the
        admin grants them; two queries, so only staff accounts ask). A staff account that is
        not a superuser also keeps a model permission of a name the rules share
        (``gatherings.change_gathering``), asked without an object, so the admin grants it.
        """
        if self.is_superuser and rules.perm_exists(perm):
            return rules.has_perm(perm, self, obj)
        if self.is_staff or self.is_superuser:
            return super().has_perm(perm, obj)
        return rules.has_perm(perm, self, obj)


class ProgrammeQuerySet(models.QuerySet):
    def current(self) -> Programme | None:
        return self.filter(is_current=True).first() or self.order_by("-start_year").first()


def period(start_year: int, end_year: int) -> str:
    """A programme round's years as the portal writes them: «2012–2013», or «2012»."""
    if start_year == end_year:
        return str(start_year)
    return f"{start_year}–{end_year}"


class Programme(models.Model):
    """A development programme round, e.g. «Saman om ein betre kommune» 2012–2013."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    owners = models.CharField(
        _("owners"),
        max_length=200,
        blank=True,
        help_text=_("E.g. KRD, KS and the unions."),
        validators=[validate_single_line],
    )
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    is_current = models.BooleanField(
        _("current programme"), default=False, help_text=_("Shown on the front page.")
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-start_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="network_programme_years_ordered",
                violation_error_message=_("The last year cannot be before the first year."),
            ),
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="network_programme_one_current",
                violation_error_message=_("Only one programme can be the current one."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:programme", args=[self.slug])

    @property
    def front_page_url(self) -> str:
        """The front page for the current programme, ``/program/<slug>/`` for another round."""
        return reverse("network:home") if self.is_current else self.get_absolute_url()

    @property
    def starts_on(self) -> datetime.date:
        """The programme's date for municipality numbers: 1 January of its first year (the day
        municipality changes take effect)."""
        return datetime.date(self.start_year, 1, 1)

    @property
    def period(self) -> str:
        return period(self.start_year, self.end_year)


class Theme(models.Model):
    """One of a programme's themes: Kompetanse, Heltid–deltid, Omdømme, Sykefravær."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="themes", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=100, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["programme", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "slug"], name="network_theme_unique_slug_per_programme"
            ),
            models.UniqueConstraint(
                fields=["programme", "name"], name="network_theme_unique_name_per_programme"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{self.programme.get_absolute_url()}#tema-{self.slug}"


class Organisation(models.Model):
    """An organisation people belong to: KS, KRD, Unio, a municipality, a university."""

    name = models.CharField(
        _("name"),
        max_length=200,
        unique=True,
        help_text=_("As it is usually written, e.g. KS."),
        validators=[validate_single_line],
    )
    full_name = models.CharField(
        _("full name"), max_length=300, blank=True, validators=[validate_single_line]
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:network_organisation_change", args=[self.pk])


class Person(models.Model):
    """A person in the programme's directory: facilitators and speakers."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    title = models.CharField(
        _("title"), max_length=200, blank=True, validators=[validate_single_line]
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    department = models.CharField(
        _("department"), max_length=200, blank=True, validators=[validate_single_line]
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        related_name="person",
        null=True,
        blank=True,
        verbose_name=_("user account"),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "organisation"], name="network_person_unique_name_per_org"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:network_person_change", args=[self.pk])

    @property
    def affiliation(self) -> str:
        """«Seniorrådgiver, KS Arbeidsgiverpolitikk» — title, organisation and department as a
        speaker line shows them."""
        where = " ".join(part for part in (str(self.organisation or ""), self.department) if part)
        return ", ".join(part for part in (self.title, where) if part)


#: A network's name in Bokmål (``network/translation.py``): names are compared in it, whatever
#: the page's language, so that the same networks are told apart on every page.
NAME_NB = "name_nb"


def name_is_shared(path: str = "") -> Exists:
    """Whether another network has the name of the network at ``path`` (``""``: the row
    itself, ``"network"``: a local project's network), for ``Network.title``."""
    prefix = f"{path}__" if path else ""
    others = Network.objects.filter(name_nb=OuterRef(f"{prefix}{NAME_NB}")).exclude(
        pk=OuterRef(f"{prefix}pk")
    )
    return Exists(others)


class NetworkQuerySet(models.QuerySet):
    def with_titles(self) -> NetworkQuerySet:
        """With what ``Network.title`` needs, in the same query: the programme and whether
        another network (of another round) has the same name."""
        return self.select_related("programme").annotate(shares_name=name_is_shared())


class Network(models.Model):
    """One theme in one region, led by one facilitator, e.g. «Sykefravær Øst»."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="networks", verbose_name=_("programme")
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="networks", verbose_name=_("theme")
    )
    region = models.CharField(
        _("region"),
        max_length=100,
        blank=True,
        help_text=_("Empty for a national network."),
        validators=[validate_single_line],
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    facilitator = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="facilitated_networks",
        null=True,
        blank=True,
        verbose_name=_("facilitator"),
    )
    description = models.TextField(_("description"), blank=True)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["programme", "theme__position", "name", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "theme", "region"],
                name="network_network_unique_theme_region",
                violation_error_message=_("This theme already has a network in this region."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:network_detail", args=[self.slug])

    def clean(self) -> None:
        super().clean()
        from .services import check_theme_in_programme

        if self.theme_id and self.programme_id:
            check_theme_in_programme(theme=self.theme, programme_id=self.programme_id)

    @property
    def title(self) -> str:
        """The name, with the round where another network has the same name:
        «Omdømme (2013–2014)». Lists load ``Network.objects.with_titles()`` (or annotate
        ``name_is_shared("network")`` and set ``shares_name``); otherwise this asks once."""
        shared = getattr(self, "shares_name", None)
        if shared is None:
            shared = (
                Network.objects.filter(name_nb=getattr(self, NAME_NB)).exclude(pk=self.pk).exists()
            )
            self.shares_name = shared
        return f"{self.name} ({self.programme.period})" if shared else self.name

    display_name = title


class DeletionRequestQuerySet(models.QuerySet):
    def pending(self) -> DeletionRequestQuerySet:
        return self.filter(confirmed_at__isnull=True, user__isnull=False)


class DeletionRequest(models.Model):
    """A person's request to have their personal data deleted («Mine data»). Confirmed by the
    leader of one of their local projects, their network's facilitator or an administrator;
    once confirmed the account is gone and the request keeps only its dates."""

    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        related_name="deletion_requests",
        null=True,
        blank=True,
        verbose_name=_("user"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("confirmed by"),
    )

    objects = DeletionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(confirmed_at__isnull=True, user__isnull=False),
                name="network_deletionrequest_one_pending_per_user",
                violation_error_message=_("You have already asked to be deleted."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user or '–'} ({self.requested_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("municipalities:deletion_requests")


class MailKind(models.TextChoices):
    """The kinds of e-mail the portal sends (given to the outbox in ``NetworkConfig.ready``)."""

    PUBLISHED = "published", _("Programme published")
    CHANGED = "changed", _("Programme changed")
    WITHDRAWN = "withdrawn", _("Programme withdrawn")
    REPORTING_REMINDER = "reporting_reminder", _("Reporting reminder")
    SURVEY_INVITATION = "survey_invitation", _("Survey invitation")
    ACCOUNT_INVITATION = "account_invitation", _("Account invitation")
    PASSWORD_RESET = "password_reset", _("Password reset")
    REGISTRATION = "registration", _("Registration for a gathering")
