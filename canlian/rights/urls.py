from django.urls import path

from canlian.rights import views

app_name = "rights"
urlpatterns = [
    path("", views.cases, name="cases"),
    path("new/", views.case_create, name="case_create"),
    path("statistics/", views.statistics, name="statistics"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
]
