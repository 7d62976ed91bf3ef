-- wrk script for run.sh: POST with an empty body (empty stdin), as InvokeLoad sends.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/octet-stream"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("CIDRA_TOKEN")
