"""Developer check of individual data files while a dataset is being written.

Usage: python tools/check_data.py src/csto/data/csto/members.yaml [...]
Validates each file against its model, checks that its source keys resolve in sources.yaml and,
when members.yaml exists, that its state codes are known; for bodies.yaml also that chair periods do not
overlap and (with treaty.yaml beside it) that no body is dated before its founding instrument. Exit 2 on the
first problem.
"""

from __future__ import annotations

import sys
from pathlib import Path

from csto.errors import CstoError
from csto.model import alliance as al
from csto.model.dating import check_bodies_dated, check_chair_periods
from csto.model.yamlio import read_yaml, validate

MODELS = {
    "alliance": al.AllianceInfo,
    "treaty": al.TreatyFile,
    "members": al.MembersFile,
    "bodies": al.BodiesFile,
    "forces": al.ForcesFile,
    "airfields": al.AirfieldsFile,
    "episodes": al.EpisodesFile,
    "corrections": al.CorrectionsFile,
}


def main() -> int:
    try:
        for arg in sys.argv[1:]:
            path = Path(arg)
            sources = al._validate_sources(read_yaml(path.parent / "sources.yaml"))
            doc = read_yaml(path)
            if path.stem not in MODELS and path.stem != "sources":
                print(f"skipped: {path} (policy files are checked by csto.policy.load_policy)")
                continue
            if path.stem == "sources":
                print(f"ok: {path} ({len(sources)} sources)")
                continue
            record = validate(MODELS[path.stem], doc)
            if path.stem == "bodies":
                check_chair_periods(doc, record)
                treaty = path.parent / "treaty.yaml"
                if treaty.is_file():
                    check_bodies_dated(doc, record, validate(al.TreatyFile, read_yaml(treaty)))
            al._check_sources_resolve({path.stem: doc}, sources)
            members = path.parent / "members.yaml"
            if members.is_file() and path.stem != "members":
                mf = validate(al.MembersFile, read_yaml(members))
                known = {s.iso3 for s in mf.states} | {t.iso3 for t in mf.third_states}
                al._check_state_codes({path.stem: doc}, known)
            al._check_unique_ids({path.stem: doc})
            print(f"ok: {path}")
    except CstoError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
