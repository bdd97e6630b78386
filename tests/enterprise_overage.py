"""A small dataset where one contract's unused quantity would hide another's overage if
Enterprise-wide summed remaining across entitlements, and its hand-worked answers.

Fabrikam (C1) has two active contracts, each with an active enterprise package, as of
2026-06-30: K1 (CN-1, workspace W1) and K2 (CN-2, workspace W2).

| entitlement | contract | category, unit | purchased | used | scheduled | remaining |
|---|---|---|---|---|---|---|
| E1 | K1 | reactive, hours | 100 | 150 (cases R1 120 + R2 30) | 0 | -50 |
| E2 | K2 | reactive, hours | 200 | 40 (R3) | 0 | 160 |
| E3 | K2 | reactive, hours | none | 10 (R4) | 0 | none |
| E4 | K1 | proactive, hours | 40 | 30 (D1) | 20 (D2) | -10 |
| E5 | K2 | proactive, hours | 30 | 15 (D3) | 5 (D4) | 10 |
| E6 | K1 | education, seats | 2 | 3 (N1, N2, N3) | 0 | -1 |
| E7 | K2 | advisory, hours | none | 4 (R5) | 0 | none |

u-admin is a customer admin (both contracts), u-prod holds customer_activity in W1 (K1 only),
u-lab in W2 (K2 only).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dashboard.ingest.schema import TABLES

AS_OF = date(2026, 6, 30)
KEYS = ("purchased", "used", "scheduled", "remaining", "overage", "used_without_limit",
        "utilisation")  # fmt: skip

# (category, unit): purchased, used, scheduled, remaining, overage, used_without_limit,
# utilisation, worked out by hand from the table above
ADMIN = {
    # purchased 100 + 200 (E3 has none); used 150 + 40 + 10 = 200; remaining: E2's 160 only
    # (E1 is below 0, E3 has none); overage: E1's 50; utilisation (200 - 10) / 300 = 19/30.
    # Summed across entitlements remaining would be -50 + 160 = 110, E1's overage hidden.
    ("reactive", "hours"): (300, 200, 0, 160, 50, 10, 190 / 300),
    # purchased 40 + 30 = 70; used 30 + 15 = 45; scheduled 20 + 5 = 25; remaining: E5's 10;
    # overage: E4's 10; utilisation 45 / 70. Summed, remaining would be -10 + 10 = 0: "all used".
    ("proactive", "hours"): (70, 45, 25, 10, 10, 0, 45 / 70),
    # E6 alone, over by 1: no entitlement has 0 or more left, so remaining is 0 (not -1)
    ("education", "seats"): (2, 3, 0, 0, 1, 0, 1.5),
    # E7 alone, with no purchased quantity: used 4, all of it without a limit; nothing
    # purchased, so no remaining and no utilisation, and no overage
    ("advisory", "hours"): (None, 4, 0, None, 0, 4, None),
}
# K1 only: E1, E4, E6, each over
PROD = {
    ("reactive", "hours"): (100, 150, 0, 0, 50, 0, 1.5),
    ("proactive", "hours"): (40, 30, 20, 0, 10, 0, 0.75),
    ("education", "seats"): (2, 3, 0, 0, 1, 0, 1.5),
}
# K2 only: E2, E3, E5, E7, none over; reactive utilisation (50 - 10) / 200 = 0.2
LAB = {
    ("reactive", "hours"): (200, 50, 0, 160, 0, 10, 0.2),
    ("proactive", "hours"): (30, 15, 5, 10, 0, 0, 0.5),
    ("advisory", "hours"): (None, 4, 0, None, 0, 4, None),
}
# Enterprise-wide's headline for u-admin, hours: used less used without a limit, advisory
# 4 - 4 + proactive 45 + reactive 200 - 10 = 235 of 70 + 300 = 370 purchased: 63.5%; over by
# 10 (proactive) + 50 (reactive) = 60 hours
ADMIN_HOURS = {"used": 235, "purchased": 370, "overage": 60}

# the rows of the import's CSV files, under the header of each table's columns (a table not
# named here has no rows)
CSV = {
    "customers": """
C1,Fabrikam
""",
    "workspaces": """
W1,C1,Fabrikam Production
W2,C1,Fabrikam Lab
""",
    "users": """
u-admin,C1,Fay Admin,fay@fabrikam.example,true
u-prod,C1,Pat Prod,pat@fabrikam.example,false
u-lab,C1,Lou Lab,lou@fabrikam.example,false
""",
    "workspace_members": """
W1,u-prod,false
W2,u-lab,false
""",
    "role_grants": """
u-prod,W1,customer_activity
u-lab,W2,customer_activity
""",
    "contracts": """
K1,C1,W1,CN-1,Fabrikam Production 2026,2026-01-01,2026-12-31,
K2,C1,W2,CN-2,Fabrikam Lab 2026,2026-01-01,2026-12-31,
""",
    "packages": """
P1,K1,Enterprise Support CN-1,enterprise,2026-01-01,2026-12-31
P2,K2,Enterprise Support CN-2,enterprise,2026-01-01,2026-12-31
""",
    "entitlements": """
E1,P1,reactive,Reactive support,Break-fix hours,consumable,hours,100,
E2,P2,reactive,Reactive support,Break-fix hours,consumable,hours,200,
E3,P2,reactive,Reactive support (no limit),Break-fix hours,consumable,hours,,
E4,P1,proactive,Proactive services,Workshops,consumable,hours,40,
E5,P2,proactive,Proactive services,Workshops,consumable,hours,30,
E6,P1,education,On-demand education,Course seats,consumable,seats,2,
E7,P2,advisory,Advisory support (no limit),Advice,consumable,hours,,
""",
    "cases": """
R1,W1,K1,E1,Outage,reactive,STD,A,closed,2026-02-02T09:00:00Z,2026-02-04T09:00:00Z,u-admin,120
R2,W1,K1,E1,Slow sign-in,reactive,STD,B,closed,2026-03-02T09:00:00Z,2026-03-03T09:00:00Z,u-prod,30
R3,W2,K2,E2,Lab outage,reactive,STD,B,closed,2026-03-02T09:00:00Z,2026-03-03T09:00:00Z,u-lab,40
R4,W2,K2,E3,Lab question,reactive,STD,C,closed,2026-04-02T09:00:00Z,2026-04-03T09:00:00Z,u-lab,10
R5,W2,K2,E7,Design review,advisory,ADV,C,closed,2026-05-04T09:00:00Z,2026-05-05T09:00:00Z,u-lab,4
""",
    "deliveries": """
D1,E4,2026-04-01,Security workshop,30,30,delivered,J. Smith
D2,E4,2026-09-01,Tuning session,20,,scheduled,
D3,E5,2026-05-01,Health check,15,15,delivered,R. Jones
D4,E5,2026-10-01,Review,5,,scheduled,
""",
    "enrollments": """
N1,E6,Ann Lee,ann@fabrikam.example,Intro to Cloud,2026-02-01,,enrolled
N2,E6,Bob Roe,bob@fabrikam.example,Intro to Cloud,2026-02-01,,enrolled
N3,E6,Cy Doe,cy@fabrikam.example,Intro to Cloud,2026-02-01,2026-03-01,completed
""",
}


def write(folder: Path) -> Path:
    """The dataset as the import's CSV files in `folder` (made), which is returned."""
    folder.mkdir(parents=True)
    for table in TABLES:
        text = ",".join(table.column_names) + CSV.get(table.name, "\n")
        (folder / f"{table.name}.csv").write_text(text, encoding="utf-8")
    return folder


def imported(base: Path) -> Path:
    """The dataset written under `base` and imported into a data home there, returned."""
    from dashboard.ingest.importer import import_dataset

    home = base / "home"
    import_dataset(write(base / "src"), home, AS_OF)
    return home
