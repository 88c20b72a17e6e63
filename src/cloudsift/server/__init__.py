"""`cloudsift serve`: the scheduler, the alert delivery loop and the HTTP API in one process."""
