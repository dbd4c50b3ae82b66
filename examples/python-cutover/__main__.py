"""Gate a cutover on DRS jobs: the record is created only once every job is ready."""
import pulumi
import pulumi_drs as drs

config = pulumi.Config()
job_ids = config.require_object("jobIds")

# Its create waits (never in preview) until every job is ready; a failed job fails the update.
gate = drs.JobWaiter(
    "gate",
    job_ids=job_ids,
    timeout="60m",
    poll_interval=config.get("pollInterval") or "10s",
)

# Stands in for the cutover itself.
record = drs.JobStatus(
    "cutoverRecord",
    job_ids=job_ids,
    opts=pulumi.ResourceOptions(depends_on=[gate]),
)

pulumi.export("openedAt", gate.opened_at)
pulumi.export("statuses", record.statuses)
