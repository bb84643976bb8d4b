from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("annotator.accounts_urls")),
    path("", include("annotator.privacy.urls")),
    path("api/", include("annotator.corpus.api_urls")),
    path("api/", include("annotator.annotations.api_urls")),
    path("api/", include("annotator.discussion.api_urls")),
    path("api/", include("annotator.classroom.api_urls")),
    path("", include("annotator.assist.urls")),
    path("", include("annotator.classroom.urls")),
    path("", include("annotator.lti.urls")),
    path("", include("annotator.annotations.export_urls")),
    path("", include("annotator.discussion.urls")),
    # Corpus first: its fixed paths (articles/add/) must win over the reader's articles/<slug>/.
    path("", include("annotator.corpus.urls")),
    path("", include("annotator.annotations.urls")),
]

handler400 = "annotator.jsonapi.bad_request"
handler403 = "annotator.jsonapi.permission_denied"
handler404 = "annotator.jsonapi.not_found"
handler500 = "annotator.jsonapi.server_error"
