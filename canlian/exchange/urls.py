from django.urls import path

from canlian.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("new/", views.batch_create, name="batch_create"),
    path("templates/<slug:source>.xlsx", views.source_template, name="source_template"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/progress", views.batch_progress, name="batch_progress"),
    path("batches/<int:pk>/commit/", views.batch_commit, name="batch_commit"),
    path("batches/<int:pk>/discard/", views.batch_discard, name="batch_discard"),
    path("batches/<int:pk>/errors.xlsx", views.batch_errors, name="batch_errors"),
    path("reviews/", views.match_reviews, name="match_reviews"),
    path("proposals/", views.status_proposals, name="status_proposals"),
    path("screenings/", views.child_screenings, name="child_screenings"),
    path("exports/", views.registry_export, name="registry_export"),
]
