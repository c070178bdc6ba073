"""What the county's identity provider vouches for about a person signing in."""

from pydantic import BaseModel


class VerifiedIdentity(BaseModel):
    subject: str
    email: str
