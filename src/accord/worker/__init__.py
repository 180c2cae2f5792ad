"""The worker: scheduled evaluation of the stored agreements on a cadence, and re-evaluation
when late data arrives (``accord worker``, or inside ``accord serve``).

What is due is decided by ``accord.services.scheduling`` from the database alone; the worker
takes its turn (one worker at a time), runs the due jobs and reports what they recorded.
"""

from accord.worker.scheduler import Worker
from accord.worker.tick import WORKER, JobDone, TickReport, tick

__all__ = ["WORKER", "JobDone", "TickReport", "Worker", "tick"]
