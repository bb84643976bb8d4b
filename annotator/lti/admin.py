from django.contrib import admin, messages
from django.utils import timezone

from . import tool
from .models import Deployment, GradeSync, Platform, ToolKey


class DeploymentInline(admin.TabularInline):
    model = Deployment
    extra = 1


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ("name", "issuer", "client_id", "created")
    inlines = [DeploymentInline]


@admin.register(ToolKey)
class ToolKeyAdmin(admin.ModelAdmin):
    list_display = ("kid", "created", "retired")
    fields = ("kid", "public_pem", "created", "retired")
    readonly_fields = fields
    actions = ["rotate"]

    def has_add_permission(self, request):
        # Keys are generated, never typed in: the "rotate" action or `manage.py lti_rotate_key`.
        return False

    @admin.action(description="Make a new signing key and retire the selected ones")
    def rotate(self, request, queryset):
        key = tool.new_key()
        queryset.exclude(pk=key.pk).filter(retired__isnull=True).update(retired=timezone.now())
        messages.success(request, f"New signing key {key.kid}.")


@admin.register(GradeSync)
class GradeSyncAdmin(admin.ModelAdmin):
    list_display = ("student", "link", "score", "status", "attempts", "updated")
    list_filter = ("status",)
    readonly_fields = [f.name for f in GradeSync._meta.fields]
