from django.urls import path

from canlian.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("register/code/", views.register_code, name="register_code"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_reset, name="password_reset"),
    path("password/code/", views.password_reset_code, name="password_reset_code"),
    path("session/extend/", views.session_extend, name="session_extend"),
    path("verify/", views.verify, name="verify"),
    path("me/", views.me, name="me"),
    path("me/messages/", views.messages_page, name="messages"),
    path("me/proxies/new/", views.proxy_new, name="proxy_new"),
    path("me/proxies/<int:pk>/revoke/", views.proxy_revoke, name="proxy_revoke"),
    path("me/persons/<int:pk>/", views.person_file, name="person_file"),
    path("me/persons/<int:pk>/contact/", views.contact, name="contact"),
    path("me/persons/<int:pk>/proof.pdf", views.validity_proof, name="validity_proof"),
    path("me/persons/<int:pk>/apply/", views.apply_what, name="apply_what"),
    path("me/persons/<int:pk>/apply/documents/", views.apply_documents, name="apply_documents"),
    path("me/persons/<int:pk>/apply/note/", views.apply_note, name="apply_note"),
    path("me/persons/<int:pk>/apply/check/", views.apply_check, name="apply_check"),
    path("me/applications/<int:pk>/", views.application, name="application"),
    path("me/needs/<int:pk>/", views.need, name="need"),
    path("me/certificate-requests/<int:pk>/", views.certificate_request, name="certificate_request"),
    path("me/cases/new/", views.case_new, name="case_new"),
    path("me/cases/<int:pk>/", views.case, name="case"),
    path("me/assessment/", views.assessment_request, name="assessment_request"),
    path("me/assessment/check/", views.assessment_check, name="assessment_check"),
    path("staff/proxies/", views.proxies_pending, name="proxies_pending"),
]
