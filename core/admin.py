"""The outbox and the scheduler in the admin: read-only records of what the kernel did."""

from django.contrib import admin

from .models import OutboxMessage, OutboxRecipient, ScheduledJob


class OutboxRecipientInline(admin.TabularInline):
    model = OutboxRecipient
    extra = 0
    fields = ["name", "email", "status", "attempts", "error", "sent_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "created_at", "sent_by"]
    list_filter = ["kind"]
    list_select_related = ["sent_by"]
    readonly_fields = [
        "kind",
        "subject",
        "body",
        "reply_to",
        "created_at",
        "sent_by",
        "attachment_name",
        "attachment_type",
    ]
    exclude = ["about_type", "about_id", "idempotency_key", "attachment"]
    inlines = [OutboxRecipientInline]

    def has_add_permission(self, request):
        return False


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    list_display = ["name", "last_started_at"]
    readonly_fields = ["name"]
