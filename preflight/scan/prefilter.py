"""The one pass over a file's bytes that decides what else is done with it.

Every needle carries labels ("key", "account", "fact", "marked", "signal:<name>"):
one Aho-Corasick search finds which labels a file shows and where the key
prefixes stand, so secrets are matched only at those offsets.

The search is leftmost-longest and non-overlapping, which lets the automaton
use its SIMD prefilter (about ten times the speed of an overlapping search on
notebooks). A non-overlapping search can hide a needle that overlaps one it
reported, so the result is made exact: a needle that holds another whole
carries that one's labels too, and when a reported match does hide another
needle (one starting inside it) whose label was not seen elsewhere, or a key
prefix, the bytes are searched again with an overlapping search, which sees
every occurrence (a rare file: most never need it).
"""

from __future__ import annotations

from collections.abc import Sequence

from ahocorasick_rs import BytesAhoCorasick, MatchKind


class Searcher:
    """Labelled needles, searched in one pass."""

    def __init__(self, labelled: Sequence[tuple[bytes, str]]) -> None:
        labels: dict[bytes, set[str]] = {}
        for needle, label in labelled:
            labels.setdefault(needle, set()).add(label)
        for needle, own in labels.items():  # a needle holding another shows that one's labels
            own.update(*(labels[other] - {"key"} for other in labels if other != needle and other in needle))
        self.needles = tuple(labels)
        self.labels = tuple(frozenset(labels[n]) for n in self.needles)
        # for each needle: the needles an occurrence of it could hide (they would start inside it)
        self.hides = _hides(self.needles)
        self._fast = BytesAhoCorasick(list(self.needles), matchkind=MatchKind.LeftmostLongest)
        self._every = BytesAhoCorasick(list(self.needles))

    def search(self, data: bytes) -> tuple[set[str], dict[bytes, list[int]]]:
        """The labels shown in ``data``, and the offsets of each needle labelled "key"."""
        found = self._fast.find_matches_as_indexes(data)
        if not found:
            return set(), {}
        shown = {index for index, _, _ in found}
        seen: set[str] = set().union(*(self.labels[index] for index in shown))
        # a hidden needle matters when its label was not seen elsewhere, or it is a key prefix
        # (every offset counts)
        hidden = {j for i in shown for j in self.hides[i]
                  if "key" in self.labels[j] or not self.labels[j] <= seen}
        if hidden and self._hidden(data, found, hidden):  # search again, overlapping: sees every one
            found = self._every.find_matches_as_indexes(data, overlapping=True)
            seen = set().union(*(self.labels[index] for index in {index for index, _, _ in found}))
        keys: dict[bytes, list[int]] = {}
        if "key" in seen:
            for index, start, _ in found:
                if "key" in self.labels[index]:
                    keys.setdefault(self.needles[index], []).append(start)
            keys = {needle: sorted(set(starts)) for needle, starts in keys.items()}
        return seen, keys


    def _hidden(self, data: bytes, found: list[tuple[int, int, int]], hidden: set[int]) -> bool:
        """Does one of ``hidden`` stand where the search did not report it?

        Leftmost-longest reports a needle at every offset no reported match covers, so an
        occurrence it did not report starts inside a reported match (or where it starts,
        for a shorter needle): only those offsets are looked at. With very many matches,
        whether the needles are in the bytes at all is the cheaper (coarser) question.
        """
        if len(found) > 4096:
            return any(self.needles[j] in data for j in hidden)
        for index, start, end in found:
            for j in self.hides[index]:
                if j in hidden:
                    needle = self.needles[j]
                    first = start + 1 if j == index else start
                    if any(data.startswith(needle, at) for at in range(first, end)):
                        return True
        return False


def _hides(needles: tuple[bytes, ...]) -> tuple[tuple[int, ...], ...]:
    """For each needle, the indexes of the needles :func:`_hidden_by` it: the same answer as
    trying every pair, from lookups of each needle's prefixes and suffixes (a few ms instead
    of a tenth of a second at every start)."""
    index = {needle: i for i, needle in enumerate(needles)}
    starting: dict[bytes, set[int]] = {}  # every prefix of a needle -> the needles starting so
    for i, needle in enumerate(needles):
        for end in range(1, len(needle) + 1):
            starting.setdefault(needle[:end], set()).add(i)
    found = []
    for other in needles:
        # a needle that is a proper prefix of ``other`` (the longest is reported where both start)
        hidden = {index[other[:end]] for end in range(1, len(other)) if other[:end] in index}
        for start in range(1, len(other)):  # one starting inside it and running to or past its end
            hidden.update(starting.get(other[start:], ()))
        # one lying whole inside it, past its first byte
        hidden.update(i for i, needle in enumerate(needles) if other.find(needle, 1) >= 0)
        found.append(tuple(sorted(hidden)))
    return tuple(found)


def _hidden_by(needle: bytes, other: bytes) -> bool:
    """Whether an occurrence of ``needle`` can start inside one of ``other`` (or where it
    starts, for another needle): then a non-overlapping search that reported ``other`` would
    not see it."""
    if needle != other and other.startswith(needle):  # the longest is reported where both start
        return True
    return any(other[k:].startswith(needle) or needle.startswith(other[k:]) for k in range(1, len(other)))
