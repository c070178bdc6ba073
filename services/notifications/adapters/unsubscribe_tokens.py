"""Signed unsubscribe links: a person and a category (or none: all that can be stopped),
without expiry, so the link in an old mail still works. Good for nothing else."""

from collections.abc import Callable

import jwt

SCOPE = "unsubscribe"
ALL = "all"


def signer(secret: str) -> Callable[[str, str | None], str]:
    def sign(person_id: str, category: str | None) -> str:
        claims = {"sub": person_id, "scope": SCOPE, "category": category or ALL}
        return jwt.encode(claims, secret, algorithm="HS256")

    return sign


def read(secret: str, token: str) -> tuple[str, str | None]:
    """The person and category (None: all) of a valid link; ValueError otherwise."""
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["sub"]})
    except jwt.PyJWTError:
        raise ValueError("this unsubscribe link is not valid") from None
    if claims.get("scope") != SCOPE or not isinstance(claims.get("sub"), str):
        raise ValueError("this unsubscribe link is not valid")
    category = claims.get("category")
    return claims["sub"], None if category == ALL else str(category)
