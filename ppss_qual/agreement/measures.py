"""Agreement measures: percent agreement, Cohen's kappa, Krippendorff's alpha (nominal, with missing values)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(slots=True)
class Table:
    """Two coders' 2x2 table: units both coded, only the first, only the second, neither."""

    both: int = 0
    only_a: int = 0
    only_b: int = 0
    neither: int = 0

    @property
    def n(self) -> int:
        return self.both + self.only_a + self.only_b + self.neither

    def add(self, other: Table) -> None:
        self.both += other.both
        self.only_a += other.only_a
        self.only_b += other.only_b
        self.neither += other.neither

    def percent_agreement(self) -> float | None:
        return 100.0 * (self.both + self.neither) / self.n if self.n else None

    def kappa(self) -> float | None:
        return cohen_kappa(self.both, self.only_a, self.only_b, self.neither)


def cohen_kappa(both: int, only_a: int, only_b: int, neither: int) -> float | None:
    """Cohen's kappa of a 2x2 table; None without units.

    When both coders put every unit in one class (chance agreement is 1) kappa is 0/0; it is given as
    1.0 then, as NVivo does for a code neither coder applied: the coders agree completely.
    """
    n = both + only_a + only_b + neither
    if n == 0:
        return None
    p_o = (both + neither) / n
    p_e = ((both + only_a) * (both + only_b) + (only_b + neither) * (only_a + neither)) / (n * n)
    if p_e >= 1.0:
        return 1.0 if p_o >= 1.0 else None
    return (p_o - p_e) / (1.0 - p_e)


Coincidences = dict[tuple[Hashable, Hashable], float]


def coincidences(units: Iterable[Sequence[Hashable | None]]) -> tuple[Coincidences, int]:
    """Krippendorff's coincidence matrix from units of coders' values (None: missing), and the pairable units.

    A unit with fewer than two values cannot be paired and adds nothing.
    """
    o: Coincidences = defaultdict(float)
    pairable = 0
    for unit in units:
        counts = Counter(v for v in unit if v is not None)
        m = sum(counts.values())
        if m < 2:
            continue
        pairable += 1
        for c, nc in counts.items():
            for k, nk in counts.items():
                o[(c, k)] += nc * (nk - (c == k)) / (m - 1)
    return dict(o), pairable


def alpha_from(o: Coincidences) -> float | None:
    """Nominal alpha = 1 - D_o / D_e from a coincidence matrix; None when there is no variation (D_e = 0)."""
    n_c: dict[Hashable, float] = defaultdict(float)
    for (c, _k), w in o.items():
        n_c[c] += w
    n = sum(n_c.values())
    disagreeing = sum(w for (c, k), w in o.items() if c != k)
    expected = n * n - sum(v * v for v in n_c.values())  # sum over c != k of n_c * n_k
    if n <= 1 or expected <= 0:
        return None
    return 1.0 - (n - 1) * disagreeing / expected


def observed_agreement(o: Coincidences) -> float | None:
    """The share of pairable values that agree (1 - D_o); for two coders, plain percent agreement / 100."""
    n = sum(o.values())
    return sum(w for (c, k), w in o.items() if c == k) / n if n else None


def alpha_nominal(units: Iterable[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha for nominal data, any number of coders, missing values as None."""
    return alpha_from(coincidences(units)[0])


@dataclass(slots=True)
class BinaryTally:
    """Coded / not coded values of several coders over many units, kept as counts of unit profiles.

    A profile is (values in the unit, how many of them say "coded"); the counts may be huge (characters),
    so nothing is kept per unit.
    """

    profiles: Counter[tuple[int, int]] = field(default_factory=Counter)

    def add(self, values: int, coded: int, count: int) -> None:
        if count:
            self.profiles[(values, coded)] += count

    def merge(self, other: BinaryTally) -> None:
        self.profiles.update(other.profiles)

    @property
    def units(self) -> int:
        """Pairable units: those with at least two coders' values."""
        return sum(n for (m, _k), n in self.profiles.items() if m >= 2)

    def coincidences(self) -> Coincidences:
        o: Coincidences = defaultdict(float)
        for (m, ones), count in self.profiles.items():
            if m < 2 or not count:
                continue
            zeros = m - ones
            o[(1, 1)] += count * ones * (ones - 1) / (m - 1)
            o[(0, 0)] += count * zeros * (zeros - 1) / (m - 1)
            o[(1, 0)] += count * ones * zeros / (m - 1)
            o[(0, 1)] += count * ones * zeros / (m - 1)
        return dict(o)

    def alpha(self) -> float | None:
        return alpha_from(self.coincidences())

    def percent_agreement(self) -> float | None:
        share = observed_agreement(self.coincidences())
        return None if share is None else 100.0 * share
