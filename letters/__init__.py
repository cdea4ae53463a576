"""Acceptance and decision letters: bilingual PDFs made by Celery workers, verifiable by QR."""
