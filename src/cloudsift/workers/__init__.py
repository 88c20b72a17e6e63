"""Scale-out: `cloudsift serve --worker` processes share one PostgreSQL store and its task queue.

A collection is a run of tasks (one per account, then one per account x region x service group) on
procrastinate's queue in the store's own schema; any worker takes any task, the last task to end
queues the run's finish (one import, then post_collect), and the finish runs once. See docs/scaling.md.
"""
