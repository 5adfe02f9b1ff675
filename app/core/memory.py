"""Give large freed buffers back to the system (glibc's malloc), so a worker stays its size.

glibc serves a request above its mmap threshold with a mapping of its own, unmapped when freed; but
after such a block is freed it raises the threshold to that size (up to 32 MiB), and later blocks of
that size come from the heap of the thread that asked, which keeps them. A password hash takes
19 MiB (app.auth.passwords): after a few logins every thread of a worker held its own 19 MiB, 78 MB
more per worker of four threads. A fixed threshold turns that adjustment off.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)
THRESHOLD = 1 << 20  # blocks of 1 MiB and more get their own mapping, returned when freed


def return_large_blocks(threshold: int = THRESHOLD) -> bool:
    """Fix glibc's mmap threshold for this process and those it forks afterwards; False where the C
    library is not glibc (nothing to do)."""
    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt if name else None
    except (OSError, AttributeError):
        mallopt = None
    if mallopt is None:
        return False
    done = bool(mallopt(M_MMAP_THRESHOLD, threshold))
    if not done:
        log.warning("mallopt(M_MMAP_THRESHOLD) refused")
    return done
