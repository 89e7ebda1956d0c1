"""Helpers shared by the scripts that turn OpenStreetMap extracts into data/ samples
(build_helsinki_data.py, build_liechtenstein_data.py)."""
import json
import os

from shapely.geometry import mapping


def rounded(geometry):
    """A shapely geometry as a GeoJSON geometry with coordinates rounded to 7 decimals (~1 cm)."""
    def walk(c):
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            return [round(c[0], 7), round(c[1], 7)]
        return [walk(x) for x in c]
    g = mapping(geometry)
    return {"type": g["type"], "coordinates": walk(g["coordinates"])}


def write_collection(folder, name, features):
    """Writes a compact GeoJSON FeatureCollection (UTF-8, one line and a newline)."""
    with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": features}, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
