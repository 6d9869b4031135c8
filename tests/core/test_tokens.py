"""Tokens whose hash is stored, and one-shot form nonces."""

import hashlib

from core.tokens import hash_token, issue_nonce, issue_token, random_token, take_nonce


def test_an_issued_token_is_random_and_stored_only_as_its_hash():
    token, stored = issue_token()
    assert len(token) == 43 and token != issue_token()[0]
    assert stored == hash_token(token) == hashlib.sha256(token.encode()).hexdigest()
    assert len(random_token(16)) == 22


def test_a_nonce_is_taken_once_and_only_when_it_matches():
    session = {}
    nonce = issue_nonce(session, "form")
    assert take_nonce(session, "form", nonce) == nonce
    assert take_nonce(session, "form", nonce) is None  # posted twice: acts once
    wrong = issue_nonce(session, "form")
    assert take_nonce(session, "form", wrong + "x") is None
    assert take_nonce(session, "form", wrong) is None  # gone after a wrong one too
    issue_nonce(session, "form")
    assert take_nonce(session, "form", None) is None
