"""The service desk on top of incidents: routing, queues, canned responses, bulk work, timeline,
mail intake and replies, the CSV importer and the ITSM reports.

Kept in its own package (models live in ``itsm/models/desk.py`` and ``mail.py``) so the
catalogue work that shares the app does not collide with it.
"""
