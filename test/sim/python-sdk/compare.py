"""Drives the simulator's data comparisons through Huawei's official Python DRS SDK.

Run by test/sim/python-sdk-compare.test.ts with the SDK's virtualenv. Input (environment):
DRS_ENDPOINT, DRS_PROJECT_ID, DRS_AK, DRS_SK, DRS_JOB, and DRS_STEP: "start" (create a
row comparison, create a second one, list) or "read" (list, then line-overview and
line-detail of the newest comparison, and the object-level overview). Output: one JSON
object on stdout of what the SDK parsed; an unexpected SDK exception exits non-zero.
"""

import json
import os

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkdrs.v3 import (
    CompareJobInfo,
    CreateDataLevelTableCompareJobReq,
    CreateDataLevelTableCompareJobRequest,
    DataCompareOverviewInfo,
    DrsClient,
    ListDataCompareDetailRequest,
    ListDataCompareOverviewRequest,
    ListDataLevelTableCompareJobsRequest,
    ListObejectLevelCompareOverviewRequest,
    TableLineCompareResultInfo,
)


def client():
    config = HttpConfig.get_default_config()
    config.timeout = (5, 10)
    return (
        DrsClient.new_builder()
        .with_http_config(config)
        .with_credentials(
            BasicCredentials(os.environ["DRS_AK"], os.environ["DRS_SK"], os.environ["DRS_PROJECT_ID"])
        )
        .with_endpoints([os.environ["DRS_ENDPOINT"]])
        .build()
    )


def create(drs, job):
    request = CreateDataLevelTableCompareJobRequest(
        x_language="en-us", job_id=job, body=CreateDataLevelTableCompareJobReq(type="lines")
    )
    try:
        return {"id": drs.create_data_level_table_compare_job(request).id}
    except ClientRequestException as err:
        return {"status": err.status_code, "error_code": err.error_code, "error_msg": err.error_msg}


def listed(drs, job):
    answer = drs.list_data_level_table_compare_jobs(
        ListDataLevelTableCompareJobsRequest(x_language="en-us", job_id=job, limit=1000, offset=0)
    )
    return answer, {
        "count": answer.count,
        "models": all(isinstance(j, CompareJobInfo) for j in answer.compare_jobs),
        "compare_jobs": [j.to_dict() for j in answer.compare_jobs],
    }


def main():
    drs = client()
    job = os.environ["DRS_JOB"]
    if os.environ["DRS_STEP"] == "start":
        first = create(drs, job)
        second = create(drs, job)
        _, jobs = listed(drs, job)
        print(json.dumps({"first": first, "second": second, "list": jobs}))
        return
    answer, jobs = listed(drs, job)
    compare_id = answer.compare_jobs[0].id
    overview = drs.list_data_compare_overview(
        ListDataCompareOverviewRequest(job_id=job, compare_job_id=compare_id, limit=1000, offset=0)
    )
    details = {}
    for db in overview.data_compare_overview_infos:
        detail = drs.list_data_compare_detail(
            ListDataCompareDetailRequest(
                job_id=job,
                compare_job_id=compare_id,
                db_name=db.source_db_name,
                type="compare",
                limit=1000,
                offset=0,
            )
        )
        details[db.source_db_name] = {
            "total_count": detail.total_count,
            "models": all(
                isinstance(t, TableLineCompareResultInfo)
                for t in detail.table_line_compare_result_infos
            ),
            "tables": [t.to_dict() for t in detail.table_line_compare_result_infos],
        }
    objects = drs.list_obeject_level_compare_overview(
        ListObejectLevelCompareOverviewRequest(job_id=job)
    )
    print(
        json.dumps(
            {
                "list": jobs,
                "overview": {
                    "total_count": overview.total_count,
                    "models": all(
                        isinstance(d, DataCompareOverviewInfo)
                        for d in overview.data_compare_overview_infos
                    ),
                    "databases": [d.to_dict() for d in overview.data_compare_overview_infos],
                },
                "detail": details,
                "objects": objects.to_dict(),
            }
        )
    )


if __name__ == "__main__":
    main()
