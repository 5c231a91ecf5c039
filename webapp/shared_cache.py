"""A cache for results shared between every session of one server (no Streamlit import).

``functools.lru_cache`` serves many people badly: when 100 people open the same link at
once, all 100 miss the cache together and run the same simulation 100 times, each holding
its own draws x years arrays, so memory and time grow with the crowd. :func:`shared` fixes
both:

* **one computation per key**: the first caller computes, the others with the same
  arguments wait for its answer (single flight);
* **at most** :data:`WORKERS` **computations at once** (the machine's cores): more would
  only add arrays in memory, not speed; a computation that calls another cached function
  (the headline calls the simulation) takes one place, not two (no deadlock);
* **bounded by bytes** as well as by count: each entry's size is the bytes of the numpy
  arrays in it, and the least recently used entries go first;
* **read-only**: every array in a cached result is marked read-only
  (:func:`calculator.frozen.read_only`).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps
from typing import Any, TypeVar

from calculator.frozen import array_bytes, read_only

F = TypeVar("F", bound=Callable[..., Any])

#: Computations running at once across every session: one per core.
WORKERS = threading.BoundedSemaphore(os.cpu_count() or 2)
_held = threading.local()


class _Slot:
    """A place among the :data:`WORKERS`, taken once per thread however deep the calls nest."""

    def __enter__(self) -> None:
        depth = getattr(_held, "depth", 0)
        if depth == 0:
            WORKERS.acquire()
        _held.depth = depth + 1

    def __exit__(self, *exc: object) -> None:
        _held.depth -= 1
        if _held.depth == 0:
            WORKERS.release()


class _Store:
    """The entries of one cached function, their sizes (bytes) and the computations under way."""

    def __init__(self, maxsize: int, max_bytes: float) -> None:
        self.maxsize, self.max_bytes = maxsize, max_bytes
        self.entries: OrderedDict[Hashable, Any] = OrderedDict()
        self.sizes: dict[Hashable, int] = {}
        self.pending: dict[Hashable, threading.Event] = {}
        self.lock = threading.Lock()

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value``, then drop the least recently used entries beyond the bounds (the
        newest is always kept, whatever its size)."""
        self.entries[key], self.sizes[key] = value, array_bytes(value)
        while len(self.entries) > 1 and (len(self.entries) > self.maxsize
                                         or sum(self.sizes.values()) > self.max_bytes):
            old, _ = self.entries.popitem(last=False)
            del self.sizes[old]

    def bytes(self) -> int:
        """Bytes of arrays held now."""
        with self.lock:
            return sum(self.sizes.values())


def shared(maxsize: int, max_mb: float) -> Callable[[F], F]:
    """Decorator: cache a function of hashable arguments for every session (see the module).

    ``maxsize`` entries and ``max_mb`` megabytes of arrays at most. The wrapped function has
    ``cache_clear()`` and ``cache_bytes()``, like ``functools.lru_cache``'s ``cache_info``.
    """

    def decorate(fn: F) -> F:
        store = _Store(maxsize, max_mb * 1e6)

        @wraps(fn)
        def wrapper(*args: Hashable) -> Any:
            while True:
                with store.lock:
                    if args in store.entries:
                        store.entries.move_to_end(args)
                        return store.entries[args]
                    waiting = store.pending.get(args)
                    if waiting is None:
                        done = store.pending[args] = threading.Event()
                        break
                waiting.wait()  # another session computes it; then read it (or, if it failed, try)
            try:
                with _Slot():
                    value = read_only(fn(*args))
                with store.lock:
                    store.put(args, value)
                return value
            finally:
                with store.lock:
                    del store.pending[args]
                done.set()

        def cache_clear() -> None:
            with store.lock:
                store.entries.clear()
                store.sizes.clear()

        wrapper.cache_clear = cache_clear  # type: ignore[attr-defined]
        wrapper.cache_bytes = store.bytes  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
