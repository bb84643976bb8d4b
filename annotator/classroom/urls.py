from django.urls import path

from . import (
               keybuild_views,
               link_review_views,
               password_views,
               print_views,
               retention_views,
               reuse_views,
               review_views,
               views,
)

app_name = "classroom"
urlpatterns = [
    path("classes/", views.classes, name="classes"),
    path("classes/new/", views.class_create, name="class_create"),
    path("classes/join/", views.join, name="join"),
    path("classes/<int:pk>/", views.class_detail, name="class"),
    path("classes/<int:pk>/rotate-code/", views.rotate_code, name="rotate_code"),
    path("classes/<int:pk>/archive/", retention_views.archive, name="archive"),
    path("classes/<int:pk>/students/<int:student_id>/remove/", views.remove_student, name="remove_student"),
    path("classes/<int:pk>/students/<int:student_id>/password/", password_views.reset_password, name="reset_password"),
    path("classes/<int:pk>/exercises/new/", views.exercise_new, name="exercise_new"),
    path("exercises/<int:pk>/", views.exercise, name="exercise"),
    path("exercises/<int:pk>/edit/", views.exercise_edit, name="exercise_edit"),
    path("exercises/<int:pk>/articles/<slug:slug>/", views.exercise_article, name="exercise_article"),
    path("exercises/<int:pk>/key/<slug:slug>/", views.key_article, name="key_article"),
    path("exercises/<int:pk>/discussion/<slug:slug>/", views.discussion_article, name="discussion_article"),
    path("exercises/<int:pk>/submit/", views.submit, name="submit"),
    path("exercises/<int:pk>/students/<int:student_id>/reopen/", views.reopen, name="reopen"),
    path("exercises/<int:pk>/reveal/", views.reveal, name="reveal"),
    path("exercises/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("exercises/<int:pk>/links/<int:link_id>/review/", link_review_views.review, name="link_review"),
    path("exercises/<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("exercises/<int:pk>/results.csv", views.results_csv, name="results_csv"),
    # The teacher's private word (classroom.review)
    path("claims/<int:pk>/teacher-comments/", review_views.comment_create, name="comment_create"),
    path("teacher-comments/<int:pk>/delete/", review_views.comment_delete, name="comment_delete"),
    path("exercises/<int:pk>/students/<int:student_id>/score/", review_views.score_override, name="score_override"),
    # A key built from the class (classroom.keybuild)
    path("exercises/<int:pk>/class-key/accept/", keybuild_views.accept_suggestion, name="accept_suggestion"),
    path("claims/<int:pk>/promote/", keybuild_views.promote, name="promote"),
    # Printed handouts
    path("exercises/<int:pk>/print/", print_views.handout, name="handout"),
    path("exercises/<int:pk>/print/key/", print_views.key_handout, name="key_handout"),
    # Reuse (classroom.reuse)
    path("exercises/<int:pk>/copy/", reuse_views.exercise_copy, name="exercise_copy"),
    path("exercises/<int:pk>/reuse-key/", reuse_views.key_reuse, name="key_reuse"),
    path("exercises/<int:pk>/more-time/", reuse_views.more_time, name="more_time"),
    path("exercises/<int:pk>/preview/", reuse_views.preview, name="preview"),
    path("exercises/<int:pk>/preview/<slug:slug>/", reuse_views.preview_article, name="preview_article"),
]
