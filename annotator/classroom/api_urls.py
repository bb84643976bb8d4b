from django.urls import path

from . import api

urlpatterns = [
    path("annotations/<int:pk>/teacher-comments/", api.claim_comments, name="api-claim-comments"),
    path("teacher-comments/<int:pk>/", api.comment_item, name="api-comment"),
    path("exercises/<int:pk>/students/<int:student_id>/score/", api.score, name="api-score"),
    path("exercises/<int:pk>/copy/", api.exercise_copy, name="api-exercise-copy"),
    path("exercises/<int:pk>/reuse-key/", api.key_reuse, name="api-key-reuse"),
    path("exercises/<int:pk>/students/<int:student_id>/due/", api.due, name="api-due"),
    path("exercises/<int:pk>/class-key/", api.class_key, name="api-class-key"),
    path("annotations/<int:pk>/promote/", api.promote, name="api-promote"),
]
