// Gate cutovers on Huawei Cloud DRS migration jobs: record job statuses, and wait until jobs are ready.
package drs
