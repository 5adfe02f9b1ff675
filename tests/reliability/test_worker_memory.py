"""A worker's threads do not each keep the 19 MiB a password hash takes (app.core.memory)."""
from __future__ import annotations

import subprocess
import sys

# Four threads hash a password five times each, as a gthread worker's threads do at logins; the
# process prints how much its resident set grew, in MB.
SCRIPT = """
import os, sys, threading
from argon2 import PasswordHasher
from app.core.memory import return_large_blocks
if sys.argv[1] == "fixed":
    assert return_large_blocks()
def rss():
    return int(open(f"/proc/{os.getpid()}/status").read().split("VmRSS:")[1].split()[0]) / 1024
hasher = PasswordHasher(time_cost=1, memory_cost=19456, parallelism=1)
hashed = hasher.hash("pw")
before = rss()
threads = [threading.Thread(target=lambda: [hasher.verify(hashed, "pw") for _ in range(5)]) for _ in range(4)]
[t.start() for t in threads]
[t.join() for t in threads]
print(rss() - before)
"""


def _growth(mode: str) -> float:
    done = subprocess.run([sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, timeout=120, check=True)
    return float(done.stdout.strip())


def test_freed_hash_memory_goes_back_to_the_system():
    assert _growth("default") > 40  # glibc's own behaviour: what the fix is for (the test can fail)
    assert _growth("fixed") < 10
