"""What a form was given and what is wrong with it, in the shapes the GOV.UK macros take: each
field keeps what was typed, and its message goes next to it and into the error summary."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from services.web.adapters.platform_api import ApiProblem


@dataclass
class Form:
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    """Field to its message, in the order the fields appear on the page."""

    @classmethod
    def of(cls, given: Mapping[str, str], names: tuple[str, ...]) -> "Form":
        return cls({name: given.get(name, "").strip() for name in names})

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def refuse(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def refuse_all(self, problem: ApiProblem, fields: Mapping[str, str]) -> bool:
        """Put the messages of an API's answer next to our fields (`fields`: API field to ours);
        False when it names none of them (the page says what it said as a whole)."""
        placed = False
        for api_field, message in problem.fields.items():
            if ours := fields.get(api_field):
                self.refuse(ours, message)
                placed = True
        return placed

    @property
    def valid(self) -> bool:
        return not self.errors

    def error(self, name: str) -> dict[str, str] | None:
        """The `errorMessage` of a GOV.UK macro for this field."""
        message = self.errors.get(name)
        return {"text": message} if message else None

    @property
    def summary(self) -> list[dict[str, str]]:
        """The `errorList` of the GOV.UK error summary: each message, linked to its field."""
        return [{"text": message, "href": f"#{name}"} for name, message in self.errors.items()]
