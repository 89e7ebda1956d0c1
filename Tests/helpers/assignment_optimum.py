#!/usr/bin/env python3
"""Independent optimum for a staffing instance that is a plain assignment problem: every
slot needs one person, each person takes at most one slot, cost = whole metres home → slot
(haversine, mean Earth radius 6,371,008.8 m, rounded). Solved by scipy's
linear_sum_assignment. Reads JSON {"people": [[lon, lat]...], "slots": [[lon, lat]...]} on
stdin; prints the number of slots filled and the minimum total metres.
"""
import json
import sys

import numpy as np
from scipy.optimize import linear_sum_assignment

data = json.load(sys.stdin)
p = np.radians(np.array(data["people"], dtype=float))
s = np.radians(np.array(data["slots"], dtype=float))
dphi = s[None, :, 1] - p[:, None, 1]
dlam = s[None, :, 0] - p[:, None, 0]
h = np.sin(dphi / 2) ** 2 + np.cos(p[:, None, 1]) * np.cos(s[None, :, 1]) * np.sin(dlam / 2) ** 2
metres = np.rint(2 * 6371008.8 * np.arcsin(np.minimum(1, np.sqrt(h)))).astype(np.int64)
rows, cols = linear_sum_assignment(metres)
print(len(rows), int(metres[rows, cols].sum()))
