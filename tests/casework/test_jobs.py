"""The job runner runs registered jobs by name only, inline in tests and on Celery in production."""

import pytest

from casework import jobs
from casework.models import RosterImport


def test_only_registered_jobs_run():
    with pytest.raises(jobs.UnknownJob):
        jobs.submit("casework.roster_jobs.analyse", pk=1)  # a dotted path is not a job name
    with pytest.raises(jobs.UnknownJob):
        jobs.run("os.system", {"command": "true"})
    assert {"roster.analyse", "roster.execute"} <= set(jobs.JOBS)


def test_a_name_is_registered_once():
    with pytest.raises(ValueError, match="roster.analyse"):
        jobs.job("roster.analyse")(lambda pk: None)


def test_the_celery_task_runs_a_job_by_name(db, supervisor):
    from config import celery_app

    record = RosterImport.objects.create(
        actor=supervisor, file_name="gone.xlsx", sha256="0" * 64, stored_file="gone.xlsx"
    )
    task = celery_app.tasks["casework.run_job"]
    task.apply(args=["roster.analyse", {"pk": record.pk}]).get()
    record.refresh_from_db()
    assert record.status == "failed"  # the stored file is missing: the job ran and said so
