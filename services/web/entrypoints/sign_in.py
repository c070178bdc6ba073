"""Signing in at the county's OpenID provider (authorization code with PKCE, by Authlib), out,
and choosing which of their ways a person acts in."""

from typing import Annotated, Any

from authlib.integrations.starlette_client import OAuth, OAuthError
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from services.web import session
from services.web.adapters.identity import IdentityClient, SignInRefused
from services.web.entrypoints.dependencies import PagesDep
from services.web.settings import WebSettings
from services.web.viewer import SignedIn, keep_grant

router = APIRouter(tags=["sign-in"])
PROVIDER = "county"
NEXT = "next"


def provider_registry(settings: WebSettings) -> OAuth | None:
    """The county's provider as Authlib's client, or None where sign-in is not set up."""
    if not settings.oidc_issuer:
        return None
    oauth = OAuth()
    oauth.register(
        PROVIDER,
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        server_metadata_url=settings.oidc_metadata_url
        or f"{settings.oidc_issuer.rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
    )
    return oauth


def safe_next(value: str | None) -> str:
    """Only a path on this site: never `//elsewhere` or `https://elsewhere`."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def _redirect_uri(request: Request) -> str:
    base = request.app.state.settings.public_base_url.rstrip("/")
    return f"{base}/signed-in" if base else str(request.url_for("signed_in"))


@router.get("/sign-in", summary="Go to the county's sign-in page")
async def sign_in(request: Request, pages: PagesDep, next: str | None = None) -> Response:
    oauth: OAuth | None = request.app.state.oauth
    if oauth is None:
        return pages.render(
            request, "sign_in/not_set_up.html", {"title": "Sign-in is not set up"}, status_code=503
        )
    request.session[NEXT] = safe_next(next)
    client: Any = oauth.create_client(PROVIDER)
    response: Response = await client.authorize_redirect(request, _redirect_uri(request))
    return response


@router.get("/signed-in", name="signed_in", summary="Where the county's provider sends people back")
async def signed_in(request: Request, pages: PagesDep) -> Response:
    oauth: OAuth | None = request.app.state.oauth
    if oauth is None:
        return RedirectResponse("/", status_code=303)
    client: Any = oauth.create_client(PROVIDER)
    try:
        token = await client.authorize_access_token(request)
    except OAuthError as error:
        context = {"title": "Sign-in did not work", "reason": error.description or error.error}
        return pages.render(request, "sign_in/failed.html", context, status_code=400)
    identity: IdentityClient = request.app.state.identity
    try:
        grant = await identity.sign_in(token["id_token"])
    except SignInRefused as refused:
        email = (token.get("userinfo") or {}).get("email", "")
        context = {"title": "We do not know you yet", "email": email, "reason": str(refused)}
        return pages.render(request, "sign_in/not_known.html", context, status_code=403)
    next_page = safe_next(request.session.get(NEXT))
    request.session.clear()
    keep_grant(request, grant)
    session.rotate(request)
    return RedirectResponse(next_page, status_code=303)


@router.post("/sign-out", summary="Sign out of the platform")
async def sign_out(request: Request) -> Response:
    request.session.clear()
    session.end(request)
    return RedirectResponse("/signed-out", status_code=303)


@router.get("/signed-out")
async def signed_out(request: Request, pages: PagesDep) -> Response:
    return pages.render(request, "sign_in/signed_out.html", {"title": "You have signed out"})


@router.post("/acting-as", summary="Act in another of the ways the person may")
async def acting_as(
    request: Request, viewer: SignedIn, role: Annotated[str, Form(max_length=40)]
) -> Response:
    if role not in {w.role for w in viewer.ways}:
        return RedirectResponse("/", status_code=303)
    identity: IdentityClient = request.app.state.identity
    grant = request.session["grant"]
    try:
        keep_grant(request, await identity.refresh(grant["refresh_token"], role))
    except SignInRefused:
        request.session.clear()
        session.end(request)
        return RedirectResponse("/signed-out", status_code=303)
    return RedirectResponse("/", status_code=303)
