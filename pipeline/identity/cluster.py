"""Persons from links, under hard constraints.

Links are taken strongest first (analyst `same`, then shared PNC, then model links by match
probability; ties by the two ids), as in Kruskal's algorithm: a link joins two groups unless
the joined group would hold two different PNC ids, or two nominals an analyst said are
different people. So a chain A-B-C whose ends carry different PNC ids is cut at its weakest
link, and the cut link is reported. The same links always give the same persons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Order of the bases: stronger evidence is applied first.
BASIS_RANK = {"analyst": 0, "pnc": 1, "linked": 2}


@dataclass
class Clusters:
    parent: dict[str, str]
    pnc: dict[str, str | None]
    apart: dict[str, set[str]]          # root -> roots an analyst keeps apart from it
    status: list[tuple[str, str | None]] = field(default_factory=list)  # per offered link

    def find(self, x: str) -> str:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def conflict(self, ra: str, rb: str) -> str | None:
        pa, pb = self.pnc[ra], self.pnc[rb]
        if pa is not None and pb is not None and pa != pb:
            return "two_pnc_ids"
        if rb in self.apart.get(ra, ()):
            return "analyst_different"
        return None

    def union(self, ra: str, rb: str) -> None:
        keep, gone = (ra, rb) if ra < rb else (rb, ra)
        self.parent[gone] = keep
        self.pnc[keep] = self.pnc[keep] or self.pnc[gone]
        moved = self.apart.pop(gone, set())
        if moved:
            self.apart.setdefault(keep, set()).update(moved)
            for other in moved:
                self.apart[other].discard(gone)
                self.apart[other].add(keep)


def resolve(nominals: list[tuple[str, str | None]], links: list[tuple],
            different: list[tuple[str, str]]) -> Clusters:
    """`nominals`: (person_id, pnc_id); `links`: (a, b, basis, probability); `different`:
    analyst pairs that must stay apart. Returns the groups (`find`) and, for each link, whether
    it was `accepted`, `redundant` (already one group) or `cut` (with the constraint)."""
    c = Clusters(parent={p: p for p, _ in nominals}, pnc=dict(nominals), apart={})
    for a, b in different:
        if a in c.parent and b in c.parent and a != b:
            c.apart.setdefault(a, set()).add(b)
            c.apart.setdefault(b, set()).add(a)
    order = sorted(range(len(links)), key=lambda i: (
        BASIS_RANK[links[i][2]], -links[i][3], min(links[i][0], links[i][1]),
        max(links[i][0], links[i][1]), i))
    c.status = [("redundant", None)] * len(links)
    for i in order:
        ra, rb = c.find(links[i][0]), c.find(links[i][1])
        if ra == rb:
            continue
        why = c.conflict(ra, rb)
        if why:
            c.status[i] = ("cut", why)
        else:
            c.union(ra, rb)
            c.status[i] = ("accepted", None)
    return c
