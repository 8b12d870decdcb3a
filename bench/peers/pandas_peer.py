"""The pandas peer of `make bench`: the same read-and-compute as duckdb.mjs
(a year's emissions per org unit and carrier, energy pro rata by day, one
factor per carrier), in pandas. usage: python3 pandas_peer.py DATA_DIR YEAR"""
import sys

import pandas as pd

data, year = sys.argv[1], int(sys.argv[2])
y0, y1 = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
KG = {"electricity": 0.363, "natural_gas": 0.201, "district_heating": 0.28,
      "heating_oil": 0.266, "diesel": 2.51, "petrol": 2.1, "car_medium": 0.17,
      "spend": 0.3}

e = pd.read_csv(f"{data}/energy.csv", parse_dates=["period_start", "period_end"])
e = e[(e.period_end >= y0) & (e.period_start <= y1)]
inside = (e.period_end.clip(upper=y1) - e.period_start.clip(lower=y0)).dt.days + 1
total = (e.period_end - e.period_start).dt.days + 1
e = pd.DataFrame({"org": e.org, "carrier": e.carrier, "q": e.quantity * inside / total})
v = pd.read_csv(f"{data}/fleet.csv", parse_dates=["date"], dtype={"vehicle_class": str})
v = v[(v.date >= y0) & (v.date <= y1)]
v = pd.DataFrame({"org": v.org, "carrier": v.vehicle_class.fillna(v.fuel), "q": v.quantity})
p = pd.read_csv(f"{data}/procurement.csv", parse_dates=["date"])
p = p[(p.date >= y0) & (p.date <= y1)]
p = pd.DataFrame({"org": p.org, "carrier": "spend", "q": p.amount})
a = pd.concat([e, v, p], ignore_index=True)
a["kg"] = a.q * a.carrier.map(KG).fillna(0.2)
g = a.groupby(["org", "carrier"]).agg(kg=("kg", "sum"), n=("kg", "size"))
print(f"pandas: {len(g)} groups over {int(g.n.sum())} rows")
