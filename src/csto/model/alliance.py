"""The alliance as it stood on a day, and ``load()``, which builds it from a dataset directory.

A dataset is a directory of YAML files (``alliance``, ``sources``, ``treaty``, ``members``,
``bodies`` and optionally ``forces``, ``airfields``, ``episodes``, ``corrections``). ``Dataset``
validates them together (every source key resolves, every state code is known); ``Alliance`` is
the frozen view on one date. This module reads files but never writes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import Field

from csto.errors import DataError, InputError
from csto.model.bodies import UNKNOWN, BodiesFile, Body, Practice, PracticePeriod
from csto.model.common import Frozen, Place, Slug, Source, Sourced
from csto.model.dating import check_bodies_dated, check_chair_periods
from csto.model.episodes import Correction, CorrectionsFile, Episode, EpisodesFile
from csto.model.forces import Airfield, AirfieldsFile, Base, Force, ForcesFile
from csto.model.states import MEMBER_STATUSES, MembersFile, Membership, State, ThirdState
from csto.model.treaty import AtopCoding, Instrument, Provision, TreatyFile
from csto.model.yamlio import YamlDoc, dotted, read_yaml, validate

REQUIRED_FILES = ("alliance", "sources", "treaty", "members", "bodies")
OPTIONAL_FILES = ("forces", "airfields", "episodes", "corrections")


class AllianceInfo(Sourced):
    """``alliance.yaml``: the organization's names, founding, seat and standing."""

    id: Slug
    name: str
    full_name: str
    founded: dt.date = Field(description="the day the founding treaty was signed")
    organization_since: dt.date | None = None
    headquarters: Place
    lead_state: str | None = Field(default=None, description="ISO3 of the dominant member, if any")
    notes: tuple[str, ...] = ()


class Dataset(Frozen):
    """Every record of one dataset, validated together; not yet cut to a date."""

    directory: str
    info: AllianceInfo
    sources: dict[str, Source]
    instruments: tuple[Instrument, ...]
    atop: AtopCoding
    states: tuple[State, ...]
    third_states: tuple[ThirdState, ...] = ()
    bodies: tuple[Body, ...]
    practices: tuple[Practice, ...] = ()
    forces: tuple[Force, ...] = ()
    bases: tuple[Base, ...] = ()
    airfields: tuple[Airfield, ...] = ()
    episodes: tuple[Episode, ...] = ()
    corrections: tuple[Correction, ...] = ()

    def state(self, iso3: str) -> State | None:
        for s in self.states:
            if s.iso3 == iso3:
                return s
        return None

    def episode(self, episode_id: str) -> Episode | None:
        for e in self.episodes:
            if e.id == episode_id:
                return e
        return None

    def instrument(self, instrument_id: str) -> Instrument | None:
        for i in self.instruments:
            if i.id == instrument_id or i.short.lower() == instrument_id.lower():
                return i
        return None


class MemberStatus(Frozen):
    """A state with its status on the view's date."""

    state: State
    status: str
    membership: Membership

    @property
    def iso3(self) -> str:
        return self.state.iso3


class Alliance(Frozen):
    """The alliance as it stood on ``at``: members with status, bodies, forces, provisions in force."""

    at: dt.date
    dataset: Dataset
    members: tuple[MemberStatus, ...]
    signatories: tuple[MemberStatus, ...]
    observers: tuple[MemberStatus, ...]
    former: tuple[MemberStatus, ...]
    bodies: tuple[Body, ...]
    forces: tuple[Force, ...]
    bases: tuple[Base, ...]
    provisions: tuple[Provision, ...]

    @property
    def id(self) -> str:
        return self.dataset.info.id

    @property
    def name(self) -> str:
        return self.dataset.info.name

    @property
    def sources(self) -> dict[str, Source]:
        return self.dataset.sources

    @property
    def episodes(self) -> tuple[Episode, ...]:
        return self.dataset.episodes

    @property
    def airfields(self) -> tuple[Airfield, ...]:
        return self.dataset.airfields

    def status_of(self, iso3: str) -> str | None:
        """The status of ``iso3`` on this date, or None if it had none."""
        s = self.dataset.state(iso3)
        return s.status_at(self.at) if s else None

    def member_codes(self) -> tuple[str, ...]:
        return tuple(m.iso3 for m in self.members)

    def body(self, body_id: str) -> Body | None:
        for b in self.dataset.bodies:
            if b.id == body_id or b.short.lower() == body_id.lower():
                return b
        return None

    def chair(self, body_id: str = "csc") -> str | None:
        """The sourced chair of ``body_id`` on this date; None where the sources do not say (unknown)."""
        b = self.body(body_id)
        return b.chair_on(self.at) if b else None

    def practices(self) -> tuple[tuple[Practice, PracticePeriod], ...]:
        """The practices attested on this date, each with the attested period that covers it."""
        out: list[tuple[Practice, PracticePeriod]] = []
        for pr in self.dataset.practices:
            period = pr.period_on(self.at)
            if period is not None:
                out.append((pr, period))
        return tuple(out)

    def provision(self, instrument: str, number: str) -> Provision | None:
        inst = self.dataset.instrument(instrument)
        if inst is None:
            return None
        for p in self.provisions:
            if p.instrument == inst.id and p.number == number:
                return p
        return None

    def cite(self, instrument: str, number: str) -> str:
        """Citation of the version in force, e.g. ``CST Art. 4 (as amended 2010)``."""
        p = self.provision(instrument, number)
        if p is not None:
            return p.citation
        inst = self.dataset.instrument(instrument)
        return inst.citation(number) if inst else f"{instrument} Art. {number}"


# --------------------------------------------------------------------------- loading


def package_data_root() -> Path:
    return Path(str(resources.files("csto") / "data"))


def available_alliances() -> list[str]:
    root = package_data_root()
    return sorted(p.name for p in root.iterdir() if (p / "sources.yaml").is_file())


def parse_date(value: str | dt.date | None, *, what: str = "--at") -> dt.date:
    """Parse an ISO date given by a user; None means today."""
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"'{value}' is not a date", field=what, expected="a date YYYY-MM-DD") from None


def load(
    alliance: str = "csto",
    at: str | dt.date | None = None,
    *,
    data_dir: str | Path | None = None,
) -> Alliance:
    """The alliance as it stood on ``at`` (default: today), from package data or ``data_dir``."""
    day = parse_date(at)
    ds = load_dataset(alliance, data_dir=data_dir)
    return view_at(ds, day)


def load_dataset(alliance: str = "csto", *, data_dir: str | Path | None = None) -> Dataset:
    """The validated dataset for ``alliance`` (package data) or the directory ``data_dir``."""
    if data_dir is not None:
        directory = Path(data_dir)
        if not directory.is_dir():
            raise InputError(
                f"data directory '{directory}' does not exist",
                field="--data",
                expected="a directory of YAML files",
            )
        return _load_dir(str(directory.resolve()), display=str(directory))
    names = available_alliances()
    if alliance not in names:
        raise InputError(
            f"unknown alliance '{alliance}'",
            field="alliance",
            expected="one of: " + ", ".join(names),
        )
    return _load_dir(str(package_data_root() / alliance), display=f"csto/data/{alliance}")


@lru_cache(maxsize=16)
def _load_dir(directory: str, display: str) -> Dataset:
    from csto.model.dataset_cache import cached  # the validated dataset on disk, keyed by the files' hashes

    return cached(directory, display, lambda: _read_dir(directory, display))


def _read_dir(directory: str, display: str) -> Dataset:
    root = Path(directory)
    docs: dict[str, YamlDoc] = {}
    for name in (*REQUIRED_FILES, *OPTIONAL_FILES):
        path = root / f"{name}.yaml"
        if not path.is_file():
            if name in REQUIRED_FILES:
                raise DataError(
                    f"missing file {name}.yaml", file=f"{display}/{name}.yaml", expected="a YAML file"
                )
            continue
        docs[name] = read_yaml(path, display_name=f"{display}/{name}.yaml")
    return _build_dataset(directory, docs)


def _build_dataset(directory: str, docs: dict[str, YamlDoc]) -> Dataset:
    info = validate(AllianceInfo, docs["alliance"])
    sources = _validate_sources(docs["sources"])
    treaty: TreatyFile = validate(TreatyFile, docs["treaty"])
    members: MembersFile = validate(MembersFile, docs["members"])
    bodies: BodiesFile = validate(BodiesFile, docs["bodies"])
    forces: ForcesFile | None = validate(ForcesFile, docs["forces"]) if "forces" in docs else None
    airfields: AirfieldsFile | None = (
        validate(AirfieldsFile, docs["airfields"]) if "airfields" in docs else None
    )
    episodes: EpisodesFile | None = validate(EpisodesFile, docs["episodes"]) if "episodes" in docs else None
    corrections: CorrectionsFile | None = (
        validate(CorrectionsFile, docs["corrections"]) if "corrections" in docs else None
    )
    _check_sources_resolve(docs, sources)
    known = {s.iso3 for s in members.states} | {t.iso3 for t in members.third_states}
    _check_state_codes(docs, known)
    _check_unique_ids(docs)
    _check_amendments(docs["treaty"], treaty)
    check_chair_periods(docs["bodies"], bodies)
    check_bodies_dated(docs["bodies"], bodies, treaty)
    return Dataset(
        directory=directory,
        info=info,
        sources=sources,
        instruments=treaty.instruments,
        atop=treaty.atop,
        states=members.states,
        third_states=members.third_states,
        bodies=bodies.bodies,
        practices=bodies.practices,
        forces=forces.forces if forces else (),
        bases=forces.bases if forces else (),
        airfields=airfields.airfields if airfields else (),
        episodes=episodes.episodes if episodes else (),
        corrections=corrections.corrections if corrections else (),
    )


def _validate_sources(doc: YamlDoc) -> dict[str, Source]:
    data = doc.data
    if not isinstance(data, dict):
        raise DataError(
            "sources.yaml must be a mapping of source keys",
            file=str(doc.file),
            line=1,
            field="(document)",
            expected="key: {title, ...}",
        )
    out: dict[str, Source] = {}
    for key, entry in data.items():
        if not isinstance(entry, dict):
            raise DataError(
                "a source must be a mapping",
                file=str(doc.file),
                line=doc.line_of((key,)),
                field=key,
                expected="title, url, publisher, date",
            )
        sub = YamlDoc(
            doc.file, {**entry, "key": key}, {k[1:]: v for k, v in doc.lines.items() if k[:1] == (key,)}
        )
        sub.lines[()] = doc.line_of((key,))
        src = validate(Source, sub)
        out[key] = src
    return out


def _walk(node: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, (*path, i))


def source_refs(doc: YamlDoc) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every (path, key) of a ``source:`` reference in ``doc``."""
    for path, node in _walk(doc.data):
        if path and path[-1] == "source":
            keys = [node] if isinstance(node, str) else node if isinstance(node, list) else []
            for i, k in enumerate(keys):
                yield ((*path, i) if isinstance(node, list) else path), k


def check_source_keys(doc: YamlDoc, sources: Collection[str]) -> None:
    """Every ``source:`` key in ``doc`` must be in ``sources``; the first that is not is a located error."""
    for path, key in source_refs(doc):
        if key not in sources:
            raise DataError(
                f"source key '{key}' is not in sources.yaml",
                file=str(doc.file),
                line=doc.line_of(path),
                field=dotted(path),
                expected="a key defined in sources.yaml",
            )


def _check_sources_resolve(docs: dict[str, YamlDoc], sources: dict[str, Source]) -> None:
    for name, doc in docs.items():
        if name != "sources":
            check_source_keys(doc, sources)


_STATE_FIELDS = {"state", "host", "operator", "aggressor_state"}


def _check_state_codes(docs: dict[str, YamlDoc], known: set[str]) -> None:
    for name, doc in docs.items():
        if name in ("sources", "members"):
            continue
        for path, node in _walk(doc.data):
            if not path:
                continue
            last = path[-1]
            parent = path[-2] if len(path) > 1 else None
            is_state_field = last in _STATE_FIELDS or (
                isinstance(last, int) and parent in ("order", "members")
            )
            if is_state_field and isinstance(node, str) and node not in known and node != UNKNOWN:
                raise DataError(
                    f"unknown state code '{node}'",
                    file=str(doc.file),
                    line=doc.line_of(path),
                    field=dotted(path),
                    expected="an ISO3 code listed in members.yaml (states or third_states)",
                )


def _check_unique_ids(docs: dict[str, YamlDoc]) -> None:
    for doc in docs.values():
        if not isinstance(doc.data, dict):
            continue
        for top, items in doc.data.items():
            if not isinstance(items, list):
                continue
            seen: dict[str, int] = {}
            for i, item in enumerate(items):
                ident = item.get("id") or item.get("iso3") if isinstance(item, dict) else None
                if not isinstance(ident, str):
                    continue
                if ident in seen:
                    raise DataError(
                        f"duplicate id '{ident}' (first at item {seen[ident]})",
                        file=str(doc.file),
                        line=doc.line_of((top, i)),
                        field=dotted((top, i)),
                        expected="unique ids",
                    )
                seen[ident] = i


def _check_amendments(doc: YamlDoc, treaty: TreatyFile) -> None:
    for i, inst in enumerate(treaty.instruments):
        ids = {a.id for a in inst.amendments}
        for j, art in enumerate(inst.articles):
            for k, ver in enumerate(art.versions):
                if ver.amended_by is not None and ver.amended_by not in ids:
                    path = ("instruments", i, "articles", j, "versions", k, "amended_by")
                    raise DataError(
                        f"amendment '{ver.amended_by}' is not listed under {inst.id}'s amendments",
                        file=str(doc.file),
                        line=doc.line_of(path),
                        field=dotted(path),
                        expected="one of: " + (", ".join(sorted(ids)) or "(none listed)"),
                    )


def view_at(ds: Dataset, day: dt.date) -> Alliance:
    """Cut the dataset to what stood on ``day``."""
    if day < ds.info.founded:
        raise InputError(
            f"the {ds.info.name} did not exist on {day.isoformat()}: its founding treaty was signed on "
            f"{ds.info.founded.isoformat()}",
            field="--at",
            expected=f"a date on or after {ds.info.founded.isoformat()}",
        )
    members: list[MemberStatus] = []
    signatories: list[MemberStatus] = []
    observers: list[MemberStatus] = []
    former: list[MemberStatus] = []
    for s in ds.states:
        m = s.membership_at(day)
        if m is None:
            continue
        entry = MemberStatus.model_construct(state=s, status=m.status, membership=m)
        if m.status in MEMBER_STATUSES:
            members.append(entry)
        elif m.status == "signatory":
            signatories.append(entry)
        elif m.status in ("observer", "partner"):
            observers.append(entry)
        else:
            former.append(entry)
    provisions: list[Provision] = []
    for inst in ds.instruments:
        if inst.in_force > day:
            continue
        for art in inst.articles:
            v = art.version_at(day)
            if v is not None:
                provisions.append(
                    Provision.model_construct(
                        instrument=inst.id,
                        number=art.number,
                        title=art.title,
                        citation=inst.citation(art.number, v),
                        version=v,
                    )
                )
    # the parts come validated from the dataset: constructed, not validated again, so that a view of a
    # cached dataset builds no validator (see ``Frozen``'s defer_build); a day that is not a plain date
    # (a datetime) is still validated as before
    make = Alliance.model_construct if type(day) is dt.date else Alliance
    return make(
        at=day,
        dataset=ds,
        members=tuple(members),
        signatories=tuple(signatories),
        observers=tuple(observers),
        former=tuple(former),
        bodies=tuple(b for b in ds.bodies if b.exists_on(day)),
        forces=tuple(f for f in ds.forces if f.exists_on(day)),
        bases=tuple(b for b in ds.bases if b.exists_on(day)),
        provisions=tuple(provisions),
    )
