"""The hand-built panel case: two named areas (North, South) and one incident without an area,
three cycle dates (2025-01-05, 2025-02-02, 2025-03-02; cycles of 28 days from 2024-01-07), a
decisions file with good and bad rows. Every incident is an 8N assault with injury (weight 184);
nobody has a date of birth (age unknown counts).

Incidents (perpetrator -> victim, area):
    PA (also nominal PA2, same PNC): I1 2024-12-01 V1 North; I2 2025-01-20 V2 North;
        I3 2025-02-20 V1 South; I15 2025-03-01 V13 South
    PB: I4 2024-11-10 V3 North; I5, I6, I7 all 2025-02-25: V4 North, V4 South, V5 North
    PC: I8 2025-01-10 V6 South; I9 2025-02-28 V7 North; I10 2025-02-28 V8 South
    PD: I11 2024-06-01 V9 South; I12 2024-08-01 V10 South
    PE: I13 2025-01-02 V11 (no area); I14 2025-01-03 V12 (no area)

The list at 2025-03-02 (RFG = recency + frequency + gravity points, default bands):
    PA: 4 incidents (3), 1 day (5), 736 (4) = 12, area South (latest I15)
    PB: 4 incidents (3), 5 days (5), 736 (4) = 12, area North (2025-02-25: North 2, South 1)
    PC: 3 incidents (2), 2 days (5), 552 (4) = 11, area North (2025-02-28: 1 each; name order)
    PE: 2 incidents (1), 58 days (4), 368 (4) = 9, area unknown
    PD: 2 incidents (1), 213 days (2), 368 (4) = 7, area South
    Ranks: PA 1, PB 2 (ties broken by the latest incident), PC 3, PE 4, PD 5.
One cycle earlier (2025-02-02): PA 10 (North: latest I2), PE 10 (unknown), PD 7 (South).
    So North lost PA ("moved to South") and gained PB, PC; South gained PA (area rank 1) and
    PD went down 1 (1 -> 2).

Decisions (rows 1-6): 1 PA2 North adopted 2025-02-03 discharged 2025-02-26 (PA2 resolves to PA);
    2 PD South adopted 2024-09-01; 3 ZZZ -> unknown_person; 4 PB discharged before adoption ->
    discharge_before_adoption; 5 PD adopted 2024-10-01 while still adopted ->
    overlapping_adoption; 6 PC area 'East' -> unknown_area.
Status at 2025-03-02: PA 'discharged 2025-02-26', PD 'adopted 2024-09-01'.

Outcomes at 2025-03-02:
    PA: cycle 2025-02-02, score 10 then. At adoption 2025-02-03: I1, I2: 2 (1), 14 days (5),
        368 (4) = 10. At discharge 2025-02-26: I1-I3: 3 (2), 6 days (5), 552 (4) = 11 (+1).
        6 and 12 months: after the as-of date (blank). After adoption (02-03, 02-26]: I3 = 1
        incident, its victim V1 seen before: 0 new victims. After discharge (02-26, 03-02]:
        I15 = 1 incident, V13 new: 1 new victim.
        Comparison group: listed at 2025-02-02 with score 10 and never adopted: PE. PE at
        2025-02-03: 31 days (4) + 1 + 4 = 9; at 2025-02-26: 54 days (4) = 9 (change 0); no new
        incidents after either date.
    PD: cycle 2024-08-18 (score 10: 17 days (5) + 1 + 4); at adoption 2024-09-01: 31 days (4)
        + 1 + 4 = 9; 6 months 2025-03-01: 212 days (2) + 1 + 4 = 7 (-2); 12 months after the
        as-of date. No new incident. Nobody else listed on 2024-08-18: no comparison group.
"""

from __future__ import annotations

import datetime as dt

AS_OF = dt.date(2025, 3, 2)
PREVIOUS = dt.date(2025, 2, 2)
NAMES = {"PA": ("Hollowmere", "Aldric"), "PA2": ("Hollowmere", "Aldric"),
         "PB": ("Quenby", "Bartholomew"), "PC": ("Ravensworth", "Cuthbert"),
         "PD": ("Stainforth", "Dunstan"), "PE": ("Thwaite", "Egbert")}
VICTIM_NAMES = {f"V{i}": (f"Victimsurname{i}", f"Victimforename{i}") for i in range(1, 14)}

INCIDENTS = [  # id, date, perpetrator, victim, area
    ("I1", "2024-12-01", "PA", "V1", "North"), ("I2", "2025-01-20", "PA", "V2", "North"),
    ("I3", "2025-02-20", "PA2", "V1", "South"), ("I15", "2025-03-01", "PA", "V13", "South"),
    ("I4", "2024-11-10", "PB", "V3", "North"), ("I5", "2025-02-25", "PB", "V4", "North"),
    ("I6", "2025-02-25", "PB", "V4", "South"), ("I7", "2025-02-25", "PB", "V5", "North"),
    ("I8", "2025-01-10", "PC", "V6", "South"), ("I9", "2025-02-28", "PC", "V7", "North"),
    ("I10", "2025-02-28", "PC", "V8", "South"),
    ("I11", "2024-06-01", "PD", "V9", "South"), ("I12", "2024-08-01", "PD", "V10", "South"),
    ("I13", "2025-01-02", "PE", "V11", ""), ("I14", "2025-01-03", "PE", "V12", ""),
]
DECISIONS = [
    "perpetrator_id,area,adopted_on,discharged_on,tactic,note",
    "PA2,North,2025-02-03,2025-02-26,IDVA and probation,Aldric Hollowmere seen at clinic",
    "PD,South,01/09/2024,,Housing,",
    "ZZZ,South,2025-01-01,,DVPO,",
    "PB,North,2025-02-10,2025-02-01,DVPO,",
    "PD,South,2024-10-01,,Housing,",
    "PC,East,2025-02-10,,DVPO,",
]


def write(story_cls, root):
    """The extract folder and the decisions file; returns (extract, decisions path)."""
    s = story_cls()
    for pid, (surname, forenames) in {**NAMES, **VICTIM_NAMES}.items():
        s.person(pid, surname=surname, forenames=forenames,
                 pnc="PNC-A" if pid in ("PA", "PA2") else "")
    for iid, day, perpetrator, victim, area in INCIDENTS:
        s.incident(iid, day, code="8N", area=area, suspect=perpetrator, victim=victim)
    extract = s.write(root / "extract")
    decisions = root / "decisions.csv"
    decisions.write_text("\n".join(DECISIONS) + "\n", encoding="utf-8")
    return extract, decisions


def sections(decisions, **extra) -> dict:
    """Settings for the case: default cycles (28 days from 2024-01-07), the decisions file, and
    identity by PNC id alone as worked out above (PA and PA2 share one). The probabilistic model
    would rightly join victims named Victimsurname1/Victimsurname2 (one letter apart, one
    perpetrator in common); linkage is tested against ground truth in test_identity.py."""
    return {"panel": {"decisions": str(decisions), "pdf": True, **extra.pop("panel", {})},
            "identity": {"method": "pnc_only", **extra.pop("identity", {})}, **extra}
