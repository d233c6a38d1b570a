"""The listings the benchmark exports: a pool of parts taken from the seed listings, and
entries generated from it (varied titles, author names and dates; deterministic for a seed)
written in each of the four layouts citetools reads."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

LAYOUTS = ("feed", "profile", "abstracts", "daily")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAILY_CHROME = (
    "New",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "Daily Papers",
    "by AK and the research community",
)

# --------------------------------------------------------------------------------------------
# Seed material


@dataclass(frozen=True, slots=True)
class SeedPool:
    """What the generated entries are made of, taken from the seed listings."""

    titles: tuple[str, ...]
    abstracts: tuple[tuple[str, ...], ...]  # sentences
    given: tuple[str, ...]
    family: tuple[str, ...]
    categories: tuple[str, ...]
    orgs: tuple[str, ...]
    affiliations: tuple[str, ...]


# Names the seeds lack: accents, strokes, particles, so transliteration and name splitting work.
_EXTRA_GIVEN = ("Łukasz", "Zoë", "José", "Søren", "Ana María", "Chloé", "Jürgen", "Dóra")
_EXTRA_FAMILY = ("Müller", "García", "Ødegaard", "Kowalczyk", "van der Berg", "de la Cruz")
_EXTRA_AFFILIATIONS = ("ETH Zürich, Switzerland", "Universidad de São Paulo, Brazil")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def load_seeds(folder: Path) -> SeedPool:
    """The seed listings as citetools' listing reader makes them (its public API, records not
    normalized: ``raw``), broken into parts; their problems are not the benchmark's."""
    import citetools

    records = citetools.read([folder], raw=True, on_problem=lambda problem: None)
    people = [p for r in records for p in r.authors if not p.literal and p.given]
    return SeedPool(
        titles=tuple(sorted({r.title for r in records if r.title})),
        abstracts=tuple(
            tuple(_SENTENCE.split(r.abstract)) for r in records if r.abstract and r.title
        ),
        given=tuple(sorted({p.given for p in people})) + _EXTRA_GIVEN,
        family=tuple(sorted({(f"{p.particle} " if p.particle else "") + p.family for p in people}))
        + _EXTRA_FAMILY,
        categories=tuple(sorted({c for r in records for c in r.categories})),
        orgs=tuple(sorted({o for r in records for o in r.orgs})),
        affiliations=tuple(sorted({r.affiliation for r in records if r.affiliation}))
        + _EXTRA_AFFILIATIONS,
    )


# --------------------------------------------------------------------------------------------
# Generated entries


@dataclass(frozen=True, slots=True)
class Entry:
    title: str
    authors: tuple[str, ...]
    truncated: bool
    orgs: tuple[str, ...]
    category: str
    year: int | None
    month: int
    day: int
    code: bool
    abstract: str


_SYLLABLES = tuple(c + v for c in "bdfgklmnprstvz" for v in "aeiou")  # 70, all two letters
_NAME_ENDINGS = ("", "", "", "Net", "-XL", "++", "Former", "-3D", "Diff", "GPT")
# Every title holds its coined name, so titles (and so papers) stay distinct; some keep the seed
# title's first word, so citation keys collide as they do in real libraries.
_TITLE_JOINS = ("{coined}: {tail}", "{head}: {coined} for {tail_lower}", "{head} with {coined}")
_TITLE_JOINS_PLAIN = ("{coined}: {title}", "{title} with {coined}", "{title} ({coined})")


def coined(index: int) -> str:
    """A made-up method name, distinct for every index (fixed-width syllables, no collisions)."""
    digits: list[str] = []
    number = index
    while True:
        number, rest = divmod(number, len(_SYLLABLES))
        digits.append(_SYLLABLES[rest])
        if not number:
            break
    digits += [_SYLLABLES[0]] * (2 - len(digits))  # leading zeros: at least two syllables
    return "".join(reversed(digits)).capitalize()


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower():
        return text[0].lower() + text[1:]
    return text


def generate(pool: SeedPool, count: int, seed: int) -> Iterator[Entry]:
    """``count`` distinct entries (titles and abstracts unique), the same for the same seed."""
    rng = random.Random(seed)
    for index in range(count):
        name = coined(index) + rng.choice(_NAME_ENDINGS)
        title = rng.choice(pool.titles)
        head, colon, tail = title.partition(": ")
        template = rng.choice(_TITLE_JOINS if colon else _TITLE_JOINS_PLAIN)
        new_title = template.format(
            coined=name, tail=tail, head=head, tail_lower=_lower_first(tail), title=title
        )
        sentences = list(rng.choice(pool.abstracts))
        middle = sentences[1:-1]
        rng.shuffle(middle)
        statement = f"We call the method {name}."
        abstract = " ".join([sentences[0], statement, *middle, *sentences[1:][-1:]])
        listed = rng.choice((1, 2, 3, 3, 3, 3))
        authors = tuple(
            f"{rng.choice(pool.given)} {rng.choice(pool.family)}" for _ in range(listed)
        )
        yield Entry(
            title=new_title,
            authors=authors,
            truncated=listed == 3 and rng.random() < 0.8,
            orgs=tuple(rng.sample(pool.orgs, rng.choice((1, 2)))) if rng.random() < 0.2 else (),
            category=rng.choice(pool.categories),
            year=None if rng.random() < 0.25 else rng.randint(2015, 2026),
            month=rng.randint(1, 12),
            day=rng.randint(1, 28),
            code=rng.random() < 0.4,
            abstract=abstract,
        )


def _header(entry: Entry) -> str:
    year = f", {entry.year}" if entry.year is not None else ""
    code = "Code" if entry.code else ""
    return f"{entry.category}{MONTHS[entry.month - 1]} {entry.day}{year}{code}"


def _author_line(entry: Entry) -> str:
    text = ", ".join(entry.authors) + (" et al." if entry.truncated else "")
    return text + (" · " + ", ".join(entry.orgs) if entry.orgs else "")


def _write_feed(entries: Iterator[Entry], out: TextIO, count: int) -> None:
    for entry in entries:
        out.write(f"{_header(entry)}\n{entry.title}{_author_line(entry)}\n{entry.abstract}\n")


def _write_profile(entries: Iterator[Entry], out: TextIO, count: int) -> None:
    out.write(f"Xinmei Tian\n\nCV\nh-index34\n{count:,}papers\n4,246citations\n")
    out.write(f"Novelty55%\nAI Score64\n\n{count} Papers\n\n")
    for entry in entries:
        out.write(f"{_header(entry)}\n{entry.title}\n\n{_author_line(entry)}\n\n")
        out.write(f"{entry.abstract}\n\n")


def _write_abstracts(
    entries: Iterator[Entry], out: TextIO, count: int, affiliation: str = ""
) -> None:
    out.write(f"{affiliation}\n")
    for entry in entries:
        out.write(f"Abstract:{entry.abstract}\n")


def _write_daily(entries: Iterator[Entry], out: TextIO, count: int) -> None:
    out.write("".join(f"{line}\n\n" for line in DAILY_CHROME))
    for entry in entries:
        out.write(f"{entry.title}\n\n{entry.abstract}\n\n")


def write_listing(pool: SeedPool, layout: str, count: int, path: Path, *, seed: int) -> Path:
    """A listing of ``count`` generated entries in ``layout`` at ``path``."""
    entries = generate(pool, count, seed)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        if layout == "feed":
            _write_feed(entries, out, count)
        elif layout == "profile":
            _write_profile(entries, out, count)
        elif layout == "abstracts":
            affiliation = random.Random(seed).choice(pool.affiliations)
            _write_abstracts(entries, out, count, affiliation)
        elif layout == "daily":
            _write_daily(entries, out, count)
        else:
            raise ValueError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
    return path
