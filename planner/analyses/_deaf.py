"""Imported by the fork server of the analyses' process pools, first: Ctrl+C is left to the parent.

The fork server restores, in each worker it forks, the SIGINT handler it found when it
started; with this module preloaded that is "ignore", so a worker ignores Ctrl+C from its
first instruction, not only once the pool's initializer runs (a Ctrl+C while a worker was
still importing printed that worker's traceback). The parent cancels the sweep.
"""

import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
