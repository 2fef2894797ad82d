"""The analyst's desk: server-rendered pages and a JSON API over one store.

``create_app(store)`` returns a FastAPI app. It is read-only unless a ``token`` is given (the
``serve`` command reads it from ``STORYLINE_TOKEN``); then uploads and entity and story merges/splits
are accepted from requests that carry ``Authorization: Bearer TOKEN``. Every response carries a
Content-Security-Policy that allows only this server's own scripts and styles, and every piece
of article text reaches HTML through Jinja2's autoescaping or :mod:`storyline.web.render`.
"""

from __future__ import annotations

import hmac
from dataclasses import replace
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader
from starlette.exceptions import HTTPException

from storyline.config import BuildConfig, DeskConfig
from storyline.store import Store, StoreError
from storyline.web import jsonapi, pages, writes
from storyline.web.desk import Desk
from storyline.web.render import bdi

HERE = Path(__file__).resolve().parent
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class Settings:
    """What the routes share: the desk, the templates, and the write settings."""

    def __init__(
        self,
        store: Store,
        *,
        token: str | None,
        aliases: Path | None,
        config: BuildConfig,
        upload_dir: Path | None,
        desk_config: DeskConfig | None = None,
    ) -> None:
        self.desk = Desk(store)
        self.desk_config = desk_config or DeskConfig()
        self.token = token or None
        self.aliases = aliases
        self.config = config
        self.upload_dir = upload_dir or _default_upload_dir(store)
        self.templates = Environment(
            loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True
        )
        self.templates.globals.update(pages.TEMPLATE_GLOBALS)
        self.templates.filters["bdi"] = bdi  # every piece of corpus text: {{ d.title|bdi }}

    def build_config(self) -> BuildConfig:
        """The run settings, reading the alias file once it exists (the first merge creates it)."""
        if self.aliases is not None and self.aliases.exists():
            return replace(self.config, aliases=self.aliases)
        return self.config

    @property
    def writable(self) -> bool:
        return self.token is not None

    def authorised(self, request: Request) -> bool:
        """True when the request carries the server's token (compared in constant time)."""
        if self.token is None:
            return False
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), self.token.encode())

    def render(self, request: Request, template_name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        template = self.templates.get_template(template_name)
        html = template.render(request=request, writable=self.writable, **context)
        return HTMLResponse(html, status_code=status_code)


def _default_upload_dir(store: Store) -> Path:
    """Uploads are kept beside a SQLite file (the store remembers their paths); else in the cwd."""
    if store.url.startswith("sqlite:///"):
        db = Path(store.url.removeprefix("sqlite:///"))
        return db.parent / f"{db.stem}-uploads"
    return Path("storyline-uploads")


def store_fault_line(store: Store, exc: StoreError) -> str:
    """What a page says when the store fails under it (damaged, a full disk, an I/O error): the
    store's one line, on one line, without the server's path to the file."""
    line = " ".join(str(exc).split())
    if store.url.startswith("sqlite:///"):
        line = line.removeprefix(f"{store.url.removeprefix('sqlite:///')}: ")
    return f"the desk cannot read its store: {line}"


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"


def create_app(
    store: Store,
    *,
    token: str | None = None,
    aliases: Path | None = None,
    config: BuildConfig | None = None,
    upload_dir: Path | None = None,
    desk_config: DeskConfig | None = None,
) -> FastAPI:
    """The web app over ``store``: pages at ``/``, the JSON API under ``/api``, its description at ``/api``.

    ``token`` turns writes on; ``aliases`` is the YAML file merges and splits are written to
    (the same file ``storyline build --aliases`` reads); ``desk_config`` bounds what one upload may bring.
    """
    settings = Settings(
        store,
        token=token,
        aliases=aliases,
        config=config or BuildConfig(),
        upload_dir=upload_dir,
        desk_config=desk_config,
    )
    app = FastAPI(
        title="storyline",
        summary="The analyst's desk: documents, entities, stories and their evidence.",
        version="1",
        docs_url=None,  # the stock pages load scripts from a CDN; /api/docs renders the schema here
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.add_middleware(writes.WriteGate, settings=settings)  # inside the security headers, before any route

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if _wants_json(request):
            return JSONResponse({"error": message, "status": exc.status_code}, exc.status_code, headers=exc.headers)
        return settings.render(request, "error.html", exc.status_code, status=exc.status_code, message=message)

    @app.exception_handler(StoreError)
    async def store_failed(request: Request, exc: StoreError) -> Response:
        """A store that fails under a page (damaged, full disk, I/O error): 503 and its one line."""
        message = store_fault_line(store, exc)
        if _wants_json(request):
            return JSONResponse({"error": message, "status": 503}, 503)
        return settings.render(request, "error.html", 503, status=503, message=message)

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
            problems.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg", "invalid")))
        message = "bad parameters: " + "; ".join(problems)
        if _wants_json(request):
            return JSONResponse({"error": message, "status": 422}, 422)
        return settings.render(request, "error.html", 400, status=400, message=message)

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(jsonapi.router)
    app.include_router(writes.router)
    app.include_router(pages.router)
    return app
