"""Write the demo dataset: every table of the contract as <table>.parquet.

The same (scale, seed, as_of, customers) always gives byte-identical files: all randomness
comes from generators seeded with `seed` (one per part, so the parts do not disturb each other),
and every date is placed relative to as_of. The organisation and contracts are the same at every
scale; the usage tables cases and deliveries grow linearly with it and are streamed to disk.
More customers share the same usage (seed/customers.py).
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import numpy as np

from dashboard.ingest.parquet_layout import write_table
from dashboard.ingest.schema import TABLE_NAMES
from seed.account_managers import build_account_managers
from seed.activity import build_activity
from seed.cases import lookups_of, plan_cases, write_cases
from seed.contracts import build_contracts
from seed.customers import MIN_CUSTOMERS, customer_specs, usage_shares
from seed.deliveries import plan_deliveries, write_deliveries
from seed.org import build_org
from seed.streams import Progress

DEFAULT_AS_OF = date(2026, 11, 23)
DEFAULT_CUSTOMERS = MIN_CUSTOMERS  # the four hand-placed ones


def generate(
    folder: Path,
    *,
    scale: int = 1,
    seed: int = 7,
    as_of: date = DEFAULT_AS_OF,
    progress: bool = False,
    customers: int = DEFAULT_CUSTOMERS,
) -> dict[str, int]:
    """Write every table into `folder` (existing, empty); returns the rows of each table."""
    if scale < 1:
        raise ValueError("scale must be 1 or more")
    folder = Path(folder)
    specs = customer_specs(customers, random.Random(f"{seed}:customers"))
    org = build_org(random.Random(f"{seed}:org"), specs, usage_shares(specs))
    estate = build_contracts(org, as_of, scale, random.Random(f"{seed}:contracts"))
    lookups = lookups_of(org, estate)
    case_groups = plan_cases(org, estate, lookups, as_of, scale, np.random.default_rng([seed, 0]))
    delivery_plans = plan_deliveries(estate, as_of, scale)
    total = sum(g.count for g in case_groups) + sum(p.count for p in delivery_plans)
    meter = Progress(total, progress)

    rows: dict[str, int] = {}
    frames = {**org.tables, **estate.tables}
    frames.update(build_activity(estate, as_of, random.Random(f"{seed}:activity")))
    managers = random.Random(f"{seed}:account_managers")
    frames.update(build_account_managers(org.customers, as_of, managers))
    rows["cases"], frames["case_shares"] = write_cases(
        folder, case_groups, lookups, as_of, seed, meter
    )
    rows["deliveries"] = write_deliveries(folder, delivery_plans, lookups.entitlements, seed, meter)
    meter.finish()
    for name, frame in frames.items():
        rows[name] = write_table(folder, name, frame)
    return {name: rows[name] for name in TABLE_NAMES}
