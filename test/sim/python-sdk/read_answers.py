"""Asks the simulator through Huawei's official Python DRS SDK and prints what the SDK parsed.

Run by test/sim/python-sdk.test.ts with the SDK's virtualenv. Input (environment):
DRS_ENDPOINT (http://127.0.0.1:PORT), DRS_PROJECT_ID, DRS_AK, DRS_SK, DRS_JOBS (JSON list).
Output: one JSON object on stdout, {"progress": ..., "status": ..., "types": ...}; any SDK
exception propagates (non-zero exit, traceback on stderr).
"""

import json
import os

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkdrs.v3 import (
    BatchListJobStatusRequest,
    BatchListProgressesRequest,
    BatchQueryJobReqPage,
    BatchQueryProgressReq,
    DrsClient,
    PageReq,
    ProgressInfo,
    QueryProgressResp,
)


def main():
    jobs = json.loads(os.environ["DRS_JOBS"])
    config = HttpConfig.get_default_config()
    # A local peer answers at once; fail fast instead of the SDK's minute-long defaults.
    config.timeout = (5, 10)
    client = (
        DrsClient.new_builder()
        .with_http_config(config)
        .with_credentials(
            BasicCredentials(os.environ["DRS_AK"], os.environ["DRS_SK"], os.environ["DRS_PROJECT_ID"])
        )
        # An endpoint with its scheme is used as given: plain http to the simulator.
        .with_endpoints([os.environ["DRS_ENDPOINT"]])
        .build()
    )

    progress = client.batch_list_progresses(
        BatchListProgressesRequest(x_language="en-us", body=BatchQueryProgressReq(jobs=jobs))
    )
    status = client.batch_list_job_status(
        BatchListJobStatusRequest(
            x_language="en-us",
            body=BatchQueryJobReqPage(jobs=jobs, page_req=PageReq(cur_page=1, per_page=len(jobs))),
        )
    )
    # The models, not just dicts: proof the SDK deserialized into its own classes.
    types = [
        {
            "result": isinstance(result, QueryProgressResp),
            "progress_map": sorted(
                key
                for key, value in (result.progress_map or {}).items()
                if isinstance(value, ProgressInfo)
            ),
            "apply_rows_rate": type(result.apply_rows_rate).__name__,
        }
        for result in progress.results
    ]
    print(
        json.dumps(
            {
                "progress": progress.to_dict(),
                "progress_status": progress.status_code,
                "status": status.to_dict(),
                "types": types,
            }
        )
    )


if __name__ == "__main__":
    main()
