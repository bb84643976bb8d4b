from django.urls import path

from . import export_views

app_name = "exports"
urlpatterns = [
    path("export/annotations.csv", export_views.download, {"fmt": "csv", "what": "annotations"},
         name="annotations_csv"),
    path("export/links.csv", export_views.download, {"fmt": "csv", "what": "links"}, name="links_csv"),
    path("export/annotations.jsonld", export_views.download, {"fmt": "jsonld", "what": "annotations"},
         name="annotations_jsonld"),
    path("export/sources.csv", export_views.sources_download, name="sources_csv"),
    path("my/annotations/", export_views.my_annotations, name="mine"),
]
