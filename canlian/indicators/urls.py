from django.urls import path

from canlian.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("compute/", views.compute, name="compute"),
    path("evaluation/", views.evaluation, name="evaluation"),
    path("watchlist/", views.watchlist, name="watchlist"),
    path("watchlist/households/<int:pk>/", views.watch_household, name="watch_household"),
    path("report.<slug:kind>", views.annual_report, name="annual_report"),
    path("<slug:code>/", views.indicator_detail, name="indicator_detail"),
    path("<slug:code>/people/", views.people, name="people"),
]
