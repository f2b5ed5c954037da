"""The web pages: the student portal at `/` and the registrar's office at `/office/`.

Server-rendered HTML on the same services and the same request dependencies the API uses;
every action is a plain form, so nothing needs JavaScript.
"""
