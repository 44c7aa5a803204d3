from django.urls import path

from .views import actions, lists, reassign, tasks

app_name = "workflows"

urlpatterns = [
    path("tasks/inbox/", lists.InboxView.as_view(), name="inbox"),
    path("tasks/queue/", lists.QueueView.as_view(), name="queue"),
    path("tasks/archive/", lists.ArchiveView.as_view(), name="archive"),
    path("tasks/overdue/", lists.OverdueView.as_view(), name="overdue"),
    path("tasks/team/", lists.TeamView.as_view(), name="team"),
    path("tasks/open/", lists.OpenTasksView.as_view(), name="open_tasks"),
    path("tasks/reassign/", reassign.ReassignView.as_view(), name="reassign"),
    path("tasks/reassign/<slug:key>/", reassign.reassign_result, name="reassign_result"),
    path("tasks/reassign/<slug:key>/receipt/", reassign.reassign_receipt, name="reassign_receipt"),
    path("tasks/<id:pk>/", tasks.task_detail, name="task_detail"),
    path("tasks/<id:pk>/claim/", actions.task_claim, name="task_claim"),
    path("tasks/<id:pk>/draft/", tasks.survey_draft, name="survey_draft"),
    path("tasks/<id:pk>/release/", actions.task_release, name="task_release"),
    path("tasks/<id:pk>/hand-over/", actions.task_hand_over, name="task_hand_over"),
    path("tasks/<id:pk>/reassign/", actions.task_reassign, name="task_reassign"),
    path("cases/<id:pk>/close/", actions.case_close_request, name="case_close"),
    path("cases/<id:pk>/transfer/", actions.case_transfer_request, name="case_transfer"),
    path("cases/<id:pk>/undo/", actions.case_undo, name="case_undo"),
    path("cases/<id:pk>/resurvey/", actions.case_resurvey, name="case_resurvey"),
]
