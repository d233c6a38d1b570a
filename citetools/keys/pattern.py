"""JabRef citation key patterns: reading ``[marker:modifier...]`` fields and filling them in.

The syntax is JabRef's (https://docs.jabref.org/setup/citationkeypatterns): literal text plus
``[marker:modifier...]`` fields. :data:`KNOWN_MARKERS` and :data:`KNOWN_MODIFIERS` list what
citetools understands; :mod:`citetools.keys.markers` has what each marker reads from a record, and
:class:`citetools.keys.PatternKeyStyle` turns a pattern into keys.

Decisions (where JabRef is silent, or where citetools differs from it on purpose):

* Keys only ever contain ``[A-Za-z0-9_:-]``. Letters are transliterated with ``anyascii``, never
  dropped (``Müller`` -> ``Muller``, ``张伟`` -> ``ZhangWei``); every other character (spaces,
  apostrophes, ``.``, ``+``) is removed. So ``[auth.etal]`` gives ``Newtonetal`` and the ``+``
  of ``[authshort]`` and ``[authorsAlpha]`` disappears.
* Particles: like JabRef, ``[auth]`` and the other author markers use the family name
  *without* the particle (``Ludwig van Beethoven`` -> ``Beethoven``, so the default key is
  ``beethoven...``); ``[authFirstFull]`` gives particle and family name (``vanBeethoven``).
  Suffixes (``Jr.``) are never used.
* Corporate authors (``Person.literal``) use their whole name with the spaces removed
  (``Inferix Team`` -> ``InferixTeam``); JabRef would abbreviate some of them, citetools does not.
  A person with only a given name (a mononym) uses that name as the family name.
* A truncated author list (``Record.authors_truncated``, the listing said "et al.") counts as
  having more authors than listed, as BibTeX's ``and others`` does in JabRef: ``[authEtAl]``
  gives ``XingEtAl`` even for one listed author, and ``[authors]`` ends in ``EtAl``.
* Title words are split at every character that is not an ASCII letter or digit after
  transliteration (``Lumos-Nexus`` is two words), apostrophes are dropped first
  (``Don't`` -> ``Dont``). Function words (:data:`~citetools.keys.FUNCTION_WORDS`: JabRef's
  list plus ``towards``, ``via``, ``as``, ``vs`` and ``versus``) are skipped by ``[shorttitle]``
  and ``[veryshorttitle]``; if a title has only function words, its first words are used.
* Missing data: without authors the author markers read ``Anon`` (``anon`` in the default
  style) unless the field has an explicit ``(fallback)`` modifier; without a date the date
  markers are empty; without a title the title markers read the first three significant words
  of the abstract (skipping, beyond the function words, phrases like "we propose a novel").
  When no marker of the pattern finds any data in the record, or the key would be empty, the
  base key is ``untitled``.
* ``[month]`` is the English month name (``March``), as JabRef documents; ``[day]`` has no
  leading zero; ``[entrytype]`` uses JabRef's spelling (``InProceedings``).
* Marker and modifier names are matched case-insensitively (``[TITLE]``, ``[Year]``).
  ``pure`` variants (``[pureauth]``) are accepted and equal the plain ones, since records have
  no editors. Not supported: editor, page, keyword and raw field markers, ``:regex(...)``, and
  patterns inside ``(fallback)`` text; an unknown marker or modifier raises
  :class:`~citetools.errors.CitationKeyError` when the style is made, listing the known ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from citetools.errors import CitationKeyError
from citetools.keys.markers import Expand, expander, title_case
from citetools.model import Record


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


KNOWN_MARKERS: tuple[str, ...] = _split(
    "auth authN authN_M authFirstFull authForeIni authEtAl auth.etal auth.auth.ea authIniN "
    "authorIni authorLast authorLastForeIni authors authorsN authorsAlpha authshort "
    "title shorttitle shorttitleINI veryshorttitle camel fulltitle "
    "year shortyear month day date entrytype"
)
"""Every marker :class:`~citetools.keys.PatternKeyStyle` understands (``N``, ``M``: numbers
from 1)."""

KNOWN_MODIFIERS: tuple[str, ...] = _split(
    "lower upper capitalize titlecase sentencecase abbr truncateN (fallback)"
)
"""Every modifier :class:`~citetools.keys.PatternKeyStyle` understands."""

_Modifier = Callable[[str], str]


def _capitalize_words(text: str) -> str:
    return re.sub(r"\S+", lambda match: match[0].capitalize(), text)


_MODIFIERS: dict[str, _Modifier] = {
    "lower": str.lower,
    "upper": str.upper,
    "capitalize": _capitalize_words,
    "titlecase": title_case,
    "sentencecase": lambda text: text[:1].upper() + text[1:].lower(),
    "abbr": lambda text: "".join(word[0] for word in text.split()),
}
_TRUNCATE = re.compile(r"truncate([0-9]+)")


# --- fields -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Field:
    """One ``[marker:modifier...]`` of a pattern."""

    expand: Expand
    modifiers: tuple[_Modifier, ...]
    anon: bool

    def render(self, record: Record) -> tuple[str, bool]:
        text, found = self.expand(record, self.anon)
        for modifier in self.modifiers:
            text = modifier(text)
        return text, found


_BRACKETS = re.compile(r"\[([^\[\]]*)\]")
_FIELD = re.compile(r"(?P<marker>[^:]*)(?P<modifiers>(?::(?:\([^()]*\)|[^:()]*))*)")
_MODIFIER = re.compile(r":(\([^()]*\)|[^:()]*)")


def parse_pattern(pattern: str) -> tuple[str | Field, ...]:
    """Literal text and fields of ``pattern``; :class:`CitationKeyError` if it is invalid."""
    if not pattern:
        raise CitationKeyError("the key pattern is empty")
    segments: list[str | Field] = []
    position = 0
    for match in _BRACKETS.finditer(pattern):
        segments.append(_literal(pattern[position : match.start()], pattern))
        segments.append(_parse_field(match[1], pattern))
        position = match.end()
    segments.append(_literal(pattern[position:], pattern))
    return tuple(segment for segment in segments if segment)


def _literal(text: str, pattern: str) -> str:
    if "[" in text or "]" in text:
        raise CitationKeyError(f"unbalanced brackets in key pattern {pattern!r}")
    return text


def _parse_field(body: str, pattern: str) -> Field:
    match = _FIELD.fullmatch(body)
    if match is None:
        raise CitationKeyError(f"cannot read the field [{body}] of key pattern {pattern!r}")
    names = _MODIFIER.findall(match["modifiers"])
    modifiers = tuple(_modifier(name, pattern) for name in names)
    fallback = any(name.startswith("(") for name in names)
    return Field(_marker(match["marker"], pattern), modifiers, anon=not fallback)


def _marker(name: str, pattern: str) -> Expand:
    key = name.lower()
    if key.startswith("pureauth"):
        key = key.removeprefix("pure")
    expand = expander(key)
    if expand is not None:
        return expand
    raise CitationKeyError(
        f"unknown marker [{name}] in key pattern {pattern!r}; "
        f"known markers: {', '.join(KNOWN_MARKERS)}"
    )


def _modifier(name: str, pattern: str) -> _Modifier:
    if name.startswith("("):
        fallback = name[1:-1]
        return lambda text: text or fallback
    key = name.lower()
    if key in _MODIFIERS:
        return _MODIFIERS[key]
    if truncate := _TRUNCATE.fullmatch(key):
        length = int(truncate[1])
        return lambda text: text[:length].rstrip()
    raise CitationKeyError(
        f"unknown modifier :{name} in key pattern {pattern!r}; "
        f"known modifiers: {', '.join(KNOWN_MODIFIERS)}"
    )
