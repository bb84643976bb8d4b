from django.contrib import admin

from .models import Outlet


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "country", "owner", "locked")
    list_filter = ("kind", "locked")
    search_fields = ("name", "owner")
    prepopulated_fields = {"slug": ("name",)}
