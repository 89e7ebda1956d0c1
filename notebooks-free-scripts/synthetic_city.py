"""Seeded synthetic buildings for the Jiangmen demo villages (shared by the benchmark scripts).

Each village gets one 12 m × 12 m footprint per ~5.3 households at seeded random points inside
it, and its households are split over its buildings (multinomial)."""
import numpy as np
import shapely
from shapely.geometry import shape

SIDE_LON, SIDE_LAT = 12 / 102_850, 12 / 110_574  # 12 m at ~22.5°N


def buildings_for(villages, seed=7, households_per_building=5.3):
    """[(village code, GeoJSON feature)] for the given village features."""
    rng = np.random.default_rng(seed)
    out = []
    for v in villages:
        g = shape(v["geometry"])
        h = v["properties"]["households"]
        n = max(1, int(round(h / households_per_building))) if h > 0 else 0
        if n == 0:
            continue
        minx, miny, maxx, maxy = g.bounds
        points = []
        while len(points) < n:
            xs = rng.uniform(minx, maxx - SIDE_LON, 4 * n)
            ys = rng.uniform(miny, maxy - SIDE_LAT, 4 * n)
            inside = shapely.contains_xy(g, xs, ys) & shapely.contains_xy(g, xs + SIDE_LON, ys + SIDE_LAT)
            points.extend(zip(xs[inside], ys[inside]))
        split = rng.multinomial(h, np.ones(n) / n)
        for (x, y), hh in zip(points[:n], split):
            ring = [[x, y], [x + SIDE_LON, y], [x + SIDE_LON, y + SIDE_LAT], [x, y + SIDE_LAT], [x, y]]
            out.append((v["properties"]["code"], {"type": "Feature", "properties": {"households": int(hh)},
                                                  "geometry": {"type": "Polygon", "coordinates": [ring]}}))
    return out
