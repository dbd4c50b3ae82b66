"""Huawei's official Python SDK against the simulator: OIDC federation from the
HUAWEICLOUD_SDK_* environment (IdP id, ID token file, IAM endpoint), then batch-status with the
temporary keys. Prints the answer as JSON. Run by python-sdk-federation.test.ts."""
import json
import os
import sys
import warnings

from huaweicloudsdkcore.auth.provider import EnvCredentialProvider
from huaweicloudsdkcore.region.region import Region
from huaweicloudsdkdrs.v3 import BatchListJobStatusRequest, BatchQueryJobReq, DrsClient

warnings.simplefilter("ignore", DeprecationWarning)

credentials = EnvCredentialProvider.get_basic().get_credentials()
client = (
    DrsClient.new_builder()
    .with_credentials(credentials)
    .with_region(Region("sim-region", os.environ["DRS_ENDPOINT"]))
    .build()
)
request = BatchListJobStatusRequest(
    x_language="en-us", body=BatchQueryJobReq(jobs=sys.argv[1:])
)
response = client.batch_list_job_status(request)
print(json.dumps(response.to_dict()))
