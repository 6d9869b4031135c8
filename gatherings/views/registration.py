"""Registering participants, the participant list (Deltakeroversikt) with its exports, and
the attendance matrix of a network."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext as _

from core.cache import never_stored
from core.spreadsheets import csv_response, xlsx_response
from network.models import Network
from network.selectors import note_programme

from .. import services
from ..forms import RegistrationForm
from ..models import Drinks, Registration
from ..rules import registrable_participants
from ..selectors import attendance_matrix, participant_overview, registrations_for_list
from .common import export_name, gathering_or_404, site_address


def _participants_for(request, gathering):
    return registrable_participants(request.user, gathering).select_related(
        "local_project__network", "municipality"
    )


@login_required
def registration_overview(request, pk):
    """Whom the user may register for the gathering, and how far each one has come."""
    gathering = gathering_or_404(request, pk)
    participants = list(
        _participants_for(request, gathering).order_by("local_project__name", "name", "pk")
    )
    late_changes = request.user.has_perm("gatherings.change_late_registrations", gathering)
    if not participants and not late_changes:
        raise PermissionDenied
    registrations = {
        r.participant_id: r
        for r in Registration.objects.filter(
            gathering=gathering, participant__in=[p.pk for p in participants]
        )
    }
    for participant in participants:
        participant.registration = registrations.get(participant.pk)
    taken = gathering.registrations.active().count() if gathering.capacity else None
    return render(
        request,
        "gatherings/registration_overview.html",
        {
            "gathering": gathering,
            "title": _("Registration"),
            "participants": participants,
            "places_left": max(gathering.capacity - taken, 0) if taken is not None else None,
            "late_changes": late_changes,
        },
    )


@login_required
@never_stored  # health data: diets and allergies
def register(request, pk, participant_pk):
    gathering = gathering_or_404(request, pk)
    participant = get_object_or_404(_participants_for(request, gathering), pk=participant_pk)
    registration = Registration.objects.filter(gathering=gathering, participant=participant).first()
    may_change = gathering.is_registration_open or (
        gathering.is_published
        and gathering.start_date
        and request.user.has_perm("gatherings.change_late_registrations", gathering)
    )
    form = None
    if may_change:
        initial = RegistrationForm.initial_from(registration) if registration else None
        form = RegistrationForm(request.POST or None, gathering=gathering, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.save_registration(
                    gathering=gathering,
                    participant=participant,
                    data=form.registration_data(),
                    user=request.user,
                    **site_address(request),
                )
            except services.ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("%(name)s is registered.") % {"name": participant.name})
                return redirect("gatherings:registration", gathering.pk)
    elif request.method == "POST":
        messages.error(request, _("Registration is closed."))
    return render(
        request,
        "gatherings/register.html",
        {
            "gathering": gathering,
            "participant": participant,
            "registration": registration,
            "form": form,
            "health_data_retention_days": settings.HEALTH_DATA_RETENTION_DAYS,
        },
    )


@login_required
def cancel(request, pk, participant_pk):
    gathering = gathering_or_404(request, pk)
    participant = get_object_or_404(_participants_for(request, gathering), pk=participant_pk)
    registration = get_object_or_404(
        Registration.objects.active().select_related("gathering__network"),
        gathering=gathering,
        participant=participant,
    )
    if request.method == "POST":
        try:
            services.cancel_registration(
                registration=registration,
                user=request.user,
                **site_address(request),
            )
        except services.ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The registration of %(name)s is cancelled.") % {"name": participant.name},
            )
        return redirect("gatherings:registration", gathering.pk)
    return render(
        request,
        "gatherings/cancel_confirm.html",
        {"gathering": gathering, "participant": participant, "registration": registration},
    )


@login_required
@never_stored  # health data: diets and allergies
def participant_list(request, pk):
    gathering = gathering_or_404(request, pk, "gatherings.view_participant_list")
    return render(
        request,
        "gatherings/participant_list.html",
        {
            "gathering": gathering,
            "title": _("Participant list"),
            "overview": participant_overview(gathering),
            "show_dietary": request.user.has_perm("gatherings.view_dietary_data", gathering),
            "can_change": request.user.has_perm("gatherings.change_gathering", gathering),
        },
    )


def _days(values) -> str:
    return ", ".join(formats.date_format(day, "SHORT_DATE_FORMAT") for day in values)


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


@login_required
@never_stored  # health data: diets and allergies
def participant_export(request, pk, fmt):
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    gathering = gathering_or_404(request, pk, "gatherings.view_participant_list")
    dietary = request.user.has_perm("gatherings.view_dietary_data", gathering)
    header = [
        _("Municipality"),
        _("Municipality number"),
        _("Local project"),
        _("Name"),
        _("Role"),
        _("Function"),
        _("E-mail"),
        _("Phone"),
        _("Days attending"),
        _("Dinner"),
        _("Overnight stay"),
        _("Settles the bill"),
    ]
    if dietary:
        header += [_("Drinks"), _("Dietary needs"), _("Other dietary needs or allergies")]
    drinks = dict(Drinks.choices)
    rows = []
    for registration in registrations_for_list(gathering).filter(cancelled_at__isnull=True):
        participant = registration.participant
        row = [
            registration.municipality.name if registration.municipality else "",
            registration.municipality_id or "",
            participant.local_project.name,
            participant.name,
            participant.get_role_display(),
            participant.function,
            participant.email,
            participant.phone,
            _days(registration.day_dates),
            _days(registration.dinner_dates),
            _yes(registration.overnight),
            _yes(registration.settles_bill),
        ]
        if dietary:
            row += [
                str(drinks.get(registration.drinks, "")),
                ", ".join(registration.get_diets_display()),
                registration.dietary_notes,
            ]
        rows.append(row)
    name = export_name(gathering, "deltakere")
    if fmt == "csv":
        return csv_response(name, header, rows)
    return xlsx_response(name, [(_("Participants"), header, rows)])


@login_required
def attendance(request, slug):
    network = get_object_or_404(Network.objects.select_related("programme"), slug=slug)
    if not request.user.has_perm("gatherings.view_attendance", network):
        raise PermissionDenied
    note_programme(request, network.programme)
    return render(
        request,
        "gatherings/attendance.html",
        {"network": network, "title": _("Attendance"), "matrix": attendance_matrix(network)},
    )
