"""Random tokens: links sent by e-mail (only their hash is stored) and one-shot form nonces.

A token in a link is :func:`random_token`; the database keeps :func:`hash_token` of it, so a
leaked database gives no working link. A form that must not act twice (sending e-mails) carries
a nonce from :func:`issue_nonce`, kept in the session; :func:`take_nonce` gives it back once,
when the posted one matches, and never again.
"""

from __future__ import annotations

import hashlib
import secrets


def random_token(nbytes: int = 32) -> str:
    """A URL-safe random token of ``nbytes`` random bytes (about 1.3 characters a byte)."""
    return secrets.token_urlsafe(nbytes)


def hash_token(token: str) -> str:
    """What is stored of a token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(nbytes: int = 32) -> tuple[str, str]:
    """``(token, hash)``: the token goes into the link, the hash into the database."""
    token = random_token(nbytes)
    return token, hash_token(token)


def issue_nonce(session, key: str) -> str:
    """A new one-shot nonce for the form, kept in the session under ``key``."""
    nonce = random_token(16)
    session[key] = nonce
    return nonce


def take_nonce(session, key: str, given: str | None) -> str | None:
    """The session's nonce under ``key`` if ``given`` matches it, else None; either way it is
    gone from the session, so a form posted twice acts once."""
    nonce = session.pop(key, None)
    if not nonce or not secrets.compare_digest(nonce, given or ""):
        return None
    return nonce
