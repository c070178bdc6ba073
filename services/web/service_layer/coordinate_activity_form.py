"""The form a coordinator creates or changes an activity with: what was typed (kept, whatever is
wrong with it), each answer checked with a message in plain words next to its field, and the
body the events API takes (`POST /activities`, `PUT /activities/{id}`)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from services.web import words
from services.web.adapters.platform_api import ApiProblem
from services.web.forms import Form
from services.web.service_layer import coordinate_dates as dates
from services.web.service_layer.coordinate_models import Activity
from services.web.words import FORMATS

FIELDS = (
    "partnership_id",
    "title",
    "description",
    "category",
    "format",
    "host_urn",
    "venue",
    "online_url",
    "capacity",
    "per_school_cap",
    "minimum_numbers",
    *dates.date_names("booking-opens"),
    *dates.date_names("booking-closes"),
    "booking-closes-time",
    *dates.date_names("cancel-by"),
    "cancel-by-time",
    "county_wide",
)
LISTS = ("audience", "phases", "open_to")
AUDIENCES = {"staff": "Staff", "pupils": "Pupils"}
MOST_PLACES = 100_000
WHOLE_FORM = "activity-form"
"""The key of a message about the form as a whole (the form's own id: the summary links to it)."""

FormInput = Iterable[tuple[str, Any]]


@dataclass
class ActivityForm(Form):
    chosen: dict[str, list[str]] = field(default_factory=dict)
    """Each group of checkboxes: the values ticked."""
    sessions: int = 1
    """How many session rows the form shows."""

    @classmethod
    def given(cls, items: FormInput, *, sessions: bool) -> "ActivityForm":
        pairs = [(k, v.strip()) for k, v in items if isinstance(v, str)]
        single = dict(pairs)
        count = dates.session_count(single.get("sessions")) if sessions else 0
        names = FIELDS + tuple(n for i in range(1, count + 1) for n in dates.session_names(i))
        return cls(
            values={name: single.get(name, "") for name in names},
            chosen={name: [v for k, v in pairs if k == name and v] for name in LISTS},
            sessions=count,
        )

    @classmethod
    def blank(cls, partnership_id: str) -> "ActivityForm":
        return cls(
            values={"partnership_id": partnership_id},
            chosen={"audience": ["staff"], "phases": [], "open_to": []},
        )

    @classmethod
    def of_activity(cls, activity: Activity) -> "ActivityForm":
        d = activity.details
        values = {
            "partnership_id": d.partnership_id,
            "title": d.title,
            "description": d.description or "",
            "category": d.category,
            "format": d.format,
            "host_urn": d.host_urn or "",
            "venue": d.venue or "",
            "online_url": d.online_url or "",
            "capacity": str(d.capacity),
            "per_school_cap": str(d.per_school_cap or ""),
            "minimum_numbers": str(d.minimum_numbers or ""),
            "county_wide": "yes" if d.county_wide else "",
            **dates.date_values("booking-opens", d.booking_opens_at),
            **dates.date_values("booking-closes", d.booking_closes_at),
            "booking-closes-time": dates.time_value(d.booking_closes_at, blank_at=dates.END_OF_DAY),
            **dates.date_values("cancel-by", d.cancel_by),
            "cancel-by-time": dates.time_value(d.cancel_by, blank_at=dates.END_OF_DAY),
        }
        audience = [name for name in AUDIENCES if getattr(d.audience, name)]
        return cls(
            values=values,
            chosen={"audience": audience, "phases": d.audience.phases, "open_to": d.open_to},
        )

    def chose(self, name: str) -> list[str]:
        return self.chosen.get(name, [])

    def with_another_session(self) -> "ActivityForm":
        more = min(self.sessions + 1, dates.MOST_SESSIONS)
        self.values.update({n: "" for n in dates.session_names(more) if n not in self.values})
        self.sessions = more
        return self


@dataclass(frozen=True)
class Choices:
    """What the form's lists offer: the coordinator's partnerships, the schools that may host
    (the partnership's members), and the partnerships it may be opened to."""

    partnerships: Mapping[str, str]
    hosts: Mapping[str, str]
    others: Mapping[str, str]


def whole_number(
    form: Form, name: str, label: str, *, required: bool, most: int = MOST_PLACES
) -> int | None:
    """`label` names the number in a sentence: 'the number of places'."""
    given = form.value(name).replace(",", "")
    if not given:
        if required:
            form.refuse(name, f"Enter {label}")
        return None
    if not given.isdecimal() or len(given) > 7:
        form.refuse(name, f"Enter {label} as a whole number, like 30")
        return None
    number = int(given)
    if not 1 <= number <= most:
        form.refuse(name, f"{label[:1].upper()}{label[1:]} must be between 1 and {most:,}")
        return None
    return number


def _text(form: Form, name: str, label: str, *, most: int, least: int = 1) -> str | None:
    given = form.value(name)
    if given and len(given) < least:
        form.refuse(name, f"{label} must be {least} characters or more")
    elif len(given) > most:
        form.refuse(name, f"{label} must be {most:,} characters or fewer")
    return given or None


def _deadline(form: Form, prefix: str, label: str) -> str | None:
    """A day and perhaps a time ('the date booking closes'); the end of the day by default."""
    day = dates.read_date(form, prefix, label, required=False)
    moment = dates.read_time(form, f"{prefix}-time", f"the time of {label}", required=False)
    if day is None:
        if form.value(f"{prefix}-time") and not form.error(dates.date_key(prefix)):
            form.refuse(dates.date_key(prefix), f"Enter {label}, or leave its time empty")
        return None
    return dates.end_of(day, moment).isoformat()


def read_activity(form: ActivityForm, choices: Choices) -> dict[str, Any]:
    """The events API's body for what was typed; the form's errors say what is wrong (then the
    body is not to be sent)."""
    v = form.value
    partnership_id = v("partnership_id")
    if partnership_id not in choices.partnerships:
        form.refuse("partnership_id", "Select the partnership that runs it")
    if not v("title"):
        form.refuse("title", "Enter the activity's title")
    title = _text(form, "title", "The title", most=200, least=3)
    description = _text(form, "description", "The description", most=20_000)
    if v("category") not in words.CATEGORIES:
        form.refuse("category", "Select the kind of work it is")
    if v("format") not in FORMATS:
        form.refuse("format", "Select what kind of activity it is")
    sessions = dates.read_sessions(form, form.sessions) if form.sessions else []
    if v("host_urn") and v("host_urn") not in choices.hosts:
        form.refuse("host_urn", "Select a host school from the list, or no host school")
    venue = _text(form, "venue", "The venue", most=500)
    online_url = v("online_url") or None
    if online_url and (
        not online_url.lower().startswith(("https://", "http://"))
        or not 10 <= len(online_url) <= 500
        or " " in online_url
    ):
        form.refuse("online_url", "Enter the online link in full, starting with https://")
    if not venue and not online_url:
        form.refuse("venue", "Enter where it happens, or an online link below")
    audience = form.chose("audience")
    if not audience or not set(audience) <= set(AUDIENCES):
        form.refuse("audience", "Select who it is for: staff, pupils or both")
    phases = form.chose("phases")
    if not set(phases) <= set(words.PHASES):
        form.refuse("phases", "Select phases of school from the list")
    capacity = whole_number(form, "capacity", "the number of places", required=True)
    per_school = whole_number(
        form, "per_school_cap", "the most places one school may have", required=False
    )
    minimum = whole_number(form, "minimum_numbers", "the minimum number", required=False)
    if capacity and per_school and per_school > capacity:
        form.refuse("per_school_cap", "The places for one school cannot be more than the places")
    if capacity and minimum and minimum > capacity:
        form.refuse("minimum_numbers", "The minimum number cannot be more than the places")
    opens_on = dates.read_date(form, "booking-opens", "the date booking opens", required=False)
    opens = dates.start_of(opens_on).isoformat() if opens_on else None
    closes = _deadline(form, "booking-closes", "the date booking closes")
    if opens and closes and closes <= opens:
        form.refuse(dates.date_key("booking-closes"), "Booking must close after it opens")
    cancel_by = _deadline(form, "cancel-by", "the last date to cancel")
    open_to = form.chose("open_to")
    if not set(open_to) <= set(choices.others):
        form.refuse("open_to", "Select partnerships from the list")
    body: dict[str, Any] = {
        "partnership_id": partnership_id,
        "title": title,
        "description": description,
        "category": v("category"),
        "format": v("format"),
        "host_urn": v("host_urn") or None,
        "venue": venue,
        "online_url": online_url,
        "audience": {
            "staff": "staff" in audience,
            "pupils": "pupils" in audience,
            "phases": phases,
        },
        "capacity": capacity,
        "per_school_cap": per_school,
        "minimum_numbers": minimum,
        "booking_opens_at": opens,
        "booking_closes_at": closes,
        "cancel_by": cancel_by,
        "open_to": open_to,
        "county_wide": v("county_wide") == "yes",
    }
    if form.sessions:
        body["sessions"] = sessions
    return body


API_FIELDS = {
    "partnership_id": ("partnership_id", "Select the partnership that runs it"),
    "title": ("title", "Enter a title of 3 to 200 characters, on one line"),
    "description": ("description", "The description must be 20,000 characters or fewer"),
    "category": ("category", "Select the kind of work it is"),
    "format": ("format", "Select what kind of activity it is"),
    "host_urn": ("host_urn", "Select a host school from the list, or no host school"),
    "venue": ("venue", "Enter the venue on one line, in 500 characters or fewer"),
    "online_url": ("online_url", "Enter the online link in full, starting with https://"),
    "capacity": ("capacity", "Enter the number of places as a whole number, like 30"),
    "per_school_cap": ("per_school_cap", "Enter the places for one school as a whole number"),
    "minimum_numbers": ("minimum_numbers", "Enter the minimum number as a whole number"),
    "booking_opens_at": (dates.date_key("booking-opens"), "Enter a real date booking opens"),
    "booking_closes_at": (dates.date_key("booking-closes"), "Enter a real date booking closes"),
    "cancel_by": (dates.date_key("cancel-by"), "Enter a real last date to cancel"),
    "open_to": ("open_to", "Select partnerships from the list"),
}


def refuse_api(form: Form, problem: ApiProblem) -> None:
    """Put the events API's refusal next to our fields, in our words; what it says of the
    activity as a whole goes at the top."""
    for api_field in problem.fields:
        name = api_field.split(".")
        if name[0] == "sessions" and len(name) > 1 and name[1].isdecimal():
            n = int(name[1]) + 1
            form.refuse(
                dates.date_key(f"session-{n}-date"), f"Check the date and times of session {n}"
            )
        elif name[0] in API_FIELDS:
            ours, message = API_FIELDS[name[0]]
            form.refuse(ours, message)
    if form.valid:
        form.refuse(WHOLE_FORM, f"The activity could not be saved: {plain(problem.detail)}")


def plain(detail: str) -> str:
    """A service's refusal, readable as the end of a sentence (it is written in plain words; a
    validation error's field paths are not)."""
    if detail.startswith("the request is not valid"):
        return "check each answer and try again."
    return detail.rstrip(".") + "."
