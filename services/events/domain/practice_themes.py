"""The practice themes an answer to "What will you do differently?" names, found by the words it
uses (whole words, and their forms: `question`, `questions`, `questioning`; an acronym such as
`SEND` only in capitals, so "sending" is not it). Only the themes leave the service: the answer
itself may name pupils or colleagues."""

import re

from contracts.attendance import PracticeTheme as T

WORDS: dict[T, tuple[str, ...]] = {
    T.QUESTIONING: ("question", "questioning", "cold call", "wait time", "hinge"),
    T.FEEDBACK_AND_ASSESSMENT: (
        "feedback",
        "assessment",
        "assess",
        "marking",
        "mark",
        "retrieval",
        "quiz",
        "exit ticket",
        "misconception",
    ),
    T.BEHAVIOUR: ("behaviour", "behavior", "routine", "classroom management", "attendance"),
    T.READING_AND_LITERACY: (
        "reading",
        "read",
        "phonics",
        "literacy",
        "vocabulary",
        "writing",
        "oracy",
        "debate",
        "debating",
    ),
    T.MATHS: ("maths", "math", "mathematics", "numeracy", "mastery", "manipulative", "times table"),
    T.INCLUSION_AND_SEND: (
        "SEND",
        "inclusion",
        "inclusive",
        "scaffold",
        "scaffolding",
        "adaptive teaching",
        "differentiation",
        "EAL",
        "disadvantaged",
    ),
    T.WELLBEING: ("wellbeing", "well-being", "mental health", "pastoral", "workload"),
    T.CURRICULUM_AND_PLANNING: (
        "curriculum",
        "planning",
        "plan",
        "sequence",
        "sequencing",
        "scheme of work",
        "lesson",
    ),
    T.TECHNOLOGY: ("technology", "digital", "AI", "computing", "online", "ipad", "laptop"),
    T.COLLABORATION: (
        "collaborate",
        "collaboration",
        "observe",
        "observation",
        "coaching",
        "coach",
        "mentor",
        "share",
        "sharing",
        "co-plan",
        "network",
    ),
}

_ENDINGS = r"(?:s|d|es|ed|ing|ings)?"


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    def alternatives(chosen: list[str]) -> str:
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in chosen)

    acronyms = [w for w in words if w.isupper()]
    plain = [w for w in words if not w.isupper()]
    either = [rf"\b(?i:{alternatives(plain)}){_ENDINGS}\b"]
    if acronyms:
        either.append(rf"\b(?:{alternatives(acronyms)})s?\b")
    return re.compile("|".join(either))


_PATTERNS = {theme: _pattern(words) for theme, words in WORDS.items()}


def themes_of(answer: str) -> list[T]:
    """Each theme the answer names, once, in the vocabulary's order."""
    return [theme for theme, pattern in _PATTERNS.items() if pattern.search(answer)]
