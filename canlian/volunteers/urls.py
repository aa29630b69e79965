from django.urls import path

from canlian.volunteers import views

app_name = "volunteers"
urlpatterns = [
    path("", views.requests, name="requests"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("people/", views.volunteer_list, name="volunteer_list"),
    path("people/new/", views.volunteer_create, name="volunteer_create"),
    path("people/<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("emergency/", views.emergency, name="emergency"),
    path("emergency/print/", views.emergency_print, name="emergency_print"),
    path("emergency/<int:pk>/", views.emergency_person, name="emergency_person"),
]
