"""The answer link's token: 256 random bits, URL-safe, of which only the SHA-256 is stored
(InvitationToken.token_hash). A leaked database gives no working link."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32  # 256 bits


def token_hash(token: str) -> str:
    """The stored form of a token (hex SHA-256)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh token and its hash: the token goes into one email's link, the hash into the
    database."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)
