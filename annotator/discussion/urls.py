from django.urls import path

from . import export_views, views

app_name = "discussion"
urlpatterns = [
    path("claims/<int:pk>/discussion/", views.thread, name="thread"),
    path("claims/<int:pk>/discussion/replies/", views.reply_create, name="reply_create"),
    path("claims/<int:pk>/discussion/hide/", views.claim_hide, name="claim_hide"),
    path("claims/<int:pk>/discussion/lock/", views.thread_lock, name="thread_lock"),
    path("claims/<int:pk>/discussion/evidence/", views.evidence_panel, name="evidence_panel"),
    path("claims/<int:pk>/discussion/evidence/passages/", views.evidence_passages, name="evidence_passages"),
    path("claims/<int:pk>/discussion/evidence/articles/<slug:slug>/", views.evidence_article, name="evidence_article"),
    path("claims/<int:pk>/discussion/evidence/chosen/", views.evidence_chosen, name="evidence_chosen"),
    path("replies/<int:pk>/edit/", views.reply_edit, name="reply_edit"),
    path("replies/<int:pk>/delete/", views.reply_delete, name="reply_delete"),
    path("replies/<int:pk>/flag/", views.reply_flag, name="reply_flag"),
    path("replies/<int:pk>/hide/", views.reply_hide, name="reply_hide"),
    path("replies/<int:pk>/flags/clear/", views.flags_clear, name="flags_clear"),
    path("whats-new/", views.whats_new, name="whats_new"),
    path("whats-new/read/", views.mark_all_read, name="mark_all_read"),
    path("exercises/<int:pk>/flags/", views.flags, name="flags"),
    path("exercises/<int:pk>/flags/replies/", views.replies_switch, name="replies_switch"),
    path("export/replies.csv", export_views.replies_csv, name="replies_csv"),
    path("export/replies.jsonld", export_views.replies_jsonld, name="replies_jsonld"),
]
