"""Read-only results: arrays that may be shared between people must not be written to.

The app caches results (:mod:`webapp.shared_cache`) and hands the same objects to every
session. :func:`read_only` marks every numpy array reachable from a result
``writeable = False``, so a stray in-place write raises ``ValueError`` at once instead of
silently changing the figures another person is looking at; :func:`array_bytes` is what a
cache counts to stay within its bound.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import TypeVar

import numpy as np

T = TypeVar("T")


def arrays_in(obj: object) -> Iterator[np.ndarray]:
    """Every numpy array inside ``obj`` (in dicts, lists, tuples, dataclasses and their cached
    properties already computed), each once."""
    seen: set[int] = set()
    stack = [obj]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, np.ndarray):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            stack.extend(vars(item).values())  # fields and cached properties already computed


def read_only(obj: T) -> T:
    """``obj`` with every numpy array inside it marked read-only; returns ``obj`` itself."""
    for array in arrays_in(obj):
        array.flags.writeable = False
    return obj


def array_bytes(obj: object) -> int:
    """Bytes of the numpy arrays inside ``obj`` (a broadcast array counts only what it really
    holds, not its stride-0 repeats): a cache's measure of an entry."""
    return sum(array.itemsize * int(np.prod([n for n, step in zip(array.shape, array.strides, strict=True)
                                             if step != 0]))
               for array in arrays_in(obj))
