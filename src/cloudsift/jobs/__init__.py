"""Jobs: stored command lines, run on a schedule, after a workflow's event, or by hand."""
