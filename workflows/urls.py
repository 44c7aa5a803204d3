from django.urls import path

from . import views

app_name = "workflows"

urlpatterns = [
    path("tasks/inbox/", views.InboxView.as_view(), name="inbox"),
    path("tasks/queue/", views.QueueView.as_view(), name="queue"),
    path("tasks/archive/", views.ArchiveView.as_view(), name="archive"),
    path("tasks/overdue/", views.OverdueView.as_view(), name="overdue"),
    path("tasks/team/", views.TeamView.as_view(), name="team"),
    path("tasks/reassign/", views.ReassignView.as_view(), name="reassign"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/claim/", views.task_claim, name="task_claim"),
    path("tasks/<int:pk>/draft/", views.survey_draft, name="survey_draft"),
    path("tasks/<int:pk>/release/", views.task_release, name="task_release"),
    path("tasks/<int:pk>/hand-over/", views.task_hand_over, name="task_hand_over"),
    path("tasks/<int:pk>/reassign/", views.task_reassign, name="task_reassign"),
    path("cases/<int:pk>/close/", views.case_close_request, name="case_close"),
    path("cases/<int:pk>/transfer/", views.case_transfer_request, name="case_transfer"),
    path("cases/<int:pk>/undo/", views.case_undo, name="case_undo"),
    path("cases/<int:pk>/resurvey/", views.case_resurvey, name="case_resurvey"),
]
