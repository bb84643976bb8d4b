from django.contrib import admin

from .models import Source, SourceAlias
from .sources import alias_key


class SourceAliasInline(admin.TabularInline):
    model = SourceAlias
    fields = ("alias",)
    extra = 1


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "slug")
    list_filter = ("kind",)
    search_fields = ("name", "aliases__alias")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [SourceAliasInline]

    def save_formset(self, request, form, formset, change):
        # The key is what claims are matched by; the admin edits only the alias as written.
        for alias in formset.save(commit=False):
            alias.key = alias_key(alias.alias)
            alias.save()
        for alias in formset.deleted_objects:
            alias.delete()
