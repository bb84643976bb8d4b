from django.contrib import admin

from .models import ClaimModeration, ExerciseDiscussion, Flag, ReadMarker, Reply


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ("id", "claim", "parent", "author", "created", "hidden_at", "removed")
    list_filter = ("removed",)
    raw_id_fields = ("claim", "parent", "author", "to_article", "hidden_by")
    search_fields = ("text",)


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ("id", "reply", "user", "created")
    raw_id_fields = ("reply", "user")


@admin.register(ClaimModeration)
class ClaimModerationAdmin(admin.ModelAdmin):
    list_display = ("claim", "hidden_at", "hidden_by", "locked")
    raw_id_fields = ("claim", "hidden_by", "locked_by")


admin.site.register(ExerciseDiscussion)
admin.site.register(ReadMarker)
