"""A worker's threads reuse the memory of their last password hash, and keep no more than one hash's
worth each (app.core.memory)."""
from __future__ import annotations

import json
import subprocess
import sys

# Four threads hash a password five times each, as a gthread worker's threads do at logins, then once
# more each; the process prints how much its resident set grew (MB) and the page faults of the last
# round per hash.
SCRIPT = """
import json, os, resource, sys, threading
from argon2 import PasswordHasher
from app.core.memory import fix_malloc_thresholds
if sys.argv[1] == "fixed":
    assert fix_malloc_thresholds()
else:  # every block of 1 MiB and more mapped afresh and returned when freed
    assert fix_malloc_thresholds(heap_blocks=1 << 20, kept_free=128 << 10)
def rss():
    return int(open(f"/proc/{os.getpid()}/status").read().split("VmRSS:")[1].split()[0]) / 1024
hasher = PasswordHasher(time_cost=1, memory_cost=19456, parallelism=1)
hashed = hasher.hash("pw")
before = rss()
def logins(times):
    threads = [threading.Thread(target=lambda: [hasher.verify(hashed, "pw") for _ in range(times)]) for _ in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
logins(5)
faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
logins(1)
print(json.dumps({"growth": rss() - before, "faults": (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults) / 4}))
"""
HASH_PAGES = 19456 // 4  # a hash's 19 MiB in 4 KiB pages


def _run(mode: str) -> dict:
    done = subprocess.run([sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def test_threads_reuse_their_last_hash_memory_and_keep_one_hash_each():
    fixed = _run("fixed")
    assert fixed["faults"] < HASH_PAGES / 4  # no fresh mapping faulted in page by page
    assert fixed["growth"] < 4 * 19 + 10  # at most one hash's memory per thread, not one per hash


def test_large_blocks_returned_at_once_cost_every_hash_its_page_faults():
    """The other way round (the thresholds this module first set): nothing kept, every hash faults in
    its 19 MiB page by page. Shows the test above can fail."""
    returned = _run("returned")
    assert returned["faults"] > HASH_PAGES * 0.9
    assert returned["growth"] < 10
