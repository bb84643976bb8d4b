from django.contrib import admin

from .models import Dismissal


@admin.register(Dismissal)
class DismissalAdmin(admin.ModelAdmin):
    list_display = ("user", "article", "label", "start", "end", "created")
    list_filter = ("label",)
    search_fields = ("user__username", "article__slug", "exact")
    raw_id_fields = ("user", "article")
