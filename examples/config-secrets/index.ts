// Settings from stack config: nothing about DRS is hard-coded in the program. The provider
// reads `drs:*` (endpoint or region, projectId, language) and the credentials, which are
// set as secrets, so they stay encrypted in the stack and never reach the state or logs:
//
//   pulumi config set drs:region cn-north-4
//   pulumi config set drs:projectId <project id>
//   pulumi config set --secret drs:accessKey <AK>
//   pulumi config set --secret drs:secretKey <SK>
//
// Explicit resource arguments win over config, and config over the HW_* environment.
import * as pulumi from "@pulumi/pulumi";
import { JobStatus, JobWaiter } from "pulumi-drs-jobs";

const config = new pulumi.Config();
const jobIds = config.requireObject<string[]>("jobIds");

const waiter = new JobWaiter("replication-ready", { jobIds, pollInterval: "5s", timeout: "15m" });
const status = new JobStatus("replication-status", { jobIds }, { dependsOn: [waiter] });

export const statuses = status.statuses;
