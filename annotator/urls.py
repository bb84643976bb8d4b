from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("annotator.accounts_urls")),
    path("api/", include("annotator.corpus.api_urls")),
    path("api/", include("annotator.annotations.api_urls")),
    path("", include("annotator.assist.urls")),
    path("", include("annotator.classroom.urls")),
    path("", include("annotator.annotations.urls")),
    path("", include("annotator.corpus.urls")),
]
