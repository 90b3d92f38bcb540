"""The panel outputs: per-area packs (HTML and PDF) of the top of the list, the coordinator's
decisions (adoptions and discharges) and the outcomes of adopted people."""
