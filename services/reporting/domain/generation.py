"""A generation of the read models: the set of collections one replay of the log writes, and
the consumer groups that keep it up to date.

Generation 0 has the plain names (`bookings`, group `reporting.participation`); each rebuild
writes the next one beside it (`bookings.g1`, group `reporting.participation.g1`) while the
service keeps answering from the one it serves, and then switches over.
"""

from dataclasses import dataclass

SUFFIX = ".g"


@dataclass(frozen=True, order=True)
class Generation:
    number: int = 0

    def collection(self, name: str) -> str:
        return self._named(name)

    def consumer(self, name: str) -> str:
        """Its consumer group (and inbox entries) for a projection's consumer `name`."""
        return self._named(name)

    def _named(self, name: str) -> str:
        return f"{name}{SUFFIX}{self.number}" if self.number else name

    @classmethod
    def of_collection(cls, collection: str, names: frozenset[str]) -> "Generation | None":
        """The generation a collection belongs to, if it is one of `names` in any."""
        if collection in names:
            return cls()
        base, _, number = collection.rpartition(SUFFIX)
        if base in names and number.isascii() and number.isdigit() and int(number) > 0:
            return cls(int(number))
        return None

    def __str__(self) -> str:
        return f"generation {self.number}"
