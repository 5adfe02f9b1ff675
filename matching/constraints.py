"""Place and time: haversine distance, distance decay, and availability overlap."""
from __future__ import annotations

import datetime as dt
import logging
import math

import numpy as np

logger = logging.getLogger(__name__)

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: np.ndarray | float, lon2: np.ndarray | float,
                 trig: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Great-circle distance in km from one point to one or many points (NaN stays NaN).

    ``trig`` = (radians(lat2), radians(lon2), cos(radians(lat2))) precomputed by an index.
    """
    p1 = math.radians(lat1)
    p2, l2, cos2 = trig if trig is not None else (np.radians(lat2), np.radians(lon2), np.cos(np.radians(lat2)))
    dphi = p2 - p1
    dlmb = l2 - math.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + math.cos(p1) * cos2 * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def geo_component(distance_km: float, radius_km: float | None, wide_area: bool = False) -> float:
    """Closeness in [0, 1].

    Inside the circle it falls gently from 1 at the centre to 0.75 at the edge; outside it halves
    every 25 km (only organisations get here: sites outside the circle are filtered out). Without
    a radius, a gauss decay with offset 20 km and scale 150 km (0.5 at 170 km). An organisation
    that works all over Hokkaido (``wide_area``) scores 1 wherever its office is.
    """
    if wide_area:
        return 1.0
    if radius_km:
        if distance_km <= radius_km:
            return 1.0 - 0.25 * (distance_km / radius_km) ** 2
        return 0.5 * 0.5 ** ((distance_km - radius_km) / 25.0)
    over = max(0.0, distance_km - 20.0)
    return math.exp(-math.log(2) * (over / 150.0) ** 2)


def geo_components(distance_km: np.ndarray, radius_km: float | None, wide_area: np.ndarray) -> np.ndarray:
    """``geo_component`` over arrays (the same formula, vectorised)."""
    d = np.asarray(distance_km, dtype=np.float64)
    if radius_km:
        inside = 1.0 - 0.25 * (d / radius_km) ** 2
        outside = 0.5 * 0.5 ** (np.maximum(d - radius_km, 0.0) / 25.0)
        g = np.where(d <= radius_km, inside, outside)
    else:
        g = np.exp(-math.log(2) * (np.maximum(0.0, d - 20.0) / 150.0) ** 2)
    return np.where(wide_area, 1.0, g)


def period_overlap(period: tuple[dt.date, dt.date],
                   available: list[tuple[dt.date, dt.date]]) -> tuple[int, bool]:
    """(most days of ``period`` inside one available range, whether one range covers it all).

    No ``available`` ranges means always available.
    """
    days = (period[1] - period[0]).days + 1
    if not available:
        return days, True
    best, full = 0, False
    for a, b in available:
        overlap = (min(b, period[1]) - max(a, period[0])).days + 1
        best = max(best, overlap)
        full = full or (a <= period[0] and b >= period[1])
    return max(0, best), full
