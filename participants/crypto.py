"""Encryption of the few fields that must never be readable from a database dump (passports).

The key comes from PERSONAL_DATA_KEY (a Fernet key), which settings require with DEBUG off;
only under `make run` (DEBUG on, no key set) is one derived from SECRET_KEY. Rotate by
decrypting with the old and saving with the new.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet():
    key = settings.PERSONAL_DATA_KEY or base64.urlsafe_b64encode(
        hashlib.sha256(("personal-data:" + settings.SECRET_KEY).encode()).digest()
    )
    return Fernet(key)


def encrypt(text):
    return _fernet().encrypt(text.encode()).decode() if text else ""


def decrypt(token):
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""
