from django.urls import path

from . import manage_views, views

app_name = "corpus"
urlpatterns = [
    path("articles/<slug:slug>/original/", views.original, name="original"),
]

# Teachers add and look after articles; the label guide is public.
urlpatterns += [
    path("articles/add/", manage_views.add_article, name="add"),
    path("articles/add/save/", manage_views.save_article, name="save"),
    path("articles/<slug:slug>/edit/", manage_views.edit_article, name="edit"),
    path("articles/<slug:slug>/replace/", manage_views.replace_text, name="replace"),
    path("articles/<slug:slug>/archive/", manage_views.archive_article, name="archive"),
    path("articles/<slug:slug>/delete/", manage_views.delete_article, name="delete"),
    path("guide/", manage_views.guide, name="guide"),
]

# Who is behind an article: outlet profiles, and every article of one outlet or byline.
from . import outlet_views  # noqa: E402

urlpatterns += [
    path("outlets/find/", outlet_views.outlet_find, name="outlet_find"),
    path("outlets/new/", outlet_views.outlet_edit, name="outlet_new"),
    path("outlets/<slug:slug>/", outlet_views.outlet_page, name="outlet"),
    path("outlets/<slug:slug>/edit/", outlet_views.outlet_edit, name="outlet_edit"),
    path("outlets/<slug:slug>/lock/", outlet_views.outlet_lock, name="outlet_lock"),
    path("bylines/", outlet_views.byline_page, name="byline"),
    path("export/outlets.csv", outlet_views.outlets_download, name="outlets_csv"),
]
