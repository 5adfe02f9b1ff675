"""How glibc's malloc keeps and returns large blocks in a worker: predictable, and cheap for logins.

glibc serves a request above its mmap threshold with a mapping of its own, unmapped when freed; after
such a block is freed it raises the threshold to that size (up to 32 MiB, and the heap's trim
threshold to twice that), so how much a worker keeps depends on what it happened to free first.
Both thresholds are fixed here instead, around the one large block a worker allocates often: the
19 MiB of a password hash (app.auth.passwords, OWASP's argon2id baseline).

- Blocks up to `HEAP_BLOCKS` come from the heap of the thread that asks, and up to `KEPT_FREE` of free
  memory stays there: a thread's next password hash reuses the pages of its last one. A fresh mapping
  each time (the threshold at 1 MiB, as this module first set it) made every hash fault in 4,865
  zeroed pages, about 10 ms of system time on top of its ~20 ms, a third of a login's CPU.
- What it costs: one hash's 19 MiB per thread that has checked a password, 38 MB in a worker of two
  threads (tests/reliability/test_worker_memory.py), bounded: it is reused, not added up.
- Larger blocks still get their own mapping, returned to the system when freed.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # mallopt's parameter numbers (malloc.h)
HEAP_BLOCKS = 24 << 20  # above a password hash's 19 MiB (with its allocator's overhead)
KEPT_FREE = 24 << 20  # free memory at the top of a thread's heap kept for its next hash


def fix_malloc_thresholds(heap_blocks: int = HEAP_BLOCKS, kept_free: int = KEPT_FREE) -> bool:
    """Fix glibc's thresholds for this process and those it forks afterwards; False where the C
    library is not glibc (nothing to do)."""
    mallopt = _glibc("mallopt")
    if mallopt is None:
        return False
    done = bool(mallopt(M_MMAP_THRESHOLD, heap_blocks)) and bool(mallopt(M_TRIM_THRESHOLD, kept_free))
    if not done:
        log.warning("mallopt refused the thresholds")
    return done


def release_free_memory() -> bool:
    """Give the free pages inside the heaps back to the system (glibc's `malloc_trim`), after a large
    structure was built among short-lived objects and read back compactly; False without glibc."""
    trim = _glibc("malloc_trim")
    return bool(trim(0)) if trim is not None else False


def _glibc(function: str):
    """A function of glibc's allocator, None where the C library is another (or none is found)."""
    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), function) if name else None
    except (OSError, AttributeError):
        return None
